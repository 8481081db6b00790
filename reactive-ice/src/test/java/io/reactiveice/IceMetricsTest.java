package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStats;
import io.reactiveice.metrics.MicrometerIceMetrics;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The Micrometer meters of two sessions in virtual time over the in-memory network (issue 15 section 2):
 * the sessions by state, the times to connect and to the first selected pair recorded once per session
 * and exactly as long as it took on the virtual clock, the checks and datagrams equal to the sessions'
 * own statistics, and a failed session counted by its reason.
 */
class IceMetricsTest extends VirtualTimeSessions {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerIceMetrics metrics = MicrometerIceMetrics.create(registry);

    private IceSession startWithMetrics(IceRole role, String ip, long seed) throws UnknownHostException {
        return start(agent(role, ip, seed).metrics(metrics));
    }

    private double sessions(IceState state) {
        return registry.get("reactive.ice.sessions").tag("state", state.name().toLowerCase()).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private IceStats stats(IceSession s) {
        AtomicReference<IceStats> out = new AtomicReference<>();
        s.stats().subscribe(out::set);
        clock.advanceTime();
        return out.get();
    }

    private long sum(ToLongFunction<IceCandidatePairStats> field) {
        return stats(a).candidatePairs().stream().mapToLong(field).sum()
                + stats(b).candidatePairs().stream().mapToLong(field).sum();
    }

    @Test
    void twoSessionsAreCountedByStateTheirTimesOnceAndTheirChecksAndDataAsTheirStatisticsHaveThem() throws Exception {
        long startedAt = clock.now(TimeUnit.NANOSECONDS);
        a = startWithMetrics(IceRole.CONTROLLING, "127.0.0.1", 1);
        b = startWithMetrics(IceRole.CONTROLLED, "127.0.0.2", 2);
        assertThat(sessions(IceState.NEW)).isEqualTo(2);
        long[] connectedAt = new long[2];
        a.states().filter(s -> s == IceState.CONNECTED).next().subscribe(s -> connectedAt[0] = clock.now(TimeUnit.NANOSECONDS));
        b.states().filter(s -> s == IceState.CONNECTED).next().subscribe(s -> connectedAt[1] = clock.now(TimeUnit.NANOSECONDS));
        signal();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(sessions(IceState.COMPLETED)).isEqualTo(2);
        assertThat(sessions(IceState.NEW) + sessions(IceState.CHECKING) + sessions(IceState.CONNECTED)).isZero();

        var connect = registry.get("reactive.ice.connect.time").timer();
        var selected = registry.get("reactive.ice.first.selected.pair.time").timer();
        assertThat(connect.count()).isEqualTo(2);
        assertThat(selected.count()).isEqualTo(2);
        // both sessions started at the same virtual instant; each time ends when its state said CONNECTED
        assertThat(connectedAt[0]).isPositive();
        assertThat(connectedAt[1]).isPositive();
        assertThat(connect.totalTime(TimeUnit.NANOSECONDS))
                .isEqualTo((double) (connectedAt[0] - startedAt) + (connectedAt[1] - startedAt));
        assertThat(selected.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(registry.get("reactive.ice.selected.pair.changes").counter().count()).isEqualTo(2);

        IceConnection ca = a.connect().block(Duration.ofSeconds(1));
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        Disposable reading = cb.receive().subscribe(buf -> buf.release());
        ca.send(Flux.range(0, 30).map(k -> Unpooled.copiedBuffer("data " + "x".repeat(k), StandardCharsets.US_ASCII)))
                .subscribe();
        clock.advanceTimeBy(Duration.ofSeconds(20)); // consent checks meanwhile, every 4 to 6 s
        long bytes = 30 * 5 + 29 * 30 / 2;
        assertThat(counter("reactive.ice.datagrams.sent")).isEqualTo(30);
        assertThat(counter("reactive.ice.data.sent")).isEqualTo(bytes);
        assertThat(counter("reactive.ice.datagrams.received")).isEqualTo(30);
        assertThat(counter("reactive.ice.data.received")).isEqualTo(bytes);

        assertThat(counter("reactive.ice.checks.sent", "kind", "check"))
                .isEqualTo(sum(IceCandidatePairStats::requestsSent)).isPositive();
        assertThat(counter("reactive.ice.checks.sent", "kind", "consent"))
                .isEqualTo(sum(IceCandidatePairStats::consentRequestsSent)).isPositive();
        assertThat(counter("reactive.ice.checks.sent", "kind", "retransmission"))
                .isEqualTo(sum(IceCandidatePairStats::retransmissionsSent));
        assertThat(counter("reactive.ice.checks.answered")).isEqualTo(sum(IceCandidatePairStats::responsesReceived))
                .isPositive();
        assertThat(counter("reactive.ice.checks.received")).isEqualTo(sum(IceCandidatePairStats::requestsReceived))
                .isPositive();
        assertThat(connect.count()).as("recorded once per session").isEqualTo(2);

        double checks = counter("reactive.ice.checks.sent", "kind", "check");
        reading.dispose();
        a.dispose();
        b.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        for (IceState s : IceState.values()) {
            if (s != IceState.CLOSED) {
                assertThat(sessions(s)).as("closed sessions leave every state: %s", s).isZero();
            }
        }
        assertThat(counter("reactive.ice.checks.sent", "kind", "check")).as("kept after close").isEqualTo(checks);
        assertThat(counter("reactive.ice.data.sent")).as("kept after close").isEqualTo(bytes);
        assertThat(registry.find("reactive.ice.session.failures").counters()).isEmpty();
    }

    // RFC 7675 section 5.1: 30 s without a consent response and both sides fail, counted by reason
    @Test
    void sessionsThatLoseConsentAreCountedAsFailedByReason() throws Exception {
        a = startWithMetrics(IceRole.CONTROLLING, "127.0.0.1", 1);
        b = startWithMetrics(IceRole.CONTROLLED, "127.0.0.2", 2);
        signal();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        net.block(s -> true);
        clock.advanceTimeBy(Duration.ofSeconds(29));
        assertThat(registry.find("reactive.ice.session.failures").counters()).as("not before 30 s").isEmpty();
        clock.advanceTimeBy(Duration.ofSeconds(16));

        assertThat(a.state()).isEqualTo(IceState.FAILED);
        assertThat(b.state()).isEqualTo(IceState.FAILED);
        assertThat(sessions(IceState.FAILED)).isEqualTo(2);
        assertThat(registry.get("reactive.ice.session.failures").tag("reason", "consent-lost").counter().count())
                .isEqualTo(2);
        assertThat(registry.get("reactive.ice.consent.losses").tag("reason", "timeout").counter().count()).isEqualTo(2);
        assertThat(registry.get("reactive.ice.connect.time").timer().count()).isEqualTo(2);
    }

    // RFC 8445 section 7.2.5.4: no check is ever answered, end-of-candidates on both sides: FAILED
    @Test
    void sessionsWhoseChecksAllFailAreCountedByThatReason() throws Exception {
        a = startWithMetrics(IceRole.CONTROLLING, "127.0.0.1", 1);
        b = startWithMetrics(IceRole.CONTROLLED, "127.0.0.2", 2);
        net.block(s -> true);
        signal();
        clock.advanceTimeBy(Duration.ofSeconds(60));

        assertThat(a.state()).isEqualTo(IceState.FAILED);
        assertThat(b.state()).isEqualTo(IceState.FAILED);
        assertThat(registry.get("reactive.ice.session.failures").tag("reason", "checks-failed").counter().count())
                .isEqualTo(2);
        assertThat(registry.find("reactive.ice.connect.time").timer().count()).as("never connected").isZero();
        assertThat(registry.find("reactive.ice.consent.losses").counters()).isEmpty();
        assertThat(counter("reactive.ice.checks.sent", "kind", "retransmission")).isPositive();
        assertThat(counter("reactive.ice.checks.answered")).isZero();
    }

    // RFC 8838 section 4: the peer ended its candidates without one; tagged with the reason's short name
    @Test
    void aSessionWhosePeerSignalsNoCandidateIsCountedAsNoRemoteCandidatesAtItsTimeout() throws Exception {
        a = startWithMetrics(IceRole.CONTROLLING, "127.0.0.1", 1);
        collect(a);
        a.setRemoteCredentials(new io.reactiveice.agent.IceCredentials("peer", "peerpassword0000000000000"));
        a.remoteEndOfCandidates();
        clock.advanceTimeBy(Duration.ofMillis(39_499));
        assertThat(registry.find("reactive.ice.session.failures").counters()).isEmpty();
        assertThat(sessions(IceState.NEW) + sessions(IceState.CHECKING)).isEqualTo(1);
        clock.advanceTimeBy(Duration.ofMillis(1));

        assertThat(a.state()).isEqualTo(IceState.FAILED);
        assertThat(registry.get("reactive.ice.session.failures").tag("reason", "no-remote-candidates").counter().count())
                .isEqualTo(1);
        assertThat(sessions(IceState.FAILED)).isEqualTo(1);
    }

    @Test
    void oneRecorderPerRegistryWhoeverAsks() {
        assertThat(MicrometerIceMetrics.create(registry)).isSameAs(metrics);
        assertThat(MicrometerIceMetrics.create(new SimpleMeterRegistry())).isNotSameAs(metrics);
    }
}
