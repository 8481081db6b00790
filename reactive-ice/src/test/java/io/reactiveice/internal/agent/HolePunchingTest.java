package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.reflexive;
import static io.reactiveice.internal.agent.AgentPair.selections;
import static io.reactiveice.internal.agent.AgentPair.isRequest;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.agent.SimNetwork.NatBehaviour;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connecting through NATs in the simulated network, in virtual time (issue 12): the triggered check
 * that replaces one in progress (RFC 8445 section 7.3.1.4) punches the hole within a Ta slot and a
 * round trip of the later side's first check; the controlling agent nominates a direct pair as
 * soon as the better pairs' checks have gone unanswered for long enough, and waits for a direct pair
 * before it nominates a relayed one ({@link Nomination}), which it then uses only where no direct
 * pair can work.
 *
 * <p>Two sites: A at 10.0.0.1 behind 203.0.113.1, B at 10.0.1.1 behind 198.51.100.1, one-way latency
 * 1 ms; the private addresses are not routable from the other site. Relayed candidates sit on a relay
 * at 192.0.2.10 that lets every peer in (its permissions are assumed), so a relayed pair works as
 * soon as it is checked. B learns A's candidates {@code lateB} after A learns B's, as with trickle
 * over a slow signalling channel; that is what makes A's first check arrive at B's NAT before B's own
 * check has opened it.
 */
class HolePunchingTest {
    private static final long MS = 1_000_000L;
    private static final long TA = 50 * MS;
    private static final long RTT = 2 * MS;
    private static final InetSocketAddress A_HOST = addr("10.0.0.1", 5000);
    private static final InetSocketAddress A_NAT = addr("203.0.113.1", 50000);
    private static final InetSocketAddress B_HOST = addr("10.0.1.1", 6000);
    private static final InetSocketAddress B_NAT = addr("198.51.100.1", 60000);
    private static final InetSocketAddress A_RELAY = addr("192.0.2.10", 40000);
    private static final InetSocketAddress B_RELAY = addr("192.0.2.10", 40002);

