package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import java.util.random.RandomGenerator;

/**
 * Consent freshness on the selected pair (<a href="https://www.rfc-editor.org/rfc/rfc7675#section-5.1">RFC
 * 7675 section 5.1</a>): a Binding request every 5 s, randomized to 0.8 to 1.2 times the interval,
 * each a new transaction sent once; consent is lost 30 s after the last response, and only then does
 * the agent stop sending. After a shorter silence it reports DISCONNECTED, a warning: data keeps
 * flowing, and until a response arrives the regular checks give way to recovery checks. The selected
 * pair gets them on its own schedule, first after Ta and then at doubling intervals up to the check
 * RTO (500 ms), so that a path that comes back is used again within about a second. The valid
 * backups get them paced as checks are (RFC 8445 section 14.2): one backup per free Ta slot,
 * round-robin, least recently checked first, each at most once per the selected pair's current
 * interval, never with USE-CANDIDATE. Each of these is also sent once with a new transaction, and
 * they stop when consent is lost; unanswered ones are forgotten once older than the consent timeout
 * ({@link TransactionTable}), since their answers could no longer renew consent. These recovery
 * checks come more often than RFC 7675 section 5.1's 4 s minimum period of consent checks: they are
 * a deliberate departure, bounded to the DISCONNECTED span (22.5 s at the defaults): on the selected
 * pair at its start, 50, 150, 350 and 750 ms later and then every 500 ms (48 requests at the
 * defaults), on the backups one request per Ta in all. The regular consent checks keep their 4 to
 * 6 s. The controlling agent re-nominates a backup that answers, and the controlled agent follows
 * that nomination. These checks double as the keepalives of RFC 8445 section 11. An ICE-lite agent
 * sends none: the same two silences are measured on the peer's checks instead.
 *
 * <p>It owns the timing: when the next consent check is due, the recovery checks' interval and when
 * the next is due, and per pair the last proof of consent and the last recovery check. It takes the
 * selected pair, the state and the role as arguments and returns what the agent must do
 * ({@link Verdict}, {@link Renewal}); it sends through {@link OutgoingChecks} and takes Ta slots of
 * the agent's {@link Pacing}.
 */
final class ConsentFreshness {
    /** What the silence of the selected pair means at {@code now}. */
    enum Verdict {
        /** Nothing changes. */
        NONE,
        /** Silent for the disconnected timeout: DISCONNECTED, recovery checks started. */
        DISCONNECTED,
        /** Silent for the consent timeout: consent is lost, FAILED (section 5.1). */
        LOST
    }

    /** What a consent response means. */
    enum Renewal {
        /** Nothing changes. */
        NONE,
        /** The selected pair answers again: CONNECTED. */
        RECONNECTED,
        /** A backup answered while the selected pair is silent: nominate it (the controlling agent). */
        RENOMINATE
    }

    private final CoreConfig config;
    private final RandomGenerator random;
    private final Checklist checklist;
    private final OutgoingChecks checks;
    private final Pacing pacing;
    private long nextConsentAt = Long.MAX_VALUE;
    private long nextRecoveryAt = Long.MAX_VALUE; // the next recovery round while DISCONNECTED
    private long recoveryInterval;
    private long selectedProofAt = Long.MIN_VALUE; // the last proof of the pair selected last, for restartTimers
    private long probeSentAt = Long.MIN_VALUE; // a probe of the selected pair after the peer checked a backup
    private long probeDeadline = Long.MAX_VALUE;
    private PairEntry hinted; // the backup the peer checked, probed first in the recovery that may follow

    ConsentFreshness(CoreConfig config, RandomGenerator random, Checklist checklist, OutgoingChecks checks,
            Pacing pacing) {
        this.config = config;
        this.random = random;
        this.checklist = checklist;
        this.checks = checks;
        this.pacing = pacing;
    }

    /** The consent interval randomized per RFC 7675 section 5.1. */
    static long jitter(long interval, RandomGenerator random) {
        return (long) (interval * (0.8 + 0.4 * random.nextDouble()));
    }

