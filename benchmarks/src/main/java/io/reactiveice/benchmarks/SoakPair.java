package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceConnection;
import io.reactiveice.IceSession;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.candidate.IceCandidate;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One pair of the soak ({@link SoakBenchmark}): two connected sessions on 127.0.0.1
 * ({@link LoopbackPeers}), where the controlled side echoes every datagram it receives and the
 * controlling side counts the echoes. Its life is the churn cycle: {@link #open()} (start, signal,
 * connect), {@link #exchange(int)} (datagrams there and back), {@link #restart()} (RFC 8445 section 9,
 * with the new offer and the answer signalled), and {@link #close()}. Every call blocks; call from a
 * plain thread.
 */
final class SoakPair implements AutoCloseable {
    /** How long an exchange waits for its echoes; loopback UDP may still drop one, which is counted, not fatal. */
    private static final Duration ECHO_WAIT = Duration.ofSeconds(5);

    private final LoopbackPeers peers;
    private final IceConnection ca;
    private final IceConnection cb;
    private final AtomicInteger echoes = new AtomicInteger();
    private final Disposable echo;
    private final Disposable counting;

    private SoakPair(LoopbackPeers peers) {
        this.peers = peers;
        this.ca = peers.a.connect().block(LoopbackPeers.TIMEOUT);
        this.cb = peers.b.connect().block(LoopbackPeers.TIMEOUT);
        // B sends every datagram back (send releases it); A counts and releases what comes back
        this.echo = cb.receive().concatMap(buf -> cb.send(Mono.just(buf)).onErrorResume(e -> Mono.empty()))
                .subscribe(x -> { }, e -> { });
        this.counting = ca.receive().subscribe(buf -> {
            buf.release();
            echoes.incrementAndGet();
        }, e -> { });
    }

    /** Starts two sessions, signals both ways and waits until both have selected a pair. */
    static SoakPair open() {
        LoopbackPeers peers = LoopbackPeers.start(c -> c);
        try {
            peers.signal();
            return new SoakPair(peers);
        } catch (RuntimeException e) {
            peers.close();
            throw e;
        }
    }

    /**
     * Sends {@code count} datagrams from A and waits (up to 5 s) for their echoes from B.
     *
     * @return how many echoes came back
     */
    int exchange(int count) {
        int before = echoes.get();
        ca.send(Flux.range(0, count).map(SoakPair::datagram)).block(LoopbackPeers.TIMEOUT);
        Flux.interval(Duration.ofMillis(5)).takeUntil(x -> echoes.get() - before >= count)
                .take(ECHO_WAIT).blockLast(LoopbackPeers.TIMEOUT);
        return Math.min(count, echoes.get() - before);
    }

    /**
     * A restarts ICE; its new credentials and candidates go to B, B's (unchanged) ones back to A, and
     * the call returns when A has selected a new pair.
     */
    void restart() {
        CandidatePair old = peers.a.selectedPair();
        Mono<CandidatePair> next = peers.a.selectedPairs().filter(p -> p != old).next().cache();
        Disposable waiting = next.subscribe(p -> { }, e -> { });
        try {
            peers.a.restart().block(LoopbackPeers.TIMEOUT);
            trickle(peers.a, peers.b);
            trickle(peers.b, peers.a);
            next.block(LoopbackPeers.TIMEOUT);
        } finally {
            waiting.dispose();
        }
    }

    private static void trickle(IceSession from, IceSession to) {
        to.setRemoteCredentials(from.localCredentials());
        for (IceCandidate c : from.localCandidates().collectList().block(LoopbackPeers.TIMEOUT)) {
            to.addRemoteCandidate(c);
        }
        to.remoteEndOfCandidates();
    }

    private static ByteBuf datagram(int i) {
        return Unpooled.copiedBuffer("soak datagram " + i, StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        echo.dispose();
        counting.dispose();
        peers.close();
    }
}
