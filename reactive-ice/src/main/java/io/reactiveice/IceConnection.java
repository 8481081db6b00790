package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * Application datagrams over the selected pair, on the same sockets as the STUN traffic and told
 * apart by their first byte (<a href="https://www.rfc-editor.org/rfc/rfc7983">RFC 7983</a>). The data
 * path reads the selected pair from a snapshot and never goes through the agent's serialized
 * context. Sending stops with {@link IceFailedException} once consent is lost (RFC 7675).
 */
public final class IceConnection {
    private final IceSession session;
    /** Datagrams received while nobody reads are kept up to this many; later ones are dropped. */
    static final int RECEIVE_BUFFER = 1024;

    private final Sinks.Many<ByteBuf> inbound =
            Sinks.many().unicast().onBackpressureBuffer(Queues.<ByteBuf>get(RECEIVE_BUFFER).get());
    private final AtomicLong dropped = new AtomicLong();

    IceConnection(IceSession session) {
        this.session = session;
    }

    /**
     * The datagrams received over ICE, one {@code ByteBuf} each, which the subscriber must release.
     * One subscriber at a time.
     */
    public Flux<ByteBuf> receive() {
        return inbound.asFlux().doOnDiscard(ByteBuf.class, ByteBuf::release);
    }

    /**
     * Sends each buffer as one datagram over the selected pair, with backpressure; every buffer is
     * released. Errors with {@link IceFailedException} when no pair may carry data.
     *
     * @param data the datagrams
     * @return completes when all are written
     */
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return Mono.defer(() -> {
            CandidatePair pair = session.selectedPair();
            PacketSocket socket = pair == null ? null : session.socket(pair.base());
            if (socket == null || !session.state().canSend()) {
                return Flux.from(data).doOnNext(ByteBuf::release)
                        .then(Mono.error(new IceFailedException("cannot send: ICE is " + session.state())));
            }
            return socket.sendAll(Flux.from(data).doOnNext(b -> {
                if (!session.state().canSend()) {
                    b.release();
                    throw new IceFailedException("cannot send: ICE is " + session.state() + " (consent lost?)");
                }
            }), b -> current(pair));
        });
    }

    private InetSocketAddress current(CandidatePair fallback) {
        CandidatePair now = session.selectedPair();
        return (now != null && now.base().equals(fallback.base()) ? now : fallback).remoteAddress();
    }

    /** The selected pair now. */
    public CandidatePair selectedPair() {
        return session.selectedPair();
    }

    /**
     * Datagrams not delivered: from an address that is the peer of no valid pair, or arriving while
     * {@value #RECEIVE_BUFFER} datagrams were already waiting for a reader (e.g. a browser's DTLS
     * ClientHello retransmissions that nobody reads).
     */
    public long dropped() {
        return dropped.get();
    }

    /** On a socket's I/O thread: a datagram that is not STUN. */
    void onData(ByteBuf data, InetSocketAddress sender) {
        if (!session.isValidRemote(sender)) {
            dropped.incrementAndGet();
            return;
        }
        data.retain();
        for (;;) {
            Sinks.EmitResult result = inbound.tryEmitNext(data);
            if (result.isSuccess()) {
                return;
            }
            if (result != Sinks.EmitResult.FAIL_NON_SERIALIZED) { // full, cancelled or terminated: never wait
                data.release();
                dropped.incrementAndGet();
                return;
            }
            Thread.onSpinWait(); // another socket's I/O thread is emitting this very moment
        }
    }

    void close() {
        inbound.tryEmitComplete();
    }
}
