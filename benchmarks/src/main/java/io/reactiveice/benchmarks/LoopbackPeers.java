package io.reactiveice.benchmarks;

import io.reactiveice.IceAgent;
import io.reactiveice.IceSession;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Two started sessions on 127.0.0.1 (host candidates only), controlling and controlled, with their
 * gathering finished, and the in-process signalling between them done in one go: credentials, every
 * candidate and end-of-candidates both ways. No subscription outlives {@link #signal()}.
 */
final class LoopbackPeers implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final IceSession a;
    final IceSession b;
    private final List<IceCandidate> candidatesA;
    private final List<IceCandidate> candidatesB;

    private LoopbackPeers(IceSession a, IceSession b) {
        this.a = a;
        this.b = b;
        // localCandidates() completes at end-of-gathering; with no ICE servers that is right after binding
        this.candidatesA = a.localCandidates().collectList().block(TIMEOUT);
        this.candidatesB = b.localCandidates().collectList().block(TIMEOUT);
    }

    /** The agent configuration the benchmarks use: 127.0.0.1 only, everything else the library default. */
    static IceAgent loopbackAgent() {
        return IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()));
    }

    /** Starts both sessions and waits for their gathering; call from a plain thread (it blocks). */
    static LoopbackPeers start(UnaryOperator<IceAgent> config) {
        return start(config, () -> { });
    }

    /**
     * Starts both sessions, running {@code between} after the first has bound its socket and before
     * the second binds (the throughput benchmark uses it to steer the second socket to another event
     * loop).
     */
    static LoopbackPeers start(UnaryOperator<IceAgent> config, Runnable between) {
        IceAgent base = config.apply(loopbackAgent());
        IceSession a = base.role(IceRole.CONTROLLING).start().block(TIMEOUT);
        between.run();
        IceSession b = base.role(IceRole.CONTROLLED).start().block(TIMEOUT);
        return new LoopbackPeers(a, b);
    }

    /**
     * Hands each side the other's credentials, candidates and end-of-candidates. The calls only
     * enqueue inputs to each session's serialized context; they return at once.
     */
    void signal() {
        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
        candidatesB.forEach(a::addRemoteCandidate);
        candidatesA.forEach(b::addRemoteCandidate);
        a.remoteEndOfCandidates();
        b.remoteEndOfCandidates();
    }

    @Override
    public void close() {
        a.dispose();
        b.dispose();
    }
}
