package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Recovery checks while DISCONNECTED (RFC 7675 section 5.1), paced as checks are (RFC 8445 section 14.2). */
class RecoveryChecksTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final int BACKUPS = 5;

    /** A with one host, B with six: A holds six valid pairs, one selected and five backups, then the link dies. */
    private static AgentPair disconnectedWithBackups(SimNetwork net, CoreConfig configA) {
        List<LocalCandidate> forB = new ArrayList<>();
        for (int i = 0; i <= BACKUPS; i++) {
            forB.add(host(addr("127.0.1." + (i + 1), 20_000 + i), 65_535 - i));
        }
        AgentPair p = new AgentPair(net, configA, CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42)
                .hosts(List.of(host(A1, 65_535)), forB);
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(3 * S);
        assertThat(p.a.describeChecklist()).hasSize(BACKUPS + 1).allMatch(d -> d.contains("valid"));
        net.block(t -> true);
        assertThat(net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 10 * S)).isTrue();
        return p;
    }

    /** A's requests sent at or after {@code from}: their instants, by destination. */
    private static Map<InetSocketAddress, List<Long>> requestsOfA(SimNetwork net, long from, List<Transmit> out) {
        Map<InetSocketAddress, List<Long>> at = new HashMap<>();
        for (int i = 0; i < net.sent.size(); i++) {
            Transmit t = net.sent.get(i);
            if (net.sentAt.get(i) >= from && t.from().equals(A1) && ScriptedPeer.isRequest(t)) {
                at.computeIfAbsent(t.to(), k -> new ArrayList<>()).add(net.sentAt.get(i));
                out.add(t);
            }
        }
        return at;
    }

    private static List<Long> gapsInMs(List<Long> instants) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < instants.size(); i++) {
            gaps.add((instants.get(i) - instants.get(i - 1)) / MS);
        }
        return gaps;
    }

    // RFC 8445 section 14.2 with RFC 7675 section 5.1: the selected pair keeps its own recovery
    // schedule (after Ta, doubling to the 500 ms RTO); the backups get one recovery check per free Ta
    // slot, round-robin, so no two requests leave in the same instant (before: every round sent the
    // selected pair and all backups at once).
    @Test
    void backupsGetOneRecoveryCheckPerTaRoundRobinWhileTheSelectedPairKeepsItsSchedule() {
        SimNetwork net = new SimNetwork(21);
        AgentPair p = disconnectedWithBackups(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L));
        long disconnectedAt = net.now();
        InetSocketAddress selected = p.a.selectedPair().remoteAddress();
        net.runFor(3 * S);

        List<Transmit> all = new ArrayList<>();
        Map<InetSocketAddress, List<Long>> at = requestsOfA(net, disconnectedAt, all);
        assertThat(gapsInMs(at.get(selected))).startsWith(50L, 100L, 200L, 400L, 500L, 500L);
        List<Long> instants = new ArrayList<>();
        at.values().forEach(instants::addAll);
        assertThat(new HashSet<>(instants)).as("instants of A's requests").hasSize(instants.size());
        instants.sort(null);
        assertThat(gapsInMs(instants)).as("between any two of A's requests").allMatch(g -> g >= 50);
        assertThat(at).hasSize(BACKUPS + 1); // every backup was checked
        for (Map.Entry<InetSocketAddress, List<Long>> e : at.entrySet()) {
            if (!e.getKey().equals(selected)) {
                assertThat(e.getValue().get(0) - disconnectedAt).as("first check of backup %s", e.getKey())
                        .isLessThanOrEqualTo((BACKUPS + 3) * 50 * MS);
                assertThat(gapsInMs(e.getValue())).as("backup %s", e.getKey()).allMatch(g -> g >= 50);
            }
        }
    }

    // RFC 8445 section 8.1.1: only the controlling agent nominates, and only the pair it means to
    // select; a recovery check on a backup never carries USE-CANDIDATE, even when consent checks on
    // the selected pair do for a lite peer (useCandidateOnConsent).
    @Test
    void aRecoveryCheckOnABackupNeverCarriesUseCandidate() {
        SimNetwork net = new SimNetwork(22);
        AgentPair p = disconnectedWithBackups(net,
                CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withUseCandidateOnConsent(true));
        long disconnectedAt = net.now();
        InetSocketAddress selected = p.a.selectedPair().remoteAddress();
        net.runFor(2 * S);

        List<Transmit> all = new ArrayList<>();
        requestsOfA(net, disconnectedAt, all);
        assertThat(all).filteredOn(t -> !t.to().equals(selected)).isNotEmpty()
                .noneMatch(ScriptedPeer::hasUseCandidate);
        assertThat(all).filteredOn(t -> t.to().equals(selected)).isNotEmpty()
                .allMatch(ScriptedPeer::hasUseCandidate);
    }

    // A restart while DISCONNECTED (RFC 8445 section 9): the old selected pair is still silent, so the
    // state stays DISCONNECTED and its recovery checks keep their pace (before: CONNECTED with no
    // response, DISCONNECTED again on the next tick, and the recovery schedule started over at Ta).
    @Test
    void aRestartWhileDisconnectedKeepsTheStateAndTheRecoveryPace() {
        SimNetwork net = new SimNetwork(23);
        InetSocketAddress b1 = addr("127.0.0.3", 20_001);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42)
                .hosts(List.of(host(A1, 65_535)), List.of(host(b1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(10 * S);
        net.block(t -> true);
        assertThat(net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 10 * S)).isTrue();
        net.runFor(2 * S); // the recovery checks are 500 ms apart by now
        p.drain();
        p.eventsA.clear();
        long restartAt = net.now();

        p.a.restart(restartAt, IceCredentials.generate(new SplittableRandom(99)));
        net.runFor(3 * S);

        p.drain();
        assertThat(p.a.state()).isEqualTo(IceState.DISCONNECTED);
        assertThat(AgentPair.states(p.eventsA)).as("state changes after the restart").isEmpty();
        List<Transmit> all = new ArrayList<>();
        List<Long> at = requestsOfA(net, restartAt - 600 * MS, all).get(b1);
        assertThat(gapsInMs(at)).as("recovery checks around the restart").hasSizeGreaterThanOrEqualTo(6)
                .containsOnly(500L);
    }

    // RFC 7675 section 5.1 and RFC 8445 section 8.1.2: when the selected pair answers again after a
    // silence, the state goes back to what it was, COMPLETED when gathering is over on both sides
    // (before: always CONNECTED, although nothing was left to gather or check).
    @Test
    void theSelectedPairAnsweringAgainAfterASilenceReturnsToCompleted() {
        SimNetwork net = new SimNetwork(24);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42)
                .hosts(List.of(host(A1, 65_535)), List.of(host(addr("127.0.0.3", 20_001), 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(3 * S);
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        net.block(t -> true);
        assertThat(net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 10 * S)).isTrue();
        p.drain();
        p.eventsA.clear();

        net.block(t -> false);
        assertThat(net.runUntil(() -> p.a.state() != IceState.DISCONNECTED, 2 * S)).isTrue();

        p.drain();
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(AgentPair.states(p.eventsA)).as("state changes after the path came back")
                .containsExactly(IceState.COMPLETED);
    }
}