    /** Runs what is due at {@code now} on the {@code selected} pair (or none) in {@code state}. */
    Verdict run(long now, PairEntry selected, IceState state, IceRole role) {
        if (selected == null || state == IceState.FAILED || state == IceState.CLOSED) {
            return Verdict.NONE;
        }
        long silent = now - selected.lastConsentAt;
        if (silent >= config.consentTimeout().toNanos()) {
            checks.forgetConsentSentUpTo(Long.MAX_VALUE); // no data may be sent, no consent check is awaited
            return Verdict.LOST;
        }
        boolean probeUnanswered = now >= probeDeadline && selected.lastConsentAt < probeSentAt;
        if (now >= probeDeadline) {
            probeDeadline = Long.MAX_VALUE;
        }
        if ((silent >= config.disconnectedTimeout().toNanos() || probeUnanswered)
                && (state == IceState.CONNECTED || state == IceState.COMPLETED)) {
            startRecovery(now, selected, role);
            return Verdict.DISCONNECTED;
        }
        if (config.lite()) {
            return Verdict.NONE;
        }
        if (state == IceState.DISCONNECTED) {
            if (now >= nextRecoveryAt) {
                recover(now, selected, role);
            }
            probeNextBackup(now, selected, role);
        } else if (now >= nextConsentAt) {
            checks.consentCheck(now, selected, true, role);
            nextConsentAt = now + jitter(config.consentInterval().toNanos(), random);
        }
        return Verdict.NONE;
    }

    /**
     * The selected pair went silent, or its local candidate was lost (the caller reports DISCONNECTED):
     * recovery checks start at once on it, and on the valid backups one per Ta. A pair whose local
     * candidate is gone gets none (nothing can leave through it) and takes no Ta slot from the checks
     * of new pairs.
     */
    void startRecovery(long now, PairEntry selected, IceRole role) {
        if (!config.lite()) {
            recoveryInterval = 0;
            if (selected.valid) {
                recover(now, selected, role);
            } else {
                recoveryInterval = config.pacing().toNanos(); // the backups' pace, as after a first round
                nextRecoveryAt = Long.MAX_VALUE;
            }
        }
    }

    /**
     * A recovery check on the selected pair, on its own schedule: the next comes after Ta, then after
     * twice as long, up to the RTO. It takes the Ta slot, so no backup check goes out with it.
     */
    private void recover(long now, PairEntry selected, IceRole role) {
        checks.consentCheck(now, selected, true, role);
        pacing.tookSlot(now);
        long ta = config.pacing().toNanos();
        recoveryInterval = recoveryInterval == 0 ? ta
                : Math.min(recoveryInterval * 2, Math.max(ta, config.checkSchedule().rto().toNanos()));
        nextRecoveryAt = now + recoveryInterval;
    }

    /**
     * In a free Ta slot, a recovery check on the backup the peer checked last ({@link #peerCheckedBackup}),
     * or else on the least recently checked backup that is due (section 14.2).
     */
    private void probeNextBackup(long now, PairEntry selected, IceRole role) {
        if (!pacing.paced(now)) {
            return;
        }
        PairEntry next = hinted != null && isBackup(hinted, selected) && dueAt(hinted) <= now ? hinted
                : leastRecentlyProbed(now, selected);
        hinted = null;
        if (next != null) {
            next.lastProbeAt = now;
            checks.consentCheck(now, next, false, role); // never USE-CANDIDATE: it is not the selected pair
            pacing.tookSlot(now);
        }
    }

    /**
     * The peer checked {@code backup}, a pair that is not the {@code selected} one (valid, or made
     * valid by the triggered check its check queues), while the selected pair is in use: a peer that moved its own data path (a controlled agent whose address
     * under the selected pair was lost moves without a nomination, and checks its new pair at once)
     * may have left the selected pair dead, and only we can nominate. So the selected pair gets a
     * consent check now (however recently it was proven: the peer may have moved since), unless one
     * such probe went within the probe's wait; if that goes unanswered for
     * the wait (four round trips of the pair, at least 2 Ta), the agent goes DISCONNECTED at once
     * instead of after 7.5 s of silence, and recovery moves it to a backup that answers, probing
     * {@code backup} first: the pair the peer checked is where it most likely went. One lost
     * probe costs only that: the selected pair's own recovery check goes first and answers first.
     * Like the recovery checks, this is a departure from RFC 7675's 4 s minimum: at most one consent
     * check per check of the peer on a backup.
     */
    void peerCheckedBackup(long now, PairEntry backup, PairEntry selected, IceState state, IceRole role) {
        hinted = backup;
        if (config.lite() || probeDeadline != Long.MAX_VALUE || selected == null || !selected.valid
                || state != IceState.CONNECTED && state != IceState.COMPLETED
                || probeSentAt != Long.MIN_VALUE && now - probeSentAt < probeWait(selected)) {
            return;
        }
        checks.consentCheck(now, selected, true, role);
        probeSentAt = now;
        probeDeadline = now + probeWait(selected);
    }

    private long probeWait(PairEntry selected) {
        return Math.max(4 * Math.max(selected.rtt, 0), 2 * config.pacing().toNanos());
    }

