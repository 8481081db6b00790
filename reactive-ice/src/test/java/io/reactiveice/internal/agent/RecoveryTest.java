package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Automatic recovery (issue 13, {@link Recovery}): when no valid pair is left after a change, the agent
 * renominates where it can and asks for an ICE restart where it must. In virtual time on the
 * {@link SimNetwork} (1 ms one way); the test's "application" does what it did for the first
 * connection: on a restart of either side ({@link IceEvent.RestartNeeded} performed with new
 * credentials, or {@link IceEvent.PeerRestarted}) it signals that side's credentials, candidates and
 * end-of-candidates to the other, in the same instant; the shell tells the restarted core that its
 * gathering, the same candidates, is complete.
 */
class RecoveryTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A2 = addr("127.0.0.2", 10_002);
    private static final InetSocketAddress A3 = addr("127.0.0.5", 10_003);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    private static final RecoveryConfig RESTART = RecoveryConfig.OFF.withRestart(true);

    private final Set<InetSocketAddress> gone = new HashSet<>();
    private final Map<IceAgentCore, List<LocalCandidate>> locals = new HashMap<>();
    private final List<Long> restartsOfA = new ArrayList<>();
    private final List<Long> restartsOfB = new ArrayList<>();
    private final List<Long> disconnectedA = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(5);
    private boolean signalling = true;
    private SimNetwork net;
    private IceAgentCore a;
    private IceAgentCore b;

    /** A (controlling) and B, connected, every pair checked; renomination offered by each as given. */
    private void connect(RecoveryConfig recovery, boolean renominationA, boolean renominationB,
            List<LocalCandidate> forA) {
        net = new SimNetwork(31).block(t -> gone.contains(t.from()) || gone.contains(t.to())
                || t.from().equals(A2) || t.to().equals(A2)); // A2 never reaches B
        SplittableRandom ra = new SplittableRandom(1);
        SplittableRandom rb = new SplittableRandom(2);
        a = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withRenomination(renominationA),
                recovery, IceCredentials.generate(ra), ra);
        b = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L).withRenomination(renominationB),
                recovery, IceCredentials.generate(rb), rb);
        a.setRemoteRenomination(0, renominationB);
        b.setRemoteRenomination(0, renominationA);
        locals.put(a, new ArrayList<>());
        locals.put(b, new ArrayList<>());
        for (LocalCandidate c : forA) {
            gather(a, c);
        }
        gather(b, host(B1, 65_535));
        a.localGatheringComplete(0);
        b.localGatheringComplete(0);
        signal(a, b);
        signal(b, a);
        assertThat(net.runUntil(() -> pump() && connected(a) && connected(b), 5 * S)).isTrue();
        net.runFor(2 * S);
        pump();
    }

    private void gather(IceAgentCore core, LocalCandidate c) {
        net.attach(core, c.base());
        locals.get(core).add(c);
        core.addLocalCandidate(net.now(), c);
    }

    private void lose(IceAgentCore core, InetSocketAddress base) {
        gone.add(base);
        locals.get(core).removeIf(c -> c.base().equals(base));
        core.localCandidateLost(net.now(), base);
    }

    /** The application's signalling of one side's session to the other, as for the first connection. */
    private void signal(IceAgentCore from, IceAgentCore to) {
        if (!signalling) {
            return;
        }
        long now = net.now();
        to.setRemoteCredentials(now, from.credentials());
        for (LocalCandidate c : locals.get(from)) {
            to.addRemoteCandidate(now, c.candidate());
        }
        to.remoteEndOfCandidates(now);
    }

    /** The shell and the application: restarts performed and signalled; always {@code true}. */
    private boolean pump() {
        boolean more = true;
        while (more) {
            more = false;
            for (IceAgentCore core : List.of(a, b)) {
                for (IceEvent e = core.pollEvent(); e != null; e = core.pollEvent()) {
                    more = true;
                    IceAgentCore peer = core == a ? b : a;
                    if (e instanceof IceEvent.RestartNeeded) {
                        (core == a ? restartsOfA : restartsOfB).add(net.now());
                        core.restart(net.now(), IceCredentials.generate(random));
                        core.localGatheringComplete(net.now()); // the same candidates, all gathered
                        signal(core, peer);
                    } else if (e instanceof IceEvent.PeerRestarted) {
                        core.localGatheringComplete(net.now());
                        signal(core, peer);
                    } else if (core == a && e instanceof IceEvent.StateChanged s && s.state() == IceState.DISCONNECTED) {
                        disconnectedA.add(net.now());
                    }
                }
            }
        }
        return true;
    }

    private static boolean connected(IceAgentCore core) {
        return AgentPair.connected(core.state()) && core.selectedPair() != null;
    }

    private static InetSocketAddress base(IceAgentCore core) {
        CandidatePair s = core.selectedPair();
        return s == null ? null : s.base();
    }

    // ---- address lost, no valid backup ---------------------------------------------------------

    /**
     * A loses the address of the selected pair; its other address, A2, has no valid pair (it never
     * reaches B), so there is nothing to move to. With restarts on, A asks for one in the same instant
     * (without renomination a pair that may still succeed would not be followed). With restarts off
     * nothing is asked for and the session fails when consent runs out (RFC 7675).
     */
    @Test
    void anAddressLostWithoutAValidBackupRestartsAtOnceOnlyWithThePolicyOn() {
        for (boolean on : new boolean[] {true, false}) {
            reset();
            connect(on ? RESTART : RecoveryConfig.OFF, false, false, List.of(host(A1, 65_535), host(A2, 100)));
            signalling = false; // only the instant of the first restart counts here
            String ufrag = a.credentials().ufrag();
            long lostAt = net.now();
            lose(a, A1);
            pump();
            assertThat(a.state()).isEqualTo(IceState.DISCONNECTED);
            if (on) {
                assertThat(restartsOfA).containsExactly(lostAt);
                assertThat(a.credentials().ufrag()).as("restarted with new credentials").isNotEqualTo(ufrag);
            } else {
                assertThat(net.runUntil(() -> pump() && a.state() == IceState.FAILED, 31 * S)).isTrue();
                assertThat(restartsOfA).isEmpty();
            }
            assertThat(restartsOfB).isEmpty();
        }
    }

    /**
     * The same loss with renomination on both sides: A2's pair is still in progress (its check to B
     * goes unanswered, and its retransmissions last 39.5 s), and it could be renominated if it
     * succeeded, so it gets the restart interval first: the restart is asked for 2 s after the loss.
     */
    @Test
    void withRenominationAPairThatMayStillSucceedGetsTheRestartIntervalFirst() {
        connect(RESTART, true, true, List.of(host(A1, 65_535), host(A2, 100)));
        signalling = false;
        long lostAt = net.now();
        lose(a, A1);
        assertThat(net.runUntil(() -> pump() && !restartsOfA.isEmpty(), 5 * S)).isTrue();
        assertThat(restartsOfA).containsExactly(lostAt + RESTART.restartInterval().toNanos());
    }

    /**
     * A's only address goes: DISCONNECTED, and with no local candidate at all no restart can help yet.
     * Half a second later a new address, A3, is gathered. A peer without renomination (B does not offer
     * it, though A does): the restart is asked for the instant A3's candidate is gathered, both sides
     * signal their new sessions, and the new session's pair from A3 is selected on both sides. With
     * renomination on both sides: no restart, A3's pair is renominated one round trip later.
     */
    @Test
    void aNewAddressAfterTheOnlyOneWasLostRestartsWithoutRenominationAndRenominatesWithIt() {
        for (boolean renominationB : new boolean[] {false, true}) {
            reset();
            connect(RESTART, true, renominationB, List.of(host(A1, 65_535)));
            String ufrag = a.credentials().ufrag();
            lose(a, A1);
            net.runFor(500 * MS);
            pump();
            assertThat(restartsOfA).as("no local candidate: nothing to restart with").isEmpty();
            assertThat(a.state()).isEqualTo(IceState.DISCONNECTED);

            long gainedAt = net.now();
            gather(a, host(A3, 65_535));
            assertThat(net.runUntil(() -> pump() && A3.equals(base(a)) && connected(a)
                    && b.selectedPair().remoteAddress().equals(A3), 2 * S)).isTrue();
            long recoveredAt = net.now();
            if (renominationB) {
                assertThat(restartsOfA).isEmpty();
                assertThat(a.credentials().ufrag()).isEqualTo(ufrag);
                assertThat(recoveredAt - gainedAt).as("check, answer, renomination's one way").isEqualTo(3 * MS);
            } else {
                assertThat(restartsOfA).containsExactly(gainedAt);
                assertThat(a.credentials().ufrag()).isNotEqualTo(ufrag);
                assertThat(recoveredAt - gainedAt).isEqualTo(EXPECTED_RESTART_RECOVERY);
            }
            assertThat(restartsOfB).isEmpty();
            net.runFor(60 * S);
            pump();
            assertThat(a.state()).isEqualTo(IceState.COMPLETED);
            assertThat(b.state()).isEqualTo(IceState.COMPLETED);
            assertThat(restartsOfA).hasSizeLessThanOrEqualTo(1);
        }
    }

    /** Measured once and pinned: a check and its answer, then the nomination's check and its answer. */
    private static final long EXPECTED_RESTART_RECOVERY = 4 * MS;

    // ---- consent silence ---------------------------------------------------------------------

    /**
     * The peer goes silent (its address is unreachable now), and no other pair exists: A is
     * DISCONNECTED when consent has been unanswered for 7.5 s, and asks for a restart in that instant,
     * long before consent runs out at 30 s. FAILED stays final: nothing is asked for after it.
     */
    @Test
    void aSilentPeerWithNoBackupRestartsTheInstantTheAgentIsDisconnected() {
        connect(RESTART, false, false, List.of(host(A1, 65_535)));
        signalling = false;
        gone.add(B1);
        assertThat(net.runUntil(() -> pump() && !restartsOfA.isEmpty(), 10 * S)).isTrue();
        assertThat(disconnectedA).hasSize(1);
        assertThat(restartsOfA.get(0)).isEqualTo(disconnectedA.get(0));
        assertThat(net.runUntil(() -> pump() && a.state() == IceState.FAILED, 31 * S)).isTrue();
        int atFailure = restartsOfA.size();
        net.runFor(60 * S);
        pump();
        assertThat(restartsOfA).hasSize(atFailure);
    }

    // ---- rate limit --------------------------------------------------------------------------

    /**
     * The peer never answers the new session (the signalling is down): A asks again when the restart
     * interval has passed, doubling after each restart that led nowhere, up to the maximum: with 1 s and
     * 4 s, at 0, 1, 3, 7, 11 s after the loss.
     */
    @Test
    void unansweredRestartsAreSpacedByADoublingIntervalUpToTheMaximum() {
        connect(new RecoveryConfig(true, Duration.ofSeconds(1), Duration.ofSeconds(4)), false, false,
                List.of(host(A1, 65_535), host(A2, 100)));
        signalling = false;
        long lostAt = net.now();
        lose(a, A1);
        assertThat(net.runUntil(() -> pump() && restartsOfA.size() >= 5, 20 * S)).isTrue();
        assertThat(restartsOfA.subList(0, 5)).containsExactly(lostAt, lostAt + S, lostAt + 3 * S, lostAt + 7 * S,
                lostAt + 11 * S);
    }

    /**
     * A restart that leads to a selected pair resets the doubling; the next one still keeps the
     * interval after it, so a flapping address restarts at most once per interval.
     */
    @Test
    void aSuccessfulRestartResetsTheDoublingButKeepsTheInterval() {
        connect(new RecoveryConfig(true, Duration.ofSeconds(1), Duration.ofSeconds(8)), false, false,
                List.of(host(A1, 65_535)));
        long lostAt = net.now();
        lose(a, A1);
        gather(a, host(A3, 65_535)); // the restart goes in the same instant
        assertThat(net.runUntil(() -> pump() && A3.equals(base(a)) && connected(a), S)).isTrue();
        assertThat(restartsOfA).containsExactly(lostAt);
        // A3 flaps away at once, and only A2, which never reaches B, is left: the next restart waits
        // for the interval after the last one, not doubled
        lose(a, A3);
        gather(a, host(A2, 100));
        assertThat(net.runUntil(() -> pump() && restartsOfA.size() == 2, 2 * S)).isTrue();
        assertThat(restartsOfA.get(1)).isEqualTo(lostAt + S);
    }

    private void reset() {
        gone.clear();
        locals.clear();
        restartsOfA.clear();
        restartsOfB.clear();
        disconnectedA.clear();
        signalling = true;
    }

    @Test
    void theDefaultSettingsAreOneSharedInstance() {
        assertThat(RecoveryConfig.of(false, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30)))
                .isSameAs(RecoveryConfig.OFF);
        RecoveryConfig on = RecoveryConfig.of(true, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(30));
        assertThat(on).isNotSameAs(RecoveryConfig.OFF).isEqualTo(RecoveryConfig.OFF.withRestart(true));
        assertThat(on.restart()).isTrue();
    }
}
