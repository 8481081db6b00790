package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePairState;
import io.reactiveice.agent.IceProtocolEvent;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The protocol trace ({@link IceEvent.Traced}): off, not one event is built through a whole
 * connection and consent loss; on, the steps come with the simulated clock's time.
 */
class ProtocolTraceTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A = addr("10.0.0.1", 10_001);
    private static final InetSocketAddress B = addr("10.0.0.2", 20_001);

    private final List<InetSocketAddress> silent = new ArrayList<>();

    private AgentPair pair(boolean traceA) {
        SimNetwork net = new SimNetwork(3).block(t -> silent.contains(t.from()));
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        if (traceA) {
            p.a.trace(0, true);
        }
        p.hosts(List.of(host(A, 65_535)), List.of(host(B, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        silent.add(B);
        assertThat(net.runUntil(() -> p.a.state() == IceState.FAILED, 60 * S)).isTrue();
        p.drain();
        return p;
    }

    private static List<IceProtocolEvent> traced(List<IceEvent> events) {
        List<IceProtocolEvent> out = new ArrayList<>();
        for (IceEvent e : events) {
            if (e instanceof IceEvent.Traced t) {
                out.add(t.event());
            }
        }
        return out;
    }

    @Test
    void offNothingIsBuiltThroughAConnectionAndAConsentLoss() {
        AgentPair p = pair(false);

        assertThat(p.a.traceEventsBuilt()).isZero();
        assertThat(p.b.traceEventsBuilt()).isZero();
        assertThat(traced(p.eventsA)).isEmpty();
        assertThat(traced(p.eventsB)).isEmpty();
    }

    @Test
    void onEveryStepComesWithItsTime() {
        AgentPair p = pair(true);
        List<IceProtocolEvent> trace = traced(p.eventsA);

        assertThat(p.a.traceEventsBuilt()).isEqualTo(trace.size());
        assertThat(p.b.traceEventsBuilt()).isZero(); // B's trace stayed off
        assertThat(trace).extracting(IceProtocolEvent::timestampNanos).isSorted()
                .allMatch(t -> t >= 0 && t <= p.net.now());
        assertThat(trace).filteredOn(IceProtocolEvent.CandidateAdded.class::isInstance)
                .extracting(e -> ((IceProtocolEvent.CandidateAdded) e).local()).contains(true, false);
        IceProtocolEvent.CheckSent first = (IceProtocolEvent.CheckSent) trace.stream()
                .filter(IceProtocolEvent.CheckSent.class::isInstance).findFirst().orElseThrow();
        assertThat(first.kind()).isEqualTo(IceProtocolEvent.RequestKind.CHECK);
        assertThat(first.timestampNanos()).isZero(); // the first check goes out when both sides are signalled, at 0
        assertThat(trace).filteredOn(IceProtocolEvent.ResponseReceived.class::isInstance)
                .first().satisfies(r -> {
                    assertThat(((IceProtocolEvent.ResponseReceived) r).errorCode()).isZero();
                    assertThat(((IceProtocolEvent.ResponseReceived) r).roundTrip().toNanos()).isEqualTo(2 * MS);
                });
        assertThat(trace).filteredOn(IceProtocolEvent.PairStateChanged.class::isInstance)
                .extracting(e -> ((IceProtocolEvent.PairStateChanged) e).state()).contains(CandidatePairState.SUCCEEDED);
        assertThat(trace).filteredOn(IceProtocolEvent.Nominated.class::isInstance).hasSize(1);
        assertThat(trace).filteredOn(IceProtocolEvent.CheckSent.class::isInstance)
                .extracting(e -> ((IceProtocolEvent.CheckSent) e).kind()).contains(IceProtocolEvent.RequestKind.CONSENT);
        assertThat(trace.get(trace.size() - 1)).isInstanceOfSatisfying(IceProtocolEvent.ConsentLost.class,
                c -> assertThat(c.timestampNanos()).isEqualTo(p.net.now()));
    }

    @Test
    void turnedOffAgainNothingMoreIsBuilt() {
        SimNetwork net = new SimNetwork(4);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        p.a.trace(0, true);
        p.hosts(List.of(host(A, 65_535)), List.of(host(B, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        long built = p.a.traceEventsBuilt();
        assertThat(built).isPositive();
        p.a.trace(net.now(), false);
        net.runFor(20 * S); // consent checks go on

        assertThat(p.a.traceEventsBuilt()).isEqualTo(built);
    }

    @Test
    void turnedOnAfterConnectingTheFirstSweepReportsEveryPairAndTheSharedOffTraceStaysEmpty() {
        SimNetwork net = new SimNetwork(3);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        p.hosts(List.of(host(A, 65_535)), List.of(host(B, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        p.eventsA.clear();
        assertThat(p.a.traceEventsBuilt()).isZero();

        p.a.trace(net.now(), false); // off while off: nothing is made
        p.a.trace(net.now(), true);
        p.drain();

        List<IceProtocolEvent> trace = traced(p.eventsA);
        assertThat(trace).filteredOn(IceProtocolEvent.PairStateChanged.class::isInstance)
                .extracting(e -> ((IceProtocolEvent.PairStateChanged) e).state())
                .containsExactly(CandidatePairState.SUCCEEDED);
        assertThat(trace).filteredOn(IceProtocolEvent.Nominated.class::isInstance).hasSize(1);
        assertThat(trace).allMatch(e -> e.timestampNanos() == net.now());
        assertThat(p.a.traceEventsBuilt()).isEqualTo(trace.size());
        assertThat(p.b.traceEventsBuilt()).isZero();
        assertThat(ProtocolTrace.OFF.built()).isZero();
        assertThat(ProtocolTrace.OFF.on()).isFalse();
    }
}
