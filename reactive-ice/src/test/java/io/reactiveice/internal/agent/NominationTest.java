package io.reactiveice.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Regular nomination as the controlling agent (RFC 8445 section 8.1.1), one decision at a time. */
class NominationTest {
    private static final long MS = 1_000_000L;
    private final CoreConfig config = CoreConfig.defaults(IceRole.CONTROLLING, 7);
    private final Checklist checklist = new Checklist(10);
    private final Nomination nomination = new Nomination(config, new Renomination(config));
    private final SessionCredentials session = new SessionCredentials(new IceCredentials("ufrag", "abcdefghijklmnopqrstuvwx"));
    private final PairEntry best = add("10.0.0.1", 65535);
    private final PairEntry worse = add("10.0.0.2", 1000);

    private PairEntry add(String ip, int localPreference) {
        InetSocketAddress base = new InetSocketAddress(ip, 1000);
        IceCandidate local = IceCandidate.udp(ip, 1, CandidatePriority.of(CandidateType.HOST.typePreference(),
                localPreference, 1), base, CandidateType.HOST);
        IceCandidate remote = IceCandidate.udp("b", 1, CandidatePriority.of(CandidateType.HOST.typePreference(), 65535, 1),
                new InetSocketAddress("10.0.1.1", 2000), CandidateType.HOST);
        return checklist.add(new LocalCandidate(local, base), remote, remote.socketAddress(), IceRole.CONTROLLING, session);
    }

    @Test
    void theBestPairIsNominatedAtOnceWhenItIsValidAndNoBetterOneCanStillSucceed() {
        checklist.checkSucceeded(best);
        nomination.validated(0, null);
        assertThat(nomination.due(0, IceRole.CONTROLLING, false, null, checklist)).isSameAs(best);
        assertThat(nomination.due(0, IceRole.CONTROLLING, false, null, checklist))
                .as("one nomination in flight at a time").isNull();
    }

    @Test
    void aLesserValidPairIsNominatedOnlyWhenTheNominationDelayAfterTheFirstValidPairEnds() {
        checklist.checkSucceeded(worse);
        nomination.validated(100 * MS, null);
        long delay = config.nominationDelay().toNanos();
        assertThat(nomination.due(100 * MS, IceRole.CONTROLLING, false, null, checklist))
                .as("the better pair may still succeed").isNull();
        assertThat(nomination.nextTimeout(IceRole.CONTROLLING, false, checklist)).isEqualTo(100 * MS + delay);
        assertThat(nomination.due(100 * MS + delay - 1, IceRole.CONTROLLING, false, null, checklist)).isNull();
        assertThat(nomination.due(100 * MS + delay, IceRole.CONTROLLING, false, null, checklist)).isSameAs(worse);
    }

    @Test
    void theControlledAgentAndASettledSelectionNominateNothing() {
        checklist.checkSucceeded(best);
        nomination.validated(0, null);
        assertThat(nomination.due(0, IceRole.CONTROLLED, false, null, checklist)).isNull();
        assertThat(nomination.due(0, IceRole.CONTROLLING, true, worse, checklist)).isNull();
        assertThat(nomination.nextTimeout(IceRole.CONTROLLED, false, checklist)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNominationThatEndsWithoutSuccessFreesTheWayForAnother() {
        checklist.checkSucceeded(best);
        nomination.validated(0, null);
        assertThat(nomination.due(0, IceRole.CONTROLLING, false, null, checklist)).isSameAs(best);
        assertThat(nomination.renominate(worse)).as("one in flight").isFalse();
        nomination.ended(best);
        assertThat(nomination.renominate(worse)).isTrue();
        assertThat(nomination.awaits(worse, true)).as("our nomination waits on its check").isTrue();
    }
}
