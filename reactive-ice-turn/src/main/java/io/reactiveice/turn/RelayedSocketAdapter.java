package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import io.reactiveice.RelayAllocator;
import java.net.InetSocketAddress;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * What the agent sees of an allocation ({@link TurnRelayAllocator#allocate}): the relayed address as
 * a socket (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.2">RFC 8445 section
 * 5.1.1.2</a>) whose datagrams go to the receiver it was allocated with. Internal: not a
 * {@link TurnRelay}.
 */
final class RelayedSocketAdapter implements RelayAllocator.RelayedSocket {
    private final RelaySession session;

    RelayedSocketAdapter(RelaySession session) {
        this.session = session;
    }

    @Override
    public InetSocketAddress localAddress() {
        return session.relayedAddress();
    }

    @Override
    public InetSocketAddress mappedAddress() {
        return session.mappedAddress();
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        session.send(data, to);
    }

    @Override
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        return session.sendAll(data, destination);
    }

    @Override
    public Mono<Throwable> lost() {
        return session.lost();
    }

    @Override
    public Mono<Void> close() {
        return session.close();
    }

    @Override
    public void dispose() {
        session.dispose();
    }

    @Override
    public boolean isDisposed() {
        return session.isDisposed();
    }

    @Override
    public String toString() {
        return session.toString();
    }
}
