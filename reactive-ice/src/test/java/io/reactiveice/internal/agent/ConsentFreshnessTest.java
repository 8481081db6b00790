package io.reactiveice.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Consent freshness's own timing (RFC 7675 section 5.1) on one selected pair, stepped on its own clock. */
class ConsentFreshnessTest {
    private static final long MS = 1_000_000L;
    private final CoreConfig config = CoreConfig.defaults(IceRole.CONTROLLING, 7);
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final Checklist checklist = new Checklist(10);
    private final Pacing pacing = new Pacing(config);
    private final Nomination nomination = new Nomination(config, new Renomination(config));
    private final SplittableRandom random = new SplittableRandom(3);
    private final OutgoingChecks checks = new OutgoingChecks(config, random, checklist,
            pacing, nomination, transmits, new ProtocolTrace(new java.util.ArrayDeque<>()));
    private final ConsentFreshness consent = new ConsentFreshness(config, random, checklist, checks, pacing);
    private final PairEntry selected = selectedPair();

    private PairEntry selectedPair() {
        SessionCredentials session = new SessionCredentials(new IceCredentials("ufrag", "abcdefghijklmnopqrstuvwx"));
        session.remote(new IceCredentials("peer", "zyxwvutsrqponmlkjihgfedc"));
        InetSocketAddress base = new InetSocketAddress("10.0.0.1", 1000);
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), 65535, 1);
        PairEntry p = checklist.add(new LocalCandidate(IceCandidate.udp("a", 1, priority, base, CandidateType.HOST), base),
                IceCandidate.udp("b", 1, priority, new InetSocketAddress("10.0.1.1", 2000), CandidateType.HOST),
                new InetSocketAddress("10.0.1.1", 2000), IceRole.CONTROLLING, session);
        checklist.checkSucceeded(p);
        consent.selected(p, 0);
        consent.restartTimers(0);
        return p;
    }

    @Test
    void consentChecksGoEvery4To6SecondsOnTheSelectedPairOnceEach() {
        List<Long> gaps = new ArrayList<>();
        long last = 0;
        for (int i = 0; i < 4; i++) { // each answered at once
            long now = consent.nextTimeout(selected, IceState.CONNECTED);
            assertThat(consent.run(now, selected, IceState.CONNECTED, IceRole.CONTROLLING)).isEqualTo(ConsentFreshness.Verdict.NONE);
            assertThat(transmits.poll()).isNotNull();
            assertThat(transmits).as("sent once, not retransmitted").isEmpty();
            consent.proved(selected, now);
            gaps.add(now - last);
            last = now;
        }
        assertThat(gaps).allSatisfy(g -> assertThat(g).isBetween(4_000 * MS, 6_000 * MS));
    }

    @Test
    void aSilentSelectedPairIsDisconnectedThenRecoveryChecksDoubleFromTaUpToTheRtoAndConsentIsLostAt30S() {
        long disconnectedAt = config.disconnectedTimeout().toNanos();
        IceState state = IceState.CONNECTED;
        long now = 0;
        while (now < disconnectedAt) { // the consent checks go unanswered
            now = consent.nextTimeout(selected, state);
            assertThat(consent.run(now, selected, state, IceRole.CONTROLLING)).isNotEqualTo(ConsentFreshness.Verdict.LOST);
        }
        assertThat(now).isEqualTo(disconnectedAt);
        transmits.clear();
        state = IceState.DISCONNECTED; // the verdict of the last run, applied as the core does
        List<Long> recoveryAt = new ArrayList<>();
        recoveryAt.add(0L);
        for (int i = 0; i < 6; i++) {
            now = consent.nextTimeout(selected, state);
            consent.run(now, selected, state, IceRole.CONTROLLING);
            recoveryAt.add((now - disconnectedAt) / MS);
        }
        // RFC 7675 recovery on the selected pair: at once, then Ta (50 ms) doubling up to the RTO (500 ms)
        assertThat(recoveryAt).containsExactly(0L, 50L, 150L, 350L, 750L, 1250L, 1750L);
        ConsentFreshness.Verdict verdict = ConsentFreshness.Verdict.NONE;
        while (verdict == ConsentFreshness.Verdict.NONE) {
            now = consent.nextTimeout(selected, state);
            verdict = consent.run(now, selected, state, IceRole.CONTROLLING);
        }
        assertThat(verdict).isEqualTo(ConsentFreshness.Verdict.LOST);
        assertThat(now).isEqualTo(config.consentTimeout().toNanos());
        assertThat(checks.inFlight()).as("no consent check is awaited once consent is lost").isEmpty();
    }

    @Test
    void anAnswerOnTheSelectedPairWhileDisconnectedReconnectsAndOnABackupRenominatesIt() {
        assertThat(consent.renewed(10, selected, selected, IceState.CONNECTED, IceRole.CONTROLLING))
                .isEqualTo(ConsentFreshness.Renewal.NONE);
        assertThat(consent.renewed(10, selected, selected, IceState.DISCONNECTED, IceRole.CONTROLLING))
                .isEqualTo(ConsentFreshness.Renewal.RECONNECTED);
        assertThat(consent.nextTimeout(selected, IceState.CONNECTED)).as("consent checks resume after 4 to 6 s")
                .isBetween(10 + 4_000 * MS, 10 + 6_000 * MS);
        PairEntry other = new PairEntry(selected.local, selected.remote, new InetSocketAddress("10.0.1.2", 2000),
                IceRole.CONTROLLING);
        checklist.checkSucceeded(other);
        assertThat(consent.renewed(10, other, selected, IceState.DISCONNECTED, IceRole.CONTROLLING))
                .isEqualTo(ConsentFreshness.Renewal.RENOMINATE);
        assertThat(consent.renewed(10, other, selected, IceState.DISCONNECTED, IceRole.CONTROLLED))
                .as("the controlled agent follows the peer's nomination").isEqualTo(ConsentFreshness.Renewal.NONE);
    }
}
