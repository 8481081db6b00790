package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A local address disappears or appears under a live agent (issue 13), in virtual time on the
 * {@link SimNetwork} with 1 ms one-way latency: what the shell's network monitor reports reaches the
 * core as {@link IceAgentCore#localCandidateLost} and {@link IceAgentCore#addLocalCandidate}. Each
 * test pins the instant the selected pair moves.
 */
class AddressChangeTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A2 = addr("127.0.0.2", 10_002);
    private static final InetSocketAddress A3 = addr("127.0.0.5", 10_003);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    private static final InetSocketAddress B2 = addr("127.0.0.4", 20_002);

    private final Set<InetSocketAddress> gone = new HashSet<>();

    private AgentPair agents(boolean renomination, List<LocalCandidate> forA, List<LocalCandidate> forB) {
        SimNetwork net = new SimNetwork(21).block(t -> gone.contains(t.from()) || gone.contains(t.to()));
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withRenomination(renomination),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L).withRenomination(renomination), 42);
        p.a.setRemoteRenomination(0, renomination);
        p.b.setRemoteRenomination(0, renomination);
        p.hosts(forA, forB);
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(2 * S); // every pair has been checked: the backups are valid
        return p;
    }

    /** The address under A's candidate disappears: the network drops it, and the monitor tells the core. */
    private void lose(AgentPair p, IceAgentCore core, InetSocketAddress base) {
        gone.add(base);
        core.localCandidateLost(p.net.now(), base);
    }

    // ---- lost, with a valid backup -----------------------------------------------------------

    /**
     * The controlling agent loses the address of the selected pair while the pair from A2 is valid:
     * it selects that pair in the same instant and nominates it (USE-CANDIDATE, no renomination
     * here); B follows one way later. No DISCONNECTED, no consent timeout.
     */
    @Test
    void theControllingAgentMovesToTheValidBackupTheInstantItsAddressIsLost() {
        AgentPair p = agents(false, List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535)));
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        p.drain();
        p.eventsA.clear();
        long lostAt = p.net.now();
        int sentBefore = p.net.sent.size();

        lose(p, p.a, A1);

        assertThat(p.a.selectedPair().base()).isEqualTo(A2);
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(p.net.runUntil(() -> A2.equals(remote(p.b)), S)).isTrue();
        assertThat(p.net.now()).isEqualTo(lostAt + MS); // the nominating check's one way
        assertThat(nominatingFrom(p.net, A2, sentBefore)).as("USE-CANDIDATE on A2's pair at once").first()
                .isEqualTo(lostAt);
        p.drain();
        assertThat(AgentPair.states(p.eventsA)).doesNotContain(IceState.DISCONNECTED, IceState.FAILED);
        assertThat(p.a.describeChecklist()).filteredOn(d -> d.startsWith(A1 + "->"))
                .allMatch(d -> d.contains("FAILED") && !d.contains("valid"));
        p.net.runFor(60 * S); // and it stays there, with consent
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(p.b.state()).isEqualTo(IceState.COMPLETED);
        assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(A2);
    }

    /** The same with renomination on both sides: the move is a renomination, NOMINATION 2. */
    @Test
    void withRenominationTheMoveCarriesTheNextNomination() {
        AgentPair p = agents(true, List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535)));
        long lostAt = p.net.now();
        int sentBefore = p.net.sent.size();
        lose(p, p.a, A1);
        assertThat(p.a.selectedPair().base()).isEqualTo(A2);
        assertThat(p.net.runUntil(() -> A2.equals(remote(p.b)), S)).isTrue();
        assertThat(p.net.now()).isEqualTo(lostAt + MS);
        assertThat(nominationsFrom(p.net, A2, sentBefore)).first().isEqualTo(2L);
    }

    /**
     * The controlled agent loses the address of the selected pair: it moves its own data path to the
     * valid pair from B2 at once; it cannot nominate, so A, which does not know, moves when its
     * probe of the old pair (after B's check on the new one) goes unanswered, by RFC 7675 recovery,
     * and renominates B2's pair (timed in the next test).
     */
    @Test
    void theControlledAgentMovesItsDataPathAtOnceAndThePeerFollowsByConsent() {
        AgentPair p = agents(false, List.of(host(A1, 65_535)), List.of(host(B1, 65_535), host(B2, 100)));
        long lostAt = p.net.now();
        lose(p, p.b, B1);
        assertThat(p.b.selectedPair().base()).isEqualTo(B2);
        assertThat(p.b.state()).isEqualTo(IceState.COMPLETED);
        assertThat(p.net.runUntil(() -> B2.equals(remote(p.a)) && AgentPair.connected(p.a.state()), 30 * S)).isTrue();
        assertThat(p.net.now() - lostAt).isLessThan(CoreConfig.defaults(IceRole.CONTROLLING, 1).disconnectedTimeout()
                .toNanos() + S);
        assertThat(p.b.selectedPair().base()).isEqualTo(B2);
    }

    /**
     * The same loss, timed: B moves its data path and checks its new pair in the instant of the loss;
     * A, which cannot know, takes B's check on a valid backup as the hint. It probes its selected
     * pair at once (one way later), and when that probe goes unanswered for the probe's wait (2 Ta,
     * 100 ms: four round trips are less) it goes DISCONNECTED and recovers as RFC 7675 recovery does:
     * the selected pair's recovery checks take the next two Ta slots (101 and 151 ms), the backup's
     * goes in the third (201 ms) and answers one round trip later, A nominates it, and A's data path
     * is on B2 when that nomination succeeds, 205 ms after the loss instead of after 7.5 s of silence.
     */
    @Test
    void theControllingAgentFollowsAControlledAgentThatMovedOffALostAddressWithinOneProbeWait() {
        AgentPair p = agents(false, List.of(host(A1, 65_535)), List.of(host(B1, 65_535), host(B2, 100)));
        assertThat(remote(p.a)).isEqualTo(B1);
        p.drain();
        p.eventsA.clear();
        long lostAt = p.net.now();
        int sentBefore = p.net.sent.size();

        lose(p, p.b, B1);

        assertThat(p.b.selectedPair().base()).isEqualTo(B2);
        p.net.runUntil(() -> true, 0); // puts what is queued on the wire
        assertThat(firstRequestFrom(p.net, B2, sentBefore)).as("B checks its new pair at once").isEqualTo(lostAt);
        assertThat(p.net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, S)).isTrue();
        assertThat(p.net.now()).as("A's probe of A1-B1, one way after B's check, unanswered for 100 ms")
                .isEqualTo(lostAt + MS + 100 * MS);
        assertThat(p.net.runUntil(() -> B2.equals(remote(p.a)), S)).isTrue();
        assertThat(p.net.now()).isEqualTo(lostAt + 205 * MS);
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        p.net.runFor(60 * S); // and both stay there, with consent
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(p.b.state()).isEqualTo(IceState.COMPLETED);
        assertThat(remote(p.a)).isEqualTo(B2);
        assertThat(remote(p.b)).isEqualTo(A1);
    }

    /**
     * The probe's wait follows the path's round trip as consent responses measure it, not as the first
     * checks found it: connected over a slow path (100 ms one way, 200 ms round trip, so four round
     * trips would be 800 ms), then the path becomes fast (1 ms) and a consent round goes by; when B
     * moves off its lost address, A's unanswered probe makes it DISCONNECTED after 2 Ta (100 ms), as on
     * a path that was always fast.
     */
    @Test
    void theProbesWaitFollowsTheRoundTripOfTheLatestConsentResponse() {
        SimNetwork net = new SimNetwork(22).latency(100 * MS, 0)
                .block(t -> gone.contains(t.from()) || gone.contains(t.to()));
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535), host(B2, 100)));
        assertThat(net.runUntil(p::bothConnected, 10 * S)).isTrue();
        net.runFor(3 * S);
        net.latency(MS, 0);
        net.runFor(10 * S); // consent checks (every 4 to 6 s) answered over the fast path
        assertThat(remote(p.a)).isEqualTo(B1);
        long lostAt = net.now();

        lose(p, p.b, B1);

        assertThat(net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 2 * S)).isTrue();
        assertThat(net.now()).as("A's probe, one way after B's check, unanswered for 2 Ta").isEqualTo(lostAt + 101 * MS);
        assertThat(net.runUntil(() -> B2.equals(remote(p.a)), S)).isTrue();
    }

    /**
     * While the selected pair answers, the peer's checks on a valid backup cost one consent check of
     * ours each at most, and change nothing: no DISCONNECTED, no move.
     */
    @Test
    void aPeersCheckOnABackupWhileTheSelectedPairAnswersChangesNothing() {
        AgentPair p = agents(false, List.of(host(A1, 65_535)), List.of(host(B1, 65_535), host(B2, 100)));
        p.drain();
        p.eventsA.clear();
        byte[] check = null; // one of B's checks on the backup B2-A1 (a retransmission to A is still a check)
        for (int i = 0; i < p.net.sent.size() && check == null; i++) {
            Transmit t = p.net.sent.get(i);
            if (t.from().equals(B2) && t.to().equals(A1) && t.data()[0] == 0 && t.data()[1] == 1) {
                check = t.data();
            }
        }
        assertThat(check).isNotNull();
        int sentBefore = p.net.sent.size();
        for (int i = 0; i < 5; i++) {
            p.net.runFor(S);
            p.a.handleInput(p.net.now(), new Datagram(A1, B2, ByteBuffer.wrap(check), 0, check.length));
        }
        p.net.runFor(10 * S);
        p.drain();
        assertThat(AgentPair.states(p.eventsA)).doesNotContain(IceState.DISCONNECTED, IceState.FAILED);
        assertThat(remote(p.a)).isEqualTo(B1);
        assertThat(p.net.sent.subList(sentBefore, p.net.sent.size())).filteredOn(t -> t.from().equals(A1)
                && t.to().equals(B1) && t.data()[0] == 0 && t.data()[1] == 1).as("5 probes, 2 or 3 consent checks")
                .hasSizeBetween(7, 8);
    }

    // ---- lost, without a backup --------------------------------------------------------------

    /**
     * A's only address goes; DISCONNECTED, nothing to move to. Half a second later the monitor finds a
     * new one, A3: its candidate pairs with B's, is checked in the next Ta slot, and the pair is
     * selected and nominated the instant its check succeeds, without an ICE restart: with
     * renomination as NOMINATION 2, without it as consent failover nominates.
     */
    @Test
    void aNewAddressAfterTheOnlyOneWasLostIsCheckedSelectedAndNominated() {
        for (boolean renomination : new boolean[] {false, true}) {
            gone.clear();
            AgentPair p = agents(renomination, List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
            lose(p, p.a, A1);
            assertThat(p.a.state()).isEqualTo(IceState.DISCONNECTED);
            assertThat(p.a.selectedPair().base()).as("nothing to move to yet").isEqualTo(A1);
            p.net.runFor(500 * MS);

            long gainedAt = p.net.now();
            int sentBefore = p.net.sent.size();
            p.net.attach(p.a, A3);
            p.a.addLocalCandidate(gainedAt, host(A3, 65_535));
            assertThat(p.net.runUntil(() -> A3.equals(base(p.a)), S)).isTrue();
            long selectedAt = p.net.now();
            assertThat(selectedAt).as("one round trip after its first check").isEqualTo(firstRequestFrom(p.net, A3,
                    sentBefore) + 2 * MS);
            assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
            assertThat(p.net.runUntil(() -> A3.equals(remote(p.b)), S)).isTrue();
            assertThat(p.net.now()).isEqualTo(selectedAt + MS);
            if (renomination) {
                assertThat(nominationsFrom(p.net, A3, sentBefore)).first().isEqualTo(2L);
            }
            p.net.runFor(60 * S);
            assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
            assertThat(p.b.state()).isEqualTo(IceState.COMPLETED);
        }
    }

    /** Without a new address, the lost selection ends as consent does: FAILED 30 s after the last answer. */
    @Test
    void withNoAddressLeftTheAgentFailsWhenConsentRunsOut() {
        AgentPair p = agents(false, List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        lose(p, p.a, A1);
        assertThat(p.net.runUntil(() -> p.a.state() == IceState.FAILED, 31 * S)).isTrue();
    }

    // ---- gained ------------------------------------------------------------------------------

    /**
     * A better address appears (higher local preference) while A2's pair is selected: with
     * renomination both sides move to it the instant its pair is valid; without, the pair nominated
     * first is kept (RFC 8445 section 8.1.1) and the new pair stays a valid backup.
     */
    @Test
    void aBetterAddressThatAppearsIsMovedToWithRenominationOnly() {
        for (boolean renomination : new boolean[] {true, false}) {
            AgentPair p = agents(renomination, List.of(host(A2, 100)), List.of(host(B1, 65_535)));
            long gainedAt = p.net.now();
            p.net.attach(p.a, A1);
            p.a.addLocalCandidate(gainedAt, host(A1, 65_535));
            p.net.runFor(2 * S);
            assertThat(base(p.a)).isEqualTo(renomination ? A1 : A2);
            assertThat(remote(p.b)).isEqualTo(renomination ? A1 : A2);
            assertThat(p.a.describeChecklist()).filteredOn(d -> d.startsWith(A1 + "->")).allMatch(d -> d.contains("valid"));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static InetSocketAddress base(IceAgentCore core) {
        CandidatePair s = core.selectedPair();
        return s == null ? null : s.base();
    }

    private static InetSocketAddress remote(IceAgentCore core) {
        CandidatePair s = core.selectedPair();
        return s == null ? null : s.remoteAddress();
    }

    /** When each request with USE-CANDIDATE from {@code from} was sent, from index {@code since} on. */
    private static List<Long> nominatingFrom(SimNetwork net, InetSocketAddress from, int since) {
        List<Long> out = new ArrayList<>();
        StunMessageReader r = new StunMessageReader();
        for (int i = since; i < net.sent.size(); i++) {
            byte[] d = net.sent.get(i).data();
            if (net.sent.get(i).from().equals(from) && r.tryRead(d, 0, d.length) && r.messageClass() == StunClass.REQUEST
                    && r.indexOf(StunAttributeType.USE_CANDIDATE) >= 0) {
                out.add(net.sentAt.get(i));
            }
        }
        return out;
    }

    private static List<Long> nominationsFrom(SimNetwork net, InetSocketAddress from, int since) {
        List<Long> out = new ArrayList<>();
        StunMessageReader r = new StunMessageReader();
        for (int i = since; i < net.sent.size(); i++) {
            byte[] d = net.sent.get(i).data();
            if (net.sent.get(i).from().equals(from) && r.tryRead(d, 0, d.length) && r.messageClass() == StunClass.REQUEST
                    && r.indexOf(StunAttributeType.NOMINATION) >= 0) {
                out.add(r.u32(r.indexOf(StunAttributeType.NOMINATION)) & 0xFFFF_FFFFL);
            }
        }
        return out;
    }

    private static long firstRequestFrom(SimNetwork net, InetSocketAddress from, int since) {
        for (int i = since; i < net.sent.size(); i++) {
            byte[] d = net.sent.get(i).data();
            if (net.sent.get(i).from().equals(from) && d[0] == 0 && d[1] == 1) {
                return net.sentAt.get(i);
            }
        }
        throw new AssertionError("no request from " + from);
    }
}
