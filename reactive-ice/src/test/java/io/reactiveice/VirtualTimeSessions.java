package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Two sessions, {@link #a} and {@link #b}, on a virtual clock and an in-memory network with 1 ms of
 * latency; after each test both are disposed, the clock runs one more second so that every close
 * completes, and is disposed. {@link #agent}, {@link #start} and {@link #collect} build them.
 */
abstract class VirtualTimeSessions {
    static final long MS = 1_000_000L;
    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final InMemoryNetwork net = new InMemoryNetwork(clock, MS);
    IceSession a;
    IceSession b;

    /** An agent of this clock and network on one host address, with seeded randomness. */
    IceAgent agent(IceRole role, String ip, long seed) throws UnknownHostException {
        return IceAgent.create().role(role).scheduler(clock).random(new SplittableRandom(seed))
                .packetTransport(net).hostAddresses(List.of(InetAddress.getByName(ip)));
    }

    /** Starts a session and runs the clock until it has started. */
    IceSession start(IceAgent agent) {
        IceSession[] out = new IceSession[1];
        agent.start().subscribe(s -> out[0] = s);
        clock.advanceTime();
        assertThat(out[0]).as("session started").isNotNull();
        return out[0];
    }

    /** The session's local candidates, all of them once gathering is complete. */
    static List<IceCandidate> collect(IceSession s) {
        return s.localCandidates().collectList().block(Duration.ofSeconds(5));
    }

    /** Starts {@link #a} (controlling, 127.0.0.1) and {@link #b} (controlled, 127.0.0.2) and connects them. */
    void connect() throws UnknownHostException {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.2", 2));
        signal();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
    }

    /** Signals {@link #a} and {@link #b} to each other: credentials, every candidate, end-of-candidates. */
    void signal() {
        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
        collect(a).forEach(b::addRemoteCandidate);
        collect(b).forEach(a::addRemoteCandidate);
        a.remoteEndOfCandidates();
        b.remoteEndOfCandidates();
    }

    @AfterEach
    void closeSessions() {
        if (a != null) {
            a.dispose();
        }
        if (b != null) {
            b.dispose();
        }
        clock.advanceTimeBy(Duration.ofSeconds(1));
        clock.dispose();
    }
}
