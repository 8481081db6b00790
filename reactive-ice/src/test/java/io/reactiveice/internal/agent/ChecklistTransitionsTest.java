package io.reactiveice.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pair-state transitions the Checklist owns (RFC 8445 section 6.1.2.6), one pair list at a time. */
class ChecklistTransitionsTest {
    private static final SessionCredentials SESSION = new SessionCredentials(new IceCredentials("ufrag", "abcdefghijklmnopqrstuvwx"));
    private static final LocalCandidate A1 = host("10.0.0.1", 1000, 65535);
    private static final LocalCandidate A2 = host("10.0.0.2", 1000, 65000);
    private static final IceCandidate B1 = IceCandidate.udp("b", 1,
            CandidatePriority.of(CandidateType.HOST.typePreference(), 65535, 1), new InetSocketAddress("10.0.1.1", 2000),
            CandidateType.HOST);

    private final Checklist checklist = new Checklist(10);

    private static LocalCandidate host(String ip, int port, int localPreference) {
        InetSocketAddress base = new InetSocketAddress(ip, port);
        return new LocalCandidate(IceCandidate.udp("a", 1, CandidatePriority.of(CandidateType.HOST.typePreference(),
                localPreference, 1), base, CandidateType.HOST), base);
    }

    private PairEntry add(LocalCandidate local) {
        return checklist.add(local, B1, B1.socketAddress(), IceRole.CONTROLLING, SESSION);
    }

    private static StunClientTransaction transaction() {
        return StunClientTransaction.start(TransactionId.random(new SplittableRandom(1)),
                RetransmissionSchedule.UDP_DEFAULT, 0);
    }

    @Test
    void aPairOfAFoundationInUseStartsFrozenAndASuccessUnfreezesItAndEntersTheValidListOnce() {
        PairEntry first = add(A1); // sections 6.1.2.6 and RFC 8838 section 11: the foundation's first pair waits
        PairEntry second = add(A2); // same foundation "a:b", busy: frozen
        assertThat(first.state).isEqualTo(PairState.WAITING);
        assertThat(second.state).isEqualTo(PairState.FROZEN);
        checklist.checkStarted(first, transaction(), false);
        assertThat(first.state).isEqualTo(PairState.IN_PROGRESS);
        assertThat(checklist.checkSucceeded(first)).as("entered the valid list").isTrue();
        assertThat(first.transaction).isNull();
        assertThat(first.state).isEqualTo(PairState.SUCCEEDED);
        assertThat(second.state).as("section 7.2.5.3.3: unfrozen by the success").isEqualTo(PairState.WAITING);
        assertThat(checklist.checkSucceeded(first)).as("a second success adds nothing").isFalse();
        assertThat(checklist.bestValid()).isSameAs(first);
    }

    @Test
    void theRtoOfACheckCountsTheActivePairsWithTheOneStarting() {
        // section 14.3: Ta * (Waiting + In-Progress pairs), the starting pair included whatever its state
        PairEntry first = add(A1);
        PairEntry second = add(A2);
        assertThat(checklist.activeWith(second)).as("the waiting one and the frozen one starting").isEqualTo(2);
        checklist.checkFailed(first, new io.reactiveice.agent.PairFailure.NoResponse(7));
        assertThat(checklist.activeWith(second)).isEqualTo(1);
        assertThat(checklist.activeWith(first)).as("a failed pair starting again counts itself").isEqualTo(1);
    }

    @Test
    void aFailedCheckEndsThePairsCheckAndARoleConflictQueuesItAheadOfTheOthers() {
        PairEntry first = add(A1);
        PairEntry second = add(A2);
        checklist.checkStarted(second, transaction(), true);
        checklist.checkFailed(second, new io.reactiveice.agent.PairFailure.NoResponse(7));
        assertThat(second.transaction).isNull();
        assertThat(second.state).isEqualTo(PairState.FAILED);
        assertThat(checklist.next()).as("the best waiting pair").isSameAs(first);
        checklist.checkStarted(first, transaction(), false);
        checklist.checkStarted(second, transaction(), true);
        checklist.roleConflictRetry(second); // section 7.2.5.1: checked again, triggered
        assertThat(second.transaction).isNull();
        assertThat(second.state).isEqualTo(PairState.WAITING);
        assertThat(checklist.next()).isSameAs(second);
    }

    @Test
    void aPairWhoseLocalCandidateIsLostLeavesTheValidListAndALeftPairIsNoLongerHeld() {
        PairEntry first = add(A1);
        checklist.checkSucceeded(first);
        checklist.localLost(first, new io.reactiveice.agent.PairFailure.LocalCandidateLost());
        assertThat(first.valid).isFalse();
        assertThat(first.state).isEqualTo(PairState.FAILED);
        assertThat(checklist.bestValid()).isNull();
        checklist.left(first);
        assertThat(first.held).as("an answer for it changes nothing").isFalse();
    }

    @Test
    void theFirstCheckOfThePeerOnAPairIsReportedOnce() {
        PairEntry first = add(A1);
        assertThat(checklist.heard(first)).isTrue();
        assertThat(checklist.heard(first)).isFalse();
    }
}