    private final SimNetwork net = new SimNetwork(7).latency(1 * MS, 0)
            .block(t -> t.to().getAddress().getHostAddress().startsWith("10."));
    private final AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 1),
            CoreConfig.defaults(IceRole.CONTROLLED, 2), 11);

    @Test
    void throughTwoPortRestrictedConesTheDirectPairSucceedsOneSlotAndOneRoundTripAfterThePeersCheck() {
        net.nat(A_HOST, A_NAT, NatBehaviour.PORT_RESTRICTED).nat(B_HOST, B_NAT, NatBehaviour.PORT_RESTRICTED);
        exchange(List.of(host(A_HOST, 65535), reflexive(A_NAT, A_HOST)),
                List.of(host(B_HOST, 65535), reflexive(B_NAT, B_HOST)), 20 * MS);

        assertThat(net.runUntil(() -> validAt(p.a, B_NAT), 5_000 * MS)).isTrue();
        long aValid = net.now();
        int bFirst = firstSent(B_NAT, A_NAT);
        long arrival = net.sentAt.get(bFirst) + RTT / 2;
        // A's check went out before B's opened B's NAT, and was filtered there
        int aFirst = firstSent(A_NAT, B_NAT);
        assertThat(aFirst).isLessThan(bFirst);
        assertThat(net.filtered).isPositive();
        // B's check arrived on A's pair in progress: A's next Ta slot (A's last check was its first on
        // the pair, so the slot is Ta after it) carries a new check, answered one round trip later
        long slot = Math.max(arrival, net.sentAt.get(aFirst) + TA);
        assertThat(aValid).as("A's pair valid at (ms)").isEqualTo(slot + RTT);
        // the cancelled check was not retransmitted; one new check replaced it
        List<Integer> aChecks = sentBetween(A_NAT, B_NAT, 0, aValid);
        assertThat(aChecks).hasSize(2);
        assertThat(net.sentAt.get(aChecks.get(1))).isEqualTo(slot);
        // the host pair, checked first, has been silent for longer than Ta: A nominates at once, and
        // both sides are connected one round trip later, not after the 200 ms nomination delay
        assertThat(net.runUntil(p::bothConnected, 2_000 * MS)).isTrue();
        assertThat(net.now()).as("connected at (ns)").isEqualTo(aValid + RTT);
        assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(B_NAT);
        assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(A_NAT);
    }

    @Test
    void aRelayedPairThatSucceedsFirstIsNotNominatedWhileTheDirectOneCanStillSucceed() {
        net.nat(A_HOST, A_NAT, NatBehaviour.PORT_RESTRICTED).nat(B_HOST, B_NAT, NatBehaviour.PORT_RESTRICTED);
        // B is 300 ms late: A's relayed pairs succeed at once, the direct one only after B's check
        exchange(List.of(host(A_HOST, 65535), reflexive(A_NAT, A_HOST), relayed(A_RELAY)),
                List.of(host(B_HOST, 65535), reflexive(B_NAT, B_HOST), relayed(B_RELAY)), 300 * MS);

        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        net.runFor(1_000 * MS);
        p.drain();
        assertThat(selections(p.eventsA)).as("A's selected pairs").hasSize(1)
                .allSatisfy(s -> assertThat(s.remoteAddress()).isEqualTo(B_NAT));
        assertThat(selections(p.eventsB)).as("B's selected pairs").hasSize(1)
                .allSatisfy(s -> assertThat(s.remoteAddress()).isEqualTo(A_NAT));
        // the relayed pairs did succeed before the direct one: the wait is what kept them out
        assertThat(validAt(p.a, B_RELAY)).isTrue();
    }

    @Test
    void whereNoDirectPairCanWorkTheRelayedPairIsNominatedAfterTheRelayWait() {
        // a symmetric NAT facing a port-restricted cone: every direct check is filtered by one of them
        net.nat(A_HOST, A_NAT, NatBehaviour.SYMMETRIC).nat(B_HOST, B_NAT, NatBehaviour.PORT_RESTRICTED);
        exchange(List.of(host(A_HOST, 65535), reflexive(A_NAT, A_HOST), relayed(A_RELAY)),
                List.of(host(B_HOST, 65535), reflexive(B_NAT, B_HOST), relayed(B_RELAY)), 0);

        assertThat(net.runUntil(() -> !validAddresses(p.a).isEmpty(), 5_000 * MS)).isTrue();
        long firstValid = net.now();
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        CandidatePair selected = p.a.selectedPair();
        assertThat(selected.local().type() == CandidateType.RELAYED || selected.remote().type() == CandidateType.RELAYED)
                .as("selected %s", selected).isTrue();
        // nominated when the relay wait ran out (not at the 200 ms of a direct pair), then one round trip
        long nominationAt = firstValid + CoreConfig.RELAY_NOMINATION_DELAY.toNanos();
        assertThat(net.now()).isBetween(nominationAt, nominationAt + RTT);
    }

    // With trickle over slow signalling the peer's check (here through B's relay) teaches A's address
    // as peer-reflexive before A's candidate is signalled: the signalled one must then be paired with
    // every local candidate, or the direct pair from B's host is never formed.
    @Test
    void aSignalledCandidateThatACheckTaughtFirstIsPairedWithEveryLocalCandidate() {
        p.b.addLocalCandidate(0, host(B_HOST, 65535));
        p.b.addLocalCandidate(0, relayed(B_RELAY));
        p.b.setRemoteCredentials(0, p.a.credentials());
        byte[] check = CheckMessages.request(null, new TransactionId(9, 1), p.b.credentials().ufrag() + ":"
                + p.a.credentials().ufrag(), 1_845_501_695L, IceRole.CONTROLLING, 5, false, 0,
                IntegrityKey.shortTerm(p.b.credentials().pwd()));
        p.b.handleInput(0, new Datagram(B_RELAY, A_NAT, ByteBuffer.wrap(check), 0, check.length));
        assertThat(p.b.describeChecklist()).as("the pair the check arrived on").hasSize(1);

        p.b.addRemoteCandidate(0, reflexive(A_NAT, A_HOST).candidate());
        assertThat(p.b.describeChecklist()).as("and now the one from B's host").hasSize(2)
                .anyMatch(d -> d.startsWith(B_HOST + "->" + A_NAT));
    }

    // ---- set-up -----------------------------------------------------------------------------

    /** A's candidates go to B {@code lateB} after B's went to A; both sides' gathering is complete. */
    private void exchange(List<LocalCandidate> forA, List<LocalCandidate> forB, long lateB) {
        for (LocalCandidate c : forA) {
            net.attach(p.a, c.base());
        }
        for (LocalCandidate c : forB) {
            net.attach(p.b, c.base());
        }
        long now = net.now();
        p.a.setRemoteCredentials(now, p.b.credentials());
        p.b.setRemoteCredentials(now, p.a.credentials());
        for (LocalCandidate c : forA) {
            p.a.addLocalCandidate(now, c);
        }
        for (LocalCandidate c : forB) {
            p.b.addLocalCandidate(now, c);
            p.a.addRemoteCandidate(now, c.candidate());
        }
        p.a.localGatheringComplete(now);
        p.b.localGatheringComplete(now);
        p.a.remoteEndOfCandidates(now);
        net.runFor(lateB);
        now = net.now();
        for (LocalCandidate c : forA) {
            p.b.addRemoteCandidate(now, c.candidate());
        }
        p.b.remoteEndOfCandidates(now);
    }

    private static LocalCandidate relayed(InetSocketAddress relay) {
        long priority = CandidatePriority.of(CandidateType.RELAYED.typePreference(), 65535, 1);
        return new LocalCandidate(IceCandidate.udp("r" + relay.getPort(), 1, priority, relay, CandidateType.RELAYED),
                relay);
    }

    // ---- observations -----------------------------------------------------------------------

    private static List<InetSocketAddress> validAddresses(IceAgentCore core) {
        List<InetSocketAddress> valid = new ArrayList<>();
        core.remoteAddresses(valid, new ArrayList<>());
        return valid;
    }

    private static boolean validAt(IceAgentCore core, InetSocketAddress remote) {
        return validAddresses(core).contains(remote);
    }

    /** The index in {@link SimNetwork#sent} of the first Binding request from {@code from} to {@code to}. */
    private int firstSent(InetSocketAddress from, InetSocketAddress to) {
        List<Integer> all = sentBetween(from, to, 0, Long.MAX_VALUE);
        assertThat(all).as("requests %s -> %s", from, to).isNotEmpty();
        return all.get(0);
    }

    /** The indexes of the Binding requests from {@code from} to {@code to} put on the wire in [start, end). */
    private List<Integer> sentBetween(InetSocketAddress from, InetSocketAddress to, long start, long end) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < net.sent.size(); i++) {
            Transmit t = net.sent.get(i);
            long at = net.sentAt.get(i);
            if (t.from().equals(from) && t.to().equals(to) && isRequest(t.data()) && at >= start && at < end) {
                out.add(i);
            }
        }
        return out;
    }

}
