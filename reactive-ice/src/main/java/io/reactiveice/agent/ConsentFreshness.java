package io.reactiveice.agent;

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
 */
final class ConsentFreshness {
    private final IceAgentCore core;

    ConsentFreshness(IceAgentCore core) {
        this.core = core;
    }

    /** The consent interval randomized per RFC 7675 section 5.1. */
    static long jitter(long interval, RandomGenerator random) {
        return (long) (interval * (0.8 + 0.4 * random.nextDouble()));
    }

    void run(long now) {
        PairEntry selected = core.selectedEntry();
        IceState state = core.state();
        if (selected == null || state == IceState.FAILED || state == IceState.CLOSED) {
            return;
        }
        CoreConfig c = core.config();
        long silent = now - selected.lastConsentAt;
        if (silent >= c.consentTimeout().toNanos()) {
            core.setState(IceState.FAILED); // consent lost: no data may be sent (section 5.1)
            core.forgetConsentChecks();
            return;
        }
        if (silent >= c.disconnectedTimeout().toNanos()
                && (state == IceState.CONNECTED || state == IceState.COMPLETED)) {
            disconnected(now, selected);
            return;
        }
        if (c.lite()) {
            return;
        }
        if (state == IceState.DISCONNECTED) {
            if (now >= core.nextRecoveryAt()) {
                recover(now, selected);
            }
            probeNextBackup(now, selected);
        } else if (now >= core.nextConsentAt()) {
            core.sendConsentCheck(now, selected, true);
            core.nextConsentAt(now + jitter(c.consentInterval().toNanos(), core.random()));
        }
    }

    /**
     * The selected pair went silent, or its local candidate was lost: DISCONNECTED, and recovery checks
     * start at once on it, and on the valid backups one per Ta.
     */
    void disconnected(long now, PairEntry selected) {
        core.setState(IceState.DISCONNECTED);
        if (!core.config().lite()) {
            core.recoveryInterval(0);
            recover(now, selected);
        }
    }

    /**
     * A recovery check on the selected pair, on its own schedule: the next comes after Ta, then after
     * twice as long, up to the RTO. It takes the Ta slot, so no backup check goes out with it.
     */
    private void recover(long now, PairEntry selected) {
        CoreConfig c = core.config();
        core.sendConsentCheck(now, selected, true);
        core.tookSlot(now);
        long previous = core.recoveryInterval();
        long interval = previous == 0 ? c.pacing().toNanos()
                : Math.min(previous * 2, Math.max(c.pacing().toNanos(), c.checkSchedule().rto().toNanos()));
        core.recoveryInterval(interval);
        core.nextRecoveryAt(now + interval);
    }

    /** In a free Ta slot, a recovery check on the least recently checked backup that is due (section 14.2). */
    private void probeNextBackup(long now, PairEntry selected) {
        if (!core.paced(now)) {
            return;
        }
        PairEntry next = null;
        for (PairEntry p : core.checklist().pairs()) {
            if (isBackup(p, selected) && dueAt(p) <= now && (next == null || p.lastProbeAt < next.lastProbeAt)) {
                next = p;
            }
        }
        if (next != null) {
            next.lastProbeAt = now;
            core.sendConsentCheck(now, next, false); // never USE-CANDIDATE: it is not the selected pair
            core.tookSlot(now);
        }
    }

    /** When the next backup check can go while DISCONNECTED, or {@code Long.MAX_VALUE} if there is no backup. */
    long nextBackupProbeAt(PairEntry selected) {
        if (core.config().lite()) {
            return Long.MAX_VALUE;
        }
        long due = Long.MAX_VALUE;
        for (PairEntry p : core.checklist().pairs()) {
            if (isBackup(p, selected)) {
                due = Math.min(due, dueAt(p));
            }
        }
        long slot = core.lastCheckAt() == Long.MIN_VALUE ? Long.MIN_VALUE
                : core.lastCheckAt() + core.config().pacing().toNanos();
        return due == Long.MAX_VALUE ? due : Math.max(due, slot);
    }

    private static boolean isBackup(PairEntry p, PairEntry selected) {
        return p != selected && p.valid && !p.retired && p.session.remoteKey != null;
    }

    private long dueAt(PairEntry p) {
        return p.lastProbeAt == Long.MIN_VALUE ? Long.MIN_VALUE : p.lastProbeAt + core.recoveryInterval();
    }

    /** A consent response arrived on {@code pair}. */
    void consentRenewed(long now, PairEntry pair) {
        PairEntry selected = core.selectedEntry();
        if (pair == selected) {
            if (core.state() == IceState.DISCONNECTED) {
                core.setState(IceState.CONNECTED);
                core.nextRecoveryAt(Long.MAX_VALUE);
                core.nextConsentAt(now + jitter(core.config().consentInterval().toNanos(), core.random()));
            }
            return;
        }
        if (core.state() == IceState.DISCONNECTED && pair.valid && !pair.retired
                && core.roleNow() == IceRole.CONTROLLING) {
            core.renominate(now, pair); // both sides select it when the check succeeds
        }
    }
}
