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
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The early check series while a nomination waits on a pair's check (RFC 8445 sections 7.3.1.4, 7.3.1.5). */
class EarlyCheckSeriesTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);

    /** A controlled core on B1 with the scripted peer on A1; its ordinary check on the pair goes out at 0. */
    private static ScriptedPeer controlledCore() {
        SplittableRandom rb = new SplittableRandom(2);
        IceAgentCore b = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLED, 9), IceCredentials.generate(rb), rb);
        ScriptedPeer peer = new ScriptedPeer(b);
        b.addLocalCandidate(0, host(B1, 65_535));
        b.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        b.addRemoteCandidate(0, host(A1, 65_535).candidate());
        peer.drain(0);
        return peer;
    }

    // RFC 8445 sections 7.2.5.2 and 14.3 (a check fails after its last retransmission) with 7.3.1.4:
    // a peer that repeats USE-CANDIDATE every 2 s and never answers gets one early series on the
    // pair, the check fails at its first transaction's timeout (39.5 s), and after that each of its
    // checks on the failed pair gets one ordinary check; the awaited transactions stay within the cap.
    // (Before: each early check reset the timeout and a repeated nomination re-armed the series:
    // 2,701 checks in 10 minutes and the pair IN_PROGRESS for ever.)
    @Test
    void aPeerRepeatingUseCandidateOnAPairItNeverAnswersGetsOneEarlySeriesAndTheCheckFailsAtItsTimeout() {
        ScriptedPeer peer = controlledCore();
        IceAgentCore b = peer.core;
        long now = 0;
        long nextNomination = 0;
        long failedAt = -1;
        int mostAwaited = 0;
        while (now < 600 * S) {
            if (now >= nextNomination) { // the peer nominates again every 2 s; it never answers
                peer.check(now, A1, B1, true);
                nextNomination = now + 2 * S;
            }
            b.handleTimeout(now);
            peer.drain(now);
            mostAwaited = Math.max(mostAwaited, b.transactionsInFlight().size());
            if (failedAt < 0 && b.describeChecklist().get(0).contains("FAILED")) {
                failedAt = now;
            }
            now = Math.max(now + 1, Math.min(b.nextTimeout(), nextNomination));
        }
        List<Long> checksAt = new ArrayList<>();
        for (int i = 0; i < peer.sent.size(); i++) {
            if (peer.sent.get(i).to().equals(A1) && ScriptedPeer.isRequest(peer.sent.get(i))) {
                checksAt.add(peer.sentAt.get(i));
            }
        }
        assertThat(failedAt).as("the check fails 39.5 s after its first transaction").isEqualTo(39_500 * MS);
        long inSeries = checksAt.stream().filter(t -> t < 39_500 * MS).count();
        EarlyCheckSeries series = new EarlyCheckSeries(CoreConfig.defaults(IceRole.CONTROLLED, 9));
        assertThat(inSeries).as("the first check, its early checks, the last one's retransmissions")
                .isBetween(1L + series.maxEarlyChecks(), 1L + series.maxEarlyChecks() + 7);
        for (int i = 1; i < checksAt.size(); i++) {
            if (checksAt.get(i - 1) >= 39_500 * MS) { // no second series: the ordinary schedule, RTO apart at least
                assertThat(checksAt.get(i) - checksAt.get(i - 1)).as("gap before check %d", i).isGreaterThanOrEqualTo(500 * MS);
            }
        }
        // after the series, one ordinary check (7 sends in 39.5 s) per nomination that finds the pair failed
        assertThat(checksAt.size()).isLessThanOrEqualTo((int) inSeries + 15 * 7);
        assertThat(mostAwaited).as("transactions awaited at any time").isLessThanOrEqualTo(EarlyCheckSeries.MAX_AWAITED);
    }

    // RFC 8445 section 7.3.1.4: a check replaced by an early one is no longer retransmitted, but an
    // answer to it still shows that the pair works: the nominated pair is selected at once.
    @Test
    void anAnswerToACheckThatAnEarlyCheckReplacedStillSelectsTheNominatedPair() {
        ScriptedPeer peer = controlledCore();
        IceAgentCore b = peer.core;
        Transmit first = peer.requestsTo(A1).get(0);
        peer.check(MS, A1, B1, true); // the peer nominates while our check is in flight
        for (long now = MS; now <= 120 * MS; now = Math.max(now + 1, b.nextTimeout())) {
            b.handleTimeout(now);
            peer.drain(now);
        }
        assertThat(peer.requestsTo(A1)).as("the first check and two early ones, at 0, 50 and 100 ms").hasSize(3);
        assertThat(b.selectedPair()).isNull();

        peer.answer(120 * MS, first);

        assertThat(b.selectedPair()).isNotNull();
        assertThat(b.selectedPair().remoteAddress()).isEqualTo(A1);
        assertThat(b.state()).isEqualTo(IceState.CONNECTED);
        assertThat(b.transactionsInFlight()).as("the early checks end with the success").isEmpty();
    }
}
