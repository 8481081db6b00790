package io.reactiveice.internal.turn;

import io.netty.buffer.ByteBuf;
import io.reactiveice.turn.TurnRelay;
import java.net.InetSocketAddress;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * What the user's {@link TurnRelay} and the agent's relayed socket both delegate to their
 * {@link RelaySession}: the mapped address, sending, loss and the lifecycle.
 */
abstract class RelayFacade {
    final RelaySession session;

    RelayFacade(RelaySession session) {
        this.session = session;
    }

    /** XOR-MAPPED-ADDRESS of the Allocate response (RFC 8656 section 7.3). */
    public InetSocketAddress mappedAddress() {
        return session.mappedAddress();
    }

    /** One datagram to a peer (RFC 8656 sections 11 and 12); releases {@code data}. */
    public void send(ByteBuf data, InetSocketAddress to) {
        session.send(data, to);
    }

    /** Datagrams to peers, batched where the transport can; releases each. */
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        return session.sendAll(data, destination);
    }

    /** The cause, once, if the allocation is lost. */
    public Mono<Throwable> lost() {
        return session.lost();
    }

    /** Deletes the allocation (RFC 8656 section 8); completes when the server confirmed or it was given up. */
    public Mono<Void> close() {
        return session.close();
    }

    /** Starts {@link #close()} without waiting. */
    public void dispose() {
        session.dispose();
    }

    /** Whether closing started. */
    public boolean isDisposed() {
        return session.isDisposed();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