    private PairEntry leastRecentlyProbed(long now, PairEntry selected) {
        PairEntry next = null;
        for (PairEntry p : checklist.pairs()) {
            if (isBackup(p, selected) && dueAt(p) <= now && (next == null || p.lastProbeAt < next.lastProbeAt)) {
                next = p;
            }
        }
        return next;
    }

    /** When {@link #run} should next run for the {@code selected} pair (or none), or {@code Long.MAX_VALUE}. */
    long nextTimeout(PairEntry selected, IceState state) {
        if (selected == null) {
            return Long.MAX_VALUE;
        }
        long next = state == IceState.DISCONNECTED ? Math.min(nextRecoveryAt, nextBackupProbeAt(selected)) : nextConsentAt;
        if (state == IceState.CONNECTED || state == IceState.COMPLETED) {
            next = Math.min(next, Math.min(probeDeadline, selected.lastConsentAt + config.disconnectedTimeout().toNanos()));
        }
        return Math.min(next, selected.lastConsentAt + config.consentTimeout().toNanos());
    }

    /** When the next backup check can go while DISCONNECTED, or {@code Long.MAX_VALUE} if there is no backup. */
    private long nextBackupProbeAt(PairEntry selected) {
        if (config.lite()) {
            return Long.MAX_VALUE;
        }
        long due = Long.MAX_VALUE;
        for (PairEntry p : checklist.pairs()) {
            if (isBackup(p, selected)) {
                due = Math.min(due, dueAt(p));
            }
        }
        return due == Long.MAX_VALUE ? due : Math.max(due, pacing.nextSlot());
    }

    private static boolean isBackup(PairEntry p, PairEntry selected) {
        return p != selected && p.valid && !p.retired && p.session.remoteKey != null;
    }

    private long dueAt(PairEntry p) {
        return p.lastProbeAt == Long.MIN_VALUE ? Long.MIN_VALUE : p.lastProbeAt + recoveryInterval;
    }

    /** A response or an authenticated request of the peer on {@code pair} proved consent at {@code now}. */
    void proved(PairEntry pair, long now) {
        pair.lastConsentAt = now;
    }

    /**
     * {@code pair} was selected at {@code now}: consent checks start on it (lite: none, RFC 8445 section
     * 2.5). A backup selected later (a move off a lost pair, a failover) was last proven when it was
     * last checked, maybe long before: its silence counts from at most one consent interval back, and
     * its first consent check is due one randomized interval after that proof ({@link #restartTimers}),
     * at once if that is past. Otherwise a backup validated 3 s before it was selected would go
     * DISCONNECTED (7.5 s of silence) before its first consent check, 4 to 6 s after the selection, was
     * answered; and one validated more than 7.5 s before would go DISCONNECTED at once.
     */
    void selected(PairEntry pair, long now) {
        pair.lastConsentAt = pair.lastConsentAt == Long.MIN_VALUE ? now
                : Math.max(pair.lastConsentAt, now - config.consentInterval().toNanos());
        selectedProofAt = pair.lastConsentAt;
    }

    /**
     * Consent checks are due on the newly (re)selected pair one randomized interval after its last
     * proof, and not before {@code now}; recovery is over.
     */
    void restartTimers(long now) {
        nextConsentAt = config.lite() ? Long.MAX_VALUE // a lite agent sends no checks, consent included
                : Math.max(now, Math.min(now, selectedProofAt) + jitter(config.consentInterval().toNanos(), random));
        nextRecoveryAt = Long.MAX_VALUE;
        probeDeadline = Long.MAX_VALUE;
    }

    /** A consent response arrived on {@code pair} (after {@link #proved}). */
    Renewal renewed(long now, PairEntry pair, PairEntry selected, IceState state, IceRole role) {
        if (pair == selected) {
            if (state == IceState.DISCONNECTED) {
                nextRecoveryAt = Long.MAX_VALUE;
                nextConsentAt = now + jitter(config.consentInterval().toNanos(), random);
                return Renewal.RECONNECTED;
            }
            return Renewal.NONE;
        }
        return state == IceState.DISCONNECTED && pair.valid && !pair.retired && role == IceRole.CONTROLLING
                ? Renewal.RENOMINATE : Renewal.NONE; // both sides select it when the check succeeds
    }

    /** Nothing is due any more (the agent closed). */
    void close() {
        nextConsentAt = Long.MAX_VALUE;
        nextRecoveryAt = Long.MAX_VALUE;
        probeDeadline = Long.MAX_VALUE;
    }
}
