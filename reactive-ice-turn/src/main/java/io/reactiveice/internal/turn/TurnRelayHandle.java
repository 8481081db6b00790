package io.reactiveice.internal.turn;

import io.netty.buffer.ByteBuf;
import io.reactiveice.turn.TurnDatagram;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnRelay;
import io.reactiveice.turn.TurnRelayAllocator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The {@link TurnRelay} a user gets from {@link TurnRelayAllocator#open}: a facade over its
 * {@link RelaySession}, and the inbound queue that {@link #receive()} reads (the session hands it
 * what peers send, on the socket's I/O thread).
 */
public final class TurnRelayHandle extends RelayFacade implements TurnRelay {
    private final Received inbound;

    private TurnRelayHandle(RelaySession session, Received inbound) {
        super(session);
        this.inbound = inbound;
    }

    /** Where a handle's datagrams wait for {@link #receive()}: one subscriber, each released if never read. */
    public static final class Received implements RelaySession.Inbound {
        private final Sinks.Many<TurnDatagram> sink = Sinks.many().unicast().onBackpressureBuffer();
        private final AtomicLong dropped = new AtomicLong();

        @Override
        public void onPacket(ByteBuf data, InetSocketAddress sender) {
            ByteBuf kept = data.retainedSlice();
            if (sink.tryEmitNext(new TurnDatagram(sender, kept)).isFailure()) {
                kept.release();
                dropped.incrementAndGet();
            }
        }

        @Override
        public void completed() {
            // the I/O thread may be emitting into it right now: wait for it rather than lose the completion
            sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }

        /** The handle of the session this queue was made for. */
    public     TurnRelay handle(RelaySession of) {
            return new TurnRelayHandle(of, this);
        }
    }

    @Override
    public InetSocketAddress relayedAddress() {
        return session.relayedAddress();
    }

    @Override
    public boolean dontFragment() {
        return session.dontFragment();
    }

    @Override
    public Mono<Void> permit(InetSocketAddress peer) {
        return session.permit(peer);
    }

    @Override
    public Flux<TurnDatagram> receive() {
        return inbound.sink.asFlux().doOnDiscard(TurnDatagram.class, d -> d.content().release());
    }

    @Override
    public Flux<TurnEvent> events() {
        return session.events();
    }

    @Override
    public long dropped() {
        return session.dropped() + inbound.dropped.get();
    }

    @Override
    public Mono<Void> onDispose() {
        return session.onDispose();
    }
}
