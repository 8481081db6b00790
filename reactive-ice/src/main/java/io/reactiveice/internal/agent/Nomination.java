package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;

/**
 * Regular nomination (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-8.1.1">RFC 8445 section
 * 8.1.1</a>) as the controlling agent: the best valid pair is nominated once no better pair can still
 * succeed, or when the nomination delay after the first valid pair ends; one nomination is in flight
 * at a time, and after a consent loss another valid pair is nominated (RFC 7675). It decides which
 * pair to nominate; the caller starts the check with USE-CANDIDATE.
 */
final class Nomination {
    private final long delay;
    private PairEntry nominating;
    private long firstValidAt = Long.MIN_VALUE;

    Nomination(CoreConfig config) {
        this.delay = config.nominationDelay().toNanos();
    }

    /**
     * The pair to nominate at {@code now}, now in flight, or {@code null}: only as the controlling
     * agent, while no pair is selected or a restart is under way ({@code settled} is {@code false}).
     */
    PairEntry due(long now, IceRole role, boolean settled, PairEntry selected, Checklist checklist) {
        if (role != IceRole.CONTROLLING || settled || nominating != null) {
            return null;
        }
        PairEntry best = checklist.bestValid();
        if (best == null || best == selected) {
            return null;
        }
        if (best == checklist.bestPending() || now >= firstValidAt + delay) {
            nominating = best;
            return best;
        }
        return null;
    }

    /** When {@link #due} may next return a pair by the delay, or {@code Long.MAX_VALUE}. */
    long nextTimeout(IceRole role, boolean settled, Checklist checklist) {
        return role == IceRole.CONTROLLING && !settled && nominating == null && checklist.bestValid() != null
                ? firstValidAt + delay : Long.MAX_VALUE;
    }

    /**
     * The selected pair lost consent and {@code pair}, a backup, answered: it is nominated unless a
     * nomination is in flight or a check on it is; whether the caller should start it.
     */
    boolean renominate(PairEntry pair) {
        if (nominating == null && pair.transaction == null) {
            nominating = pair;
            return true;
        }
        return false;
    }

    /**
     * Whether a nomination waits on the check of {@code p}: ours, or the peer's USE-CANDIDATE (section
     * 7.3.1.5) while we have no usable selected pair ({@code usable} is {@code false}). Its check is
     * then started again early ({@link EarlyCheckSeries}).
     */
    boolean awaits(PairEntry p, boolean usable) {
        return p == nominating || p.nominateOnSuccess && !p.valid && !usable;
    }

    /** A pair became valid at {@code now}; the first one starts the nomination delay. */
    void validated(long now) {
        if (firstValidAt == Long.MIN_VALUE) {
            firstValidAt = now;
        }
    }

    /** The nomination in flight succeeded. */
    void succeeded() {
        nominating = null;
    }

    /** A nomination in flight on {@code pair} ended without success, or its pair left. */
    void ended(PairEntry pair) {
        if (pair == nominating) {
            nominating = null;
        }
    }

    /** The checks start over (an ICE restart, section 9). */
    void reset() {
        nominating = null;
        firstValidAt = Long.MIN_VALUE;
    }
}
