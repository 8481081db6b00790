package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.reflexive;
import static io.reactiveice.internal.agent.AgentPair.selections;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.agent.SimNetwork.NatBehaviour;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICE renomination ({@link Renomination}, draft-thatcher-ice-renomination) in virtual time: the
 * controlling agent moves the selected pair to a better one that succeeds later, the controlled agent
 * follows the highest NOMINATION it has seen and no other, and without the peer's support nothing
 * changes on the wire. One-way latency 1 ms unless said otherwise.
 */
class RenominationTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A2 = addr("127.0.0.2", 10_002);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);

    private boolean a1Blocked = true;

    // ---- the controlling agent moves to a better pair --------------------------------------

    /**
     * A's better address A1 is unreachable at first, so the pair from A2 is nominated (with NOMINATION
     * 1) once A1's check has gone unanswered for Ta; when A1 comes back its pair succeeds, and A
     * renominates it at once with NOMINATION 2. Both sides move to it.
     */
    @Test
    void aBetterPairThatSucceedsAfterTheSelectionTakesOverOnBothSides() {
        AgentPair p = twoAddressesOnA(true, true);
        assertThat(p.net.runUntil(p::bothConnected, 1_000 * MS)).isTrue();
        assertThat(p.a.selectedPair().base()).isEqualTo(A2);
        p.net.runUntil(() -> false, 1_000 * MS - p.net.now());
        a1Blocked = false;

        assertThat(p.net.runUntil(() -> validAt(p.a, A1), 5_000 * MS)).isTrue();
        long valid = p.net.now();
        assertThat(p.net.runUntil(() -> A1.equals(base(p.a)) && B1.equals(base(p.b)) && A1.equals(remote(p.b)),
                100 * MS)).isTrue();
        p.drain();
        assertThat(selectedBases(p.eventsA)).containsExactly(A2, A1);
        assertThat(selectedRemotes(p.eventsB)).containsExactly(A2, A1);
        // the first nomination counted 1, the renomination 2, sent on A1's pair the instant it became valid
        assertThat(nominations(p.net, A2)).containsOnly(1L);
        List<Integer> renominations = nominationIndexes(p.net, A1);
        assertThat(renominations).isNotEmpty();
        assertThat(nominationValue(p.net.sent.get(renominations.get(0)))).isEqualTo(2L);
        assertThat(p.net.sentAt.get(renominations.get(0))).isEqualTo(valid);
        // B selects on that check one way later, A on its answer one round trip later
        assertThat(p.net.now()).isEqualTo(valid + 2 * MS);
    }

    /** The same network with renomination off on B: the pair nominated first is kept (RFC 8445 section 8.1.1). */
    @Test
    void withoutThePeersSupportThePairNominatedFirstIsKept() {
        AgentPair p = twoAddressesOnA(true, false);
        assertThat(p.net.runUntil(p::bothConnected, 1_000 * MS)).isTrue();
        p.net.runUntil(() -> false, 1_000 * MS - p.net.now());
        a1Blocked = false;
        assertThat(p.net.runUntil(() -> validAt(p.a, A1), 5_000 * MS)).isTrue();
        p.net.runFor(1_000 * MS);
        p.drain();
        assertThat(selectedBases(p.eventsA)).containsExactly(A2);
        assertThat(selectedRemotes(p.eventsB)).containsExactly(A2);
    }

    /**
     * Offering renomination changes nothing on the wire until the peer offers it too: A with
     * renomination on, facing a B without, sends exactly the datagrams A without renomination sends.
     */
    @Test
    void noNominationAttributeIsSentWithoutThePeersSupport() {
        List<byte[]> offered = transcript(true);
        List<byte[]> plain = transcript(false);
        assertThat(offered).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            assertThat(offered.get(i)).as("datagram %d", i).isEqualTo(plain.get(i));
        }
        assertThat(offered).noneMatch(d -> nominationValue(d) != null);
    }

    private List<byte[]> transcript(boolean offeredByA) {
        a1Blocked = true;
        AgentPair p = twoAddressesOnA(offeredByA, false);
        p.net.runUntil(() -> false, 1_000 * MS);
        a1Blocked = false;
        p.net.runFor(4_000 * MS);
        List<byte[]> out = new ArrayList<>();
        for (Transmit t : p.net.sent) {
            out.add(t.data());
        }
        return out;
    }

    /** A controlling with A1 (preferred) and A2, B controlled with B1; A1 blocked while {@link #a1Blocked}. */
    private AgentPair twoAddressesOnA(boolean renominationA, boolean renominationB) {
        SimNetwork net = new SimNetwork(5).block(t -> a1Blocked && (t.from().equals(A1) || t.to().equals(A1)));
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withRenomination(renominationA),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L).withRenomination(renominationB), 42);
        p.a.setRemoteRenomination(0, renominationB); // what each side's description says
        p.b.setRemoteRenomination(0, renominationA);
        return p.hosts(List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535)));
    }

    /**
     * With A1 reachable from the start both sides select its pair; the pair from A2 becomes valid later
     * as the checklist goes on. Renominating it explicitly moves both sides to it, and the better A1
     * pair, valid all along, does not take it back: only a pair that succeeds anew would.
     */
    @Test
    void anExplicitRenominationMovesBothSidesAndStays() {
        a1Blocked = false;
        AgentPair p = twoAddressesOnA(true, true);
        assertThat(p.net.runUntil(p::bothConnected, 1_000 * MS)).isTrue();
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        assertThat(p.net.runUntil(() -> validAt(p.a, A2), 1_000 * MS)).isTrue();
        CandidatePair toA2 = null;
        for (PairEntry e : p.a.checklist().pairs()) {
            toA2 = e.local.base().equals(A2) ? e.snapshot() : toA2;
        }
        assertThat(p.b.renominate(p.net.now(), p.b.selectedPair())).as("the controlled agent cannot").isFalse();
        assertThat(p.a.renominate(p.net.now(), p.a.selectedPair())).as("the selected pair").isFalse();
        assertThat(p.a.renominate(p.net.now(), toA2)).isTrue();
        long at = p.net.now();
        assertThat(p.net.runUntil(() -> A2.equals(base(p.a)) && A2.equals(remote(p.b)), 100 * MS)).isTrue();
        assertThat(p.net.now()).isEqualTo(at + 2 * MS);
        p.net.runFor(10_000 * MS);
        p.drain();
        assertThat(selectedBases(p.eventsA)).containsExactly(A1, A2);
        assertThat(selectedRemotes(p.eventsB)).containsExactly(A1, A2);
        assertThat(nominations(p.net, A2)).containsOnly(2L);
    }

    /** Without the peer's support there is no renomination to start. */
    @Test
    void anExplicitRenominationNeedsThePeersSupport() {
        a1Blocked = false;
        AgentPair p = twoAddressesOnA(true, false);
        assertThat(p.net.runUntil(p::bothConnected, 1_000 * MS)).isTrue();
        assertThat(p.net.runUntil(() -> validAt(p.a, A2), 1_000 * MS)).isTrue();
        for (PairEntry e : p.a.checklist().pairs()) {
            if (e.local.base().equals(A2)) {
                assertThat(p.a.renominate(p.net.now(), e.snapshot())).isFalse();
            }
        }
    }

    // ---- the controlled agent follows the highest nomination ---------------------------------

    /**
     * B, controlled, has two valid pairs. NOMINATION 2 on the pair to P2 selects it; a stale 1, an
     * equal 2 and a plain USE-CANDIDATE on the pair to P1 select nothing, though that pair has the
     * higher priority and RFC 8445 section 7.3.1.5 alone would select it; 3 does.
     */
    @Test
    void theControlledAgentFollowsOnlyAHigherNomination() {
        IceAgentCore b = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLED, 2).withRenomination(true),
                new io.reactiveice.agent.IceCredentials("bbbb", "bbbbpassword0000000000000"), new java.util.SplittableRandom(3));
        ScriptedPeer peer = new ScriptedPeer(b);
        InetSocketAddress p1 = addr("127.0.0.5", 30_001);
        InetSocketAddress p2 = addr("127.0.0.6", 30_002);
        b.addLocalCandidate(0, host(B1, 65_535));
        b.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        b.setRemoteRenomination(0, true);
        b.addRemoteCandidate(0, remoteHost(p1, 65_535));
        b.addRemoteCandidate(0, remoteHost(p2, 100));
        long now = 0;
        while (peer.requestsTo(p1).isEmpty() || peer.requestsTo(p2).isEmpty()) {
            now = Math.max(now, b.nextTimeout());
            b.handleTimeout(now);
            peer.drain(now);
        }
        peer.answer(now, peer.requestsTo(p1).get(0));
        peer.answer(now, peer.requestsTo(p2).get(0));
        assertThat(b.selectedPair()).isNull();

        peer.check(now, p2, B1, true, 2);
        assertThat(b.selectedPair().remoteAddress()).isEqualTo(p2);
        peer.check(now, p1, B1, true, 1);
        assertThat(b.selectedPair().remoteAddress()).as("a stale nomination").isEqualTo(p2);
        peer.check(now, p1, B1, true, 2);
        assertThat(b.selectedPair().remoteAddress()).as("an equal nomination").isEqualTo(p2);
        peer.check(now, p1, B1, true);
        assertThat(b.selectedPair().remoteAddress()).as("USE-CANDIDATE after a NOMINATION").isEqualTo(p2);
        peer.check(now, p1, B1, true, 3);
        assertThat(b.selectedPair().remoteAddress()).isEqualTo(p1);
    }

    // ---- a relayed pair gives way to a direct one ----------------------------------------------

    private static final InetSocketAddress A_HOST = addr("10.0.0.1", 5000);
    private static final InetSocketAddress A_NAT = addr("203.0.113.1", 50000);
    private static final InetSocketAddress B_HOST = addr("10.0.1.1", 6000);
    private static final InetSocketAddress B_NAT = addr("198.51.100.1", 60000);
    private static final InetSocketAddress A_RELAY = addr("192.0.2.10", 40000);
    private static final InetSocketAddress B_RELAY = addr("192.0.2.10", 40002);

    /**
     * Through two port-restricted cones, with B learning A's candidates 1.5 s late: A's relayed pairs
     * succeed at once and the direct one only after B's first check on it, so the relay wait (1 s)
     * runs out and a relayed pair is selected first; with renomination the direct pair takes over on
     * both sides the moment it succeeds.
     */
    @Test
    void aRelayedPairSelectedFirstGivesWayToADirectPairThatSucceedsLater() {
        SimNetwork net = natNetwork();
        AgentPair p = natPair(net, true);
        exchangeThroughNats(net, p, 1_500 * MS);

        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        assertThat(relayed(p.a.selectedPair())).as("first selected %s", p.a.selectedPair()).isTrue();
        assertThat(net.runUntil(() -> validAt(p.a, B_NAT), 5_000 * MS)).isTrue();
        long direct = net.now();
        assertThat(net.runUntil(() -> B_NAT.equals(remote(p.a)) && A_NAT.equals(remote(p.b)), 100 * MS)).isTrue();
        assertThat(net.now()).isEqualTo(direct + 2 * MS);
        net.runFor(1_000 * MS);
        p.drain();
        assertThat(selectedRemotes(p.eventsA)).hasSize(2).last().isEqualTo(B_NAT);
        // B: its relayed pair, selected while A's server-reflexive candidate was known only from A's
        // check, then the same pair once that candidate was signalled (RFC 8838 section 11), then the
        // direct pair
        assertThat(selections(p.eventsB)).extracting(CandidatePair::base, s -> s.remote().type())
                .containsExactly(tuple(B_RELAY, CandidateType.PEER_REFLEXIVE),
                        tuple(B_RELAY, CandidateType.SERVER_REFLEXIVE), tuple(B_HOST, CandidateType.SERVER_REFLEXIVE));
        assertThat(selectedRemotes(p.eventsB)).containsOnly(A_NAT);
        assertThat(relayed(selections(p.eventsA).get(0))).isTrue();
    }

    /** The same without renomination: the relayed pair is kept (HolePunchingTest shows why it waits). */
    @Test
    void withoutRenominationTheRelayedPairSelectedFirstIsKept() {
        SimNetwork net = natNetwork();
        AgentPair p = natPair(net, false);
        exchangeThroughNats(net, p, 1_500 * MS);
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        assertThat(net.runUntil(() -> validAt(p.a, B_NAT), 5_000 * MS)).isTrue();
        net.runFor(1_000 * MS);
        p.drain();
        assertThat(selections(p.eventsA)).hasSize(1).allSatisfy(s -> assertThat(relayed(s)).isTrue());
    }

    private static SimNetwork natNetwork() {
        return new SimNetwork(7).latency(1 * MS, 0).block(t -> t.to().getAddress().getHostAddress().startsWith("10."))
                .nat(A_HOST, A_NAT, NatBehaviour.PORT_RESTRICTED).nat(B_HOST, B_NAT, NatBehaviour.PORT_RESTRICTED);
    }

    private static AgentPair natPair(SimNetwork net, boolean renomination) {
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 1).withRenomination(renomination),
                CoreConfig.defaults(IceRole.CONTROLLED, 2).withRenomination(renomination), 11);
        p.a.setRemoteRenomination(0, renomination);
        p.b.setRemoteRenomination(0, renomination);
        return p;
    }

    /** As HolePunchingTest: A's candidates reach B {@code lateB} after B's reached A. */
    private static void exchangeThroughNats(SimNetwork net, AgentPair p, long lateB) {
        List<LocalCandidate> forA = List.of(host(A_HOST, 65535), reflexive(A_NAT, A_HOST), relayedCandidate(A_RELAY));
        List<LocalCandidate> forB = List.of(host(B_HOST, 65535), reflexive(B_NAT, B_HOST), relayedCandidate(B_RELAY));
        forA.forEach(c -> net.attach(p.a, c.base()));
        forB.forEach(c -> net.attach(p.b, c.base()));
        p.a.setRemoteCredentials(0, p.b.credentials());
        p.b.setRemoteCredentials(0, p.a.credentials());
        forA.forEach(c -> p.a.addLocalCandidate(0, c));
        for (LocalCandidate c : forB) {
            p.b.addLocalCandidate(0, c);
            p.a.addRemoteCandidate(0, c.candidate());
        }
        p.a.localGatheringComplete(0);
        p.b.localGatheringComplete(0);
        p.a.remoteEndOfCandidates(0);
        net.runFor(lateB);
        forA.forEach(c -> p.b.addRemoteCandidate(net.now(), c.candidate()));
        p.b.remoteEndOfCandidates(net.now());
    }

    private static LocalCandidate relayedCandidate(InetSocketAddress relay) {
        long priority = CandidatePriority.of(CandidateType.RELAYED.typePreference(), 65535, 1);
        return new LocalCandidate(IceCandidate.udp("r" + relay.getPort(), 1, priority, relay, CandidateType.RELAYED),
                relay);
    }

    private static IceCandidate remoteHost(InetSocketAddress address, int localPreference) {
        return IceCandidate.udp("p" + address.getPort(), 1,
                CandidatePriority.of(CandidateType.HOST.typePreference(), localPreference, 1), address, CandidateType.HOST);
    }

    // ---- observations -----------------------------------------------------------------------

    private static boolean relayed(CandidatePair p) {
        return p.local().type() == CandidateType.RELAYED || p.remote().type() == CandidateType.RELAYED;
    }

    private static boolean validAt(IceAgentCore core, InetSocketAddress remoteOrBase) {
        List<InetSocketAddress> valid = new ArrayList<>();
        core.remoteAddresses(valid, new ArrayList<>());
        if (valid.contains(remoteOrBase)) {
            return true;
        }
        for (String d : core.describeChecklist()) {
            if (d.startsWith(remoteOrBase + "->") && d.contains(" valid")) {
                return true;
            }
        }
        return false;
    }

    private static InetSocketAddress base(IceAgentCore core) {
        return core.selectedPair() == null ? null : core.selectedPair().base();
    }

    private static InetSocketAddress remote(IceAgentCore core) {
        return core.selectedPair() == null ? null : core.selectedPair().remoteAddress();
    }

    private static List<InetSocketAddress> selectedBases(List<IceEvent> events) {
        return selections(events).stream().map(CandidatePair::base).toList();
    }

    private static List<InetSocketAddress> selectedRemotes(List<IceEvent> events) {
        return selections(events).stream().map(CandidatePair::remoteAddress).toList();
    }

    /** The NOMINATION of a Binding request, or {@code null} if it is none or carries none. */
    private static Long nominationValue(byte[] datagram) {
        StunMessageReader r = new StunMessageReader();
        if (!r.tryRead(datagram, 0, datagram.length) || r.messageClass() != StunClass.REQUEST) {
            return null;
        }
        int i = r.indexOf(StunAttributeType.NOMINATION);
        return i < 0 ? null : r.u32(i) & 0xFFFF_FFFFL;
    }

    private static Long nominationValue(Transmit t) {
        return nominationValue(t.data());
    }

    /** The indexes in {@link SimNetwork#sent} of the requests from {@code from} that carry NOMINATION. */
    private static List<Integer> nominationIndexes(SimNetwork net, InetSocketAddress from) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < net.sent.size(); i++) {
            if (net.sent.get(i).from().equals(from) && nominationValue(net.sent.get(i)) != null) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Long> nominations(SimNetwork net, InetSocketAddress from) {
        return nominationIndexes(net, from).stream().map(i -> nominationValue(net.sent.get(i))).toList();
    }
}
