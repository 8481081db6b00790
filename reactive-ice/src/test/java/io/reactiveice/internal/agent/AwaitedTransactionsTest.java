package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Which of the core's STUN transactions are still awaited, and what a late answer can do ({@link TransactionTable}). */
class AwaitedTransactionsTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    private static final InetSocketAddress B2 = addr("127.0.0.4", 20_002);
    private static final InetSocketAddress B3 = addr("127.0.0.5", 20_003);

    private long now;

    private void runUntil(ScriptedPeer peer, long until) {
        IceAgentCore a = peer.core;
        while (a.nextTimeout() <= until) {
            now = Math.max(now, a.nextTimeout());
            a.handleTimeout(now);
            peer.drain(now);
        }
        now = until;
    }

    private static Transmit last(List<Transmit> list) {
        return list.get(list.size() - 1);
    }

    // RFC 8445 sections 6.1.2.5 and 7.2.5: a pair pushed out of the checklist by the pair limit is
    // gone; a late answer to a recovery check sent on it (RFC 7675) is ignored and counted. It neither
    // nominates the pair that left (before: a check with USE-CANDIDATE went to it, and the nomination
    // stuck on a pair nobody retransmitted or failed, so no other pair could be nominated again).
    @Test
    void aLateAnswerOnAPairThatLeftTheChecklistIsIgnoredCountedAndNominatesNothing() {
        SplittableRandom random = new SplittableRandom(3);
        IceAgentCore a = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLING, 1).withMaxPairs(2),
                IceCredentials.generate(random), random);
        ScriptedPeer peer = new ScriptedPeer(a);
        a.addLocalCandidate(0, host(A1, 65_535));
        a.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        a.addRemoteCandidate(0, IceCandidate.udp("b1", 1, 2_130_706_431L, B1, CandidateType.HOST));
        a.addRemoteCandidate(0, IceCandidate.udp("b2", 1, 2_130_706_000L, B2, CandidateType.HOST));
        peer.drain(0);
        peer.answer(10 * MS, peer.requestsTo(B1).get(0));       // A1-B1 valid: A nominates it at once
        peer.answer(11 * MS, last(peer.requestsTo(B1)));        // and selects it
        runUntil(peer, 60 * MS);
        peer.answer(61 * MS, last(peer.requestsTo(B2)));        // A1-B2 valid: a backup
        assertThat(a.selectedPair().remoteAddress()).isEqualTo(B1);

        runUntil(peer, 7_700 * MS); // silence: DISCONNECTED at 7.511 s, the backup's recovery check at 7.611 s
        assertThat(a.state()).isEqualTo(IceState.DISCONNECTED);
        peer.answer(now, last(peer.requestsTo(B2)));             // the backup answers: A nominates it
        Transmit nomination = last(peer.requestsTo(B2));
        assertThat(ScriptedPeer.hasUseCandidate(nomination)).isTrue();
        peer.answerError(now + MS, nomination, 400);             // which fails: A1-B2 FAILED, still valid
        runUntil(peer, 8_400 * MS);
        Transmit probe = last(peer.requestsTo(B2));              // a recovery check on the backup, unanswered yet
        assertThat(ScriptedPeer.hasUseCandidate(probe)).isFalse();

        a.addRemoteCandidate(now, IceCandidate.udp("b3", 1, 2_130_706_200L, B3, CandidateType.HOST));
        assertThat(a.describeChecklist()).as("A1-B2 left for A1-B3").noneMatch(d -> d.contains(B2.toString()));
        int toB2 = peer.requestsTo(B2).size();
        peer.answer(now, probe);                                  // the late answer

        assertThat(a.status().lateResponses()).isEqualTo(1);
        Set<Transmit> answered = Collections.newSetFromMap(new IdentityHashMap<>());
        for (long until = now + 3 * S; now < until; ) {           // B3 answers everything
            runUntil(peer, now + 10 * MS);
            for (Transmit t : peer.requestsTo(B3)) {
                if (!answered.contains(t)) {
                    answered.add(t);
                    peer.answer(now, t);
                }
            }
        }
        assertThat(peer.requestsTo(B2)).as("requests to the pair that left").hasSize(toB2);
        assertThat(a.selectedPair().remoteAddress()).as("the backup that answers is nominated").isEqualTo(B3);
        assertThat(a.state().canSend()).isTrue();
    }
}
