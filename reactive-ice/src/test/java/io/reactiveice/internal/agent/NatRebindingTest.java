package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.reflexive;
import static io.reactiveice.internal.agent.AgentPair.selections;
import static io.reactiveice.internal.agent.AgentPair.isRequest;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.agent.SimNetwork.NatBehaviour;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Following a NAT rebinding of the peer ({@link Rebinding}), in virtual time: A sits behind a
 * port-restricted cone NAT, B on a public address; once they are connected, A's NAT maps A's socket
 * anew. A notices nothing; B moves its selected pair to the new mapping one Ta slot and one round
 * trip after the first datagram from it arrives at the latest (its check, or, before that, its data),
 * without an ICE restart, in either role. What cannot prove itself (a replayed check, data from a
 * spoofed source) moves nothing, and costs at most one check per {@value Rebinding#SUSPECT_MILLIS} ms,
 * and none at all from another host than the selected pair's peer.
 */
class NatRebindingTest {
    private static final long MS = 1_000_000L;
    private static final long TA = 50 * MS;
    private static final long RTT = 2 * MS;
    private static final InetSocketAddress A_HOST = addr("10.0.0.1", 5000);
    private static final InetSocketAddress A_NAT = addr("203.0.113.1", 50000);
    private static final InetSocketAddress A_NAT_NEW = addr("203.0.113.1", 50999);
    private static final InetSocketAddress B_HOST = addr("198.51.100.7", 6000);
    /** Behind A's NAT too, or spoofing its address: the same IP address, another port. */
    private static final InetSocketAddress OBSERVER = addr("203.0.113.1", 7777);

    private final SimNetwork net = new SimNetwork(5).latency(1 * MS, 0)
            .block(t -> t.to().getAddress().getHostAddress().startsWith("10."))
            .nat(A_HOST, A_NAT, NatBehaviour.PORT_RESTRICTED);

    @Test
    void theControlledAgentMovesToTheNewMappingOneSlotAndOneRoundTripAfterThePeersNextCheck() {
        AgentPair p = connected(IceRole.CONTROLLING, IceRole.CONTROLLED);
        IceCredentials credentialsB = p.b.credentials();
        CandidatePair aBefore = p.a.selectedPair();
        long rebindAt = net.now();
        net.rebind(A_HOST, A_NAT_NEW);

        assertThat(net.runUntil(() -> remoteOfB(p).equals(A_NAT_NEW), 10_000 * MS)).as(p.b.describeChecklist().toString()).isTrue();
        long arrival = firstSentAfter(A_NAT_NEW, B_HOST, rebindAt) + RTT / 2;
        assertThat(net.now()).as("moved at (ns), the first datagram from the new mapping arrived at %d", arrival)
                .isBetween(arrival + RTT, arrival + TA + RTT);
        p.drain();
        assertThat(p.b.state()).isIn(IceState.CONNECTED, IceState.COMPLETED);
        assertThat(p.b.credentials()).as("no restart").isEqualTo(credentialsB);
        assertThat(p.a.selectedPair()).as("A's pair is the same").isEqualTo(aBefore);
        assertThat(validAt(p.b, A_NAT_NEW)).isTrue();
        // and it stays: consent on the new path keeps B connected, nothing moves back
        int selections = selections(p.eventsB).size();
        net.runFor(40_000 * MS);
        p.drain();
        assertThat(selections(p.eventsB)).hasSize(selections);
        assertThat(remoteOfB(p)).isEqualTo(A_NAT_NEW);
        assertThat(p.b.state()).isIn(IceState.CONNECTED, IceState.COMPLETED);
        assertThat(AgentPair.states(p.eventsA)).doesNotContain(IceState.FAILED);
    }

    @Test
    void theControllingAgentMovesAndNominatesTheNewMapping() {
        AgentPair p = connected(IceRole.CONTROLLED, IceRole.CONTROLLING);
        CandidatePair aBefore = p.a.selectedPair();
        long rebindAt = net.now();
        net.rebind(A_HOST, A_NAT_NEW);

        assertThat(net.runUntil(() -> remoteOfB(p).equals(A_NAT_NEW), 10_000 * MS)).isTrue();
        long arrival = firstSentAfter(A_NAT_NEW, B_HOST, rebindAt) + RTT / 2;
        assertThat(net.now()).as("moved at (ns), the first datagram from the new mapping arrived at %d", arrival)
                .isBetween(arrival + RTT, arrival + TA + RTT);
        assertThat(net.runUntil(() -> p.b.describeChecklist().stream()
                .anyMatch(d -> d.startsWith(B_HOST + "->" + A_NAT_NEW) && d.endsWith("nominated")), 100 * MS)).isTrue();
        net.runFor(40_000 * MS);
        p.drain();
        assertThat(remoteOfB(p)).isEqualTo(A_NAT_NEW);
        assertThat(p.a.selectedPair()).isEqualTo(aBefore);
        assertThat(AgentPair.connected(p.a.state()) && AgentPair.connected(p.b.state())).isTrue();
    }

    @Test
    void dataFromTheNewMappingMovesTheSelectionLongBeforeThePeersNextConsentCheck() {
        AgentPair p = connected(IceRole.CONTROLLING, IceRole.CONTROLLED);
        net.onData((core, base, source) -> {
            if (!validAt(core, source)) {
                core.unknownDataSource(net.now(), base, source); // what the shell does with data it drops
            }
        });
        long rebindAt = net.now();
        net.rebind(A_HOST, A_NAT_NEW);
        net.runFor(10 * MS);
        long sentAt = net.now();
        net.send(A_HOST, B_HOST, new byte[] {(byte) 0x80, 1, 2, 3}); // an RTP-like datagram of A's

        assertThat(net.runUntil(() -> remoteOfB(p).equals(A_NAT_NEW), 10_000 * MS)).isTrue();
        long arrival = sentAt + RTT / 2;
        assertThat(net.now()).isBetween(arrival + RTT, arrival + TA + RTT);
        assertThat(firstSentAfterOrMax(A_NAT_NEW, B_HOST, rebindAt, true)).as("no check of A's had come from the new mapping")
                .isGreaterThan(arrival);
    }

    @Test
    void aReplayedCheckOrDataFromAnotherAddressMovesNothingAndCostsAtMostOneCheckPerHalfSecond() {
        AgentPair p = connected(IceRole.CONTROLLING, IceRole.CONTROLLED);
        net.onData((core, base, source) -> {
            if (!validAt(core, source)) {
                core.unknownDataSource(net.now(), base, source);
            }
        });
        byte[] aCheck = lastRequest(A_NAT, B_HOST);
        long start = net.now();
        net.send(OBSERVER, B_HOST, aCheck); // an observer replays A's authentic check from its own address
        for (int i = 0; i < 100; i++) { // and sprays data from spoofed sources, 10 ms apart
            net.send(addr("203.0.113.1", 4000 + i), B_HOST, new byte[] {(byte) 0x80, 9});
            net.send(addr("192.0.2." + (100 + i), 4000 + i), B_HOST, new byte[] {(byte) 0x80, 9}); // other hosts
            net.runFor(10 * MS);
        }
        net.runFor(2_000 * MS);
        p.drain();

        assertThat(remoteOfB(p)).isEqualTo(A_NAT);
        assertThat(p.b.state()).isIn(IceState.CONNECTED, IceState.COMPLETED);
        List<Long> probes = new ArrayList<>();
        for (int i = 0; i < net.sent.size(); i++) {
            Transmit t = net.sent.get(i);
            if (t.from().equals(B_HOST) && !t.to().equals(A_NAT) && isRequest(t.data()) && net.sentAt.get(i) >= start
                    && isFirstTransmission(i)) {
                assertThat(t.to().getAddress()).as("a check to another host than A's").isEqualTo(A_NAT.getAddress());
                probes.add(net.sentAt.get(i));
            }
        }
        assertThat(probes).as("checks to addresses that never answered").isNotEmpty();
        for (int i = 1; i < probes.size(); i++) {
            assertThat(probes.get(i) - probes.get(i - 1)).isGreaterThanOrEqualTo(Rebinding.SUSPECT_NANOS);
        }
    }

    // ---- set-up -----------------------------------------------------------------------------

    /** A behind its NAT with host and server-reflexive candidates, B public; connected and settled. */
    private AgentPair connected(IceRole roleA, IceRole roleB) {
        AgentPair p = new AgentPair(net, CoreConfig.defaults(roleA, 1), CoreConfig.defaults(roleB, 2), 21);
        p.hosts(List.of(host(A_HOST, 65535), reflexive(A_NAT, A_HOST)), List.of(host(B_HOST, 65535)));
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        net.runFor(8_000 * MS); // past a round of consent checks on both sides
        p.drain();
        assertThat(remoteOfB(p)).isEqualTo(A_NAT);
        return p;
    }

    // ---- observations -----------------------------------------------------------------------

    private static InetSocketAddress remoteOfB(AgentPair p) {
        CandidatePair s = p.b.selectedPair();
        return s == null ? addr("0.0.0.0", 0) : s.remoteAddress();
    }

    private static boolean validAt(IceAgentCore core, InetSocketAddress remote) {
        List<InetSocketAddress> valid = new ArrayList<>();
        core.remoteAddresses(valid, new ArrayList<>());
        return valid.contains(remote);
    }

    private long firstSentAfter(InetSocketAddress from, InetSocketAddress to, long after) {
        long at = firstSentAfterOrMax(from, to, after, false);
        assertThat(at).as("a datagram %s -> %s", from, to).isNotEqualTo(Long.MAX_VALUE);
        return at;
    }

    private long firstSentAfterOrMax(InetSocketAddress from, InetSocketAddress to, long after, boolean requestsOnly) {
        for (int i = 0; i < net.sent.size(); i++) {
            Transmit t = net.sent.get(i);
            if (t.from().equals(from) && t.to().equals(to) && net.sentAt.get(i) >= after
                    && (!requestsOnly || isRequest(t.data()))) {
                return net.sentAt.get(i);
            }
        }
        return Long.MAX_VALUE;
    }

    private byte[] lastRequest(InetSocketAddress from, InetSocketAddress to) {
        for (int i = net.sent.size() - 1; i >= 0; i--) {
            Transmit t = net.sent.get(i);
            if (t.from().equals(from) && t.to().equals(to) && isRequest(t.data())) {
                return t.data();
            }
        }
        throw new AssertionError("no request " + from + " -> " + to);
    }

    /** Whether the request at {@code i} is not a retransmission (no earlier one with its transaction id). */
    private boolean isFirstTransmission(int i) {
        byte[] d = net.sent.get(i).data();
        for (int j = 0; j < i; j++) {
            byte[] e = net.sent.get(j).data();
            if (e.length >= 20 && java.util.Arrays.equals(d, 8, 20, e, 8, 20)) {
                return false;
            }
        }
        return true;
    }

}
