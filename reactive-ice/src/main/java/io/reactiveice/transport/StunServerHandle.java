package io.reactiveice.transport;

import io.reactiveice.stun.BadRequestCause;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.BindingResponder;
import io.reactiveice.stun.StunRejection;
import java.net.InetSocketAddress;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/** A running embedded STUN server: its address, its counters, and how to stop it. */
public final class StunServerHandle implements Disposable {
    private final Connection connection;
    private final BindingResponder responder;

    StunServerHandle(Connection connection, BindingResponder responder) {
        this.connection = connection;
        this.responder = responder;
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) connection.channel().localAddress();
    }

    /** Datagrams received in all. */
    public long received() {
        return responder.received();
    }

    /** Datagrams that ended in an outcome. */
    public long count(BindingOutcome outcome) {
        return responder.count(outcome);
    }

    /** 400 answers for a cause, sent or not (the answer says only "Bad Request"). */
    public long badRequests(BadRequestCause cause) {
        return responder.badRequests(cause);
    }

    /** Datagrams dropped as malformed STUN for a reason. */
    public long dropped(StunRejection reason) {
        return responder.dropped(reason);
    }

    /** Datagrams dropped for any reason, error answers not sent (rate limited, oversized) included. */
    public long dropped() {
        return responder.dropped();
    }

    @Override
    public void dispose() {
        connection.dispose();
    }

    @Override
    public boolean isDisposed() {
        return connection.isDisposed();
    }

    /** Completes when the socket is closed. */
    public Mono<Void> onDispose() {
        return connection.onDispose();
    }
}
