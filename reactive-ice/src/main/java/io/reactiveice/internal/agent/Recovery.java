package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceState;

/**
 * Automatic recovery (issue 13): when the agent must ask for an ICE restart (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-9">RFC 8445 section 9</a>) because no valid pair
 * is left and none is coming. Moving to a valid backup, and renominating a new or better pair, need
 * no signalling and happen without it ({@link Selection#moveOffLost}, {@link Nomination}); a restart
 * needs the application to signal new credentials and candidates, so it is asked for only when
 * {@link RecoveryConfig#restart()} is on, and the caller performs it: the shell draws the credentials.
 *
 * <p>The agent is <em>stranded</em> while it is DISCONNECTED: the selected pair's local candidate was
 * lost with no valid pair to move to, or the selected pair went silent (RFC 7675). A restart is due,
 * provided the agent has at least one local candidate (with none, it waits until one is gathered):
 * <ul>
 *   <li>the first one of a stranding at once, when nothing else can save the session: no valid backup
 *       to fail over to, and no pair that may still succeed and be renominated (without renomination a
 *       second nomination is not RFC 8445, so a pair that may still succeed does not count); otherwise
 *       {@link RecoveryConfig#restartInterval()} after the stranding, or after the last local candidate
 *       gathered during it, whichever is later, if still stranded then;
 *   <li>a later one when the previous restart's session has no pair left that may still succeed or is
 *       valid (the peer did not answer, or every check failed);
 *   <li>never sooner than the interval after the previous automatic restart: {@code restartInterval}
 *       after one that led to a selected pair, and doubled after each that did not, up to
 *       {@link RecoveryConfig#maxRestartInterval()}, so that a flapping network does not storm the
 *       signalling.
 * </ul>
 * FAILED is final: consent lost means no more data may be sent (RFC 7675 section 5.1), and the agent
 * does not restart itself out of it; every automatic restart happens while DISCONNECTED, before consent
 * runs out. A better path that appears while the selected pair works is renominated when renomination
 * is active, and never restarted for.
 */
final class Recovery {
    private final RecoveryConfig config;
    private final Checklist checklist;
    private final Candidates candidates;
    private final Renomination renomination;
    private long strandedSince = Long.MIN_VALUE; // DISCONNECTED since, or MIN_VALUE while not
    private long lastLocalAt = Long.MIN_VALUE; // the last local candidate gathered while stranded
    private boolean restartedSinceStranded; // by us, automatically or not, or by the peer
    private long lastAutomaticAt = Long.MIN_VALUE;
    private int unsuccessful; // automatic restarts since a pair was last selected

    Recovery(RecoveryConfig config, Checklist checklist, Candidates candidates, Renomination renomination) {
        this.config = config;
        this.checklist = checklist;
        this.candidates = candidates;
        this.renomination = renomination;
    }

    /** Whether a restart is due at {@code now} in {@code state}; if so, it counts as made. */
    boolean due(long now, IceState state, PairEntry selected) {
        if (state != IceState.DISCONNECTED) {
            strandedSince = Long.MIN_VALUE;
            restartedSinceStranded = false;
            if (state == IceState.CONNECTED || state == IceState.COMPLETED) {
                unsuccessful = 0;
            }
            return false;
        }
        if (strandedSince == Long.MIN_VALUE) {
            strandedSince = now;
        }
        if (restartAt(state, selected) > now) {
            return false;
        }
        lastAutomaticAt = now;
        unsuccessful++;
        restartedSinceStranded = true;
        return true;
    }

    /** When {@link #due} will next hold, or {@code Long.MAX_VALUE}. */
    long restartAt(IceState state, PairEntry selected) {
        if (!config.restart() || state != IceState.DISCONNECTED || strandedSince == Long.MIN_VALUE
                || candidates.locals().isEmpty()) {
            return Long.MAX_VALUE;
        }
        boolean backup = false;
        boolean pending = false;
        for (PairEntry p : checklist.pairs()) {
            if (p != selected && !p.retired) {
                backup |= p.valid;
                pending |= !p.valid && p.state != PairState.FAILED;
            }
        }
        long at;
        if (!restartedSinceStranded) {
            boolean wait = backup || pending && renomination.active();
            at = wait ? Math.max(strandedSince, lastLocalAt) + config.restartInterval().toNanos() : strandedSince;
        } else if (backup || pending) {
            return Long.MAX_VALUE; // the new session may still succeed
        } else {
            at = strandedSince;
        }
        return lastAutomaticAt == Long.MIN_VALUE ? at : Math.max(at, lastAutomaticAt + interval());
    }

    /** The least time after the last automatic restart: the interval, doubled per unsuccessful one. */
    private long interval() {
        long base = config.restartInterval().toNanos();
        long max = config.maxRestartInterval().toNanos();
        int doublings = Math.min(Math.max(unsuccessful - 1, 0), 62);
        return base > max >> doublings ? max : Math.min(base << doublings, max);
    }

    /** A local candidate was gathered at {@code now}: while stranded, renomination gets its interval again. */
    void localGathered(long now) {
        if (strandedSince != Long.MIN_VALUE) {
            lastLocalAt = now;
        }
    }

    /** ICE restarted (ours, asked for or not, or the peer's). */
    void restarted() {
        if (strandedSince != Long.MIN_VALUE) {
            restartedSinceStranded = true;
        }
    }
}
