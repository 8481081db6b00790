package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;

/**
 * Regular nomination (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-8.1.1">RFC 8445 section
 * 8.1.1</a>) as the controlling agent: the best valid pair is nominated once no better pair can still
 * succeed, or when the nomination delay after the first valid pair ends; one nomination is in flight
 * at a time, and after a consent loss another valid pair is nominated (RFC 7675). It decides which
 * pair to nominate; the caller starts the check with USE-CANDIDATE.
 *
 * <p>A relayed pair (a relayed candidate on either side) costs the user the relay's bandwidth and a
 * longer path, and without renomination the pair nominated first is kept. So while the best valid
 * pair is relayed and a direct pair may still succeed, the wait is the longer
 * {@link CoreConfig#relayNominationDelay()} (1 s by default). Why 1 s: a direct pair through two
 * cone NATs succeeds within a round trip and a Ta slot of the later side's first check on it (its
 * check replaces ours in progress, section 7.3.1.4), and both sides reach their direct pairs before
 * their relayed ones, which have lower priorities; 1 s covers that with room for Ta-paced checklists
 * of a few dozen pairs and round trips of a few hundred milliseconds, while a pair that needs the
 * relay (a symmetric NAT facing a port-restricted or symmetric one) is still nominated after about
 * 1 s. pion/ice waits longer (its relay acceptance wait is 2 s) because it has no triggered check
 * that replaces one in progress.
 *
 * <p>With {@link Renomination} the pair nominated first need not be kept: when a pair of a higher
 * priority than the selected one becomes valid (a direct one that succeeds after the relay wait, say),
 * it is nominated at once with the next nomination counter, or as soon as the nomination in flight
 * ends, and both sides move to it. The waits above still decide the first nomination. The move
 * follows a success, not the standing order of the valid list: a pair the selection left (after a
 * consent failover, or an explicit renomination) is not taken back until it succeeds again.
 */
final class Nomination {
    private final CoreConfig config; // its delays, read when needed (an idle agent's heap counts)
    private final Renomination renomination;
    private PairEntry nominating;
    private long value; // the NOMINATION of the nomination in flight, 0 for none
    private PairEntry better; // the best pair that became valid since the last due(): a renomination's candidate
    private long firstValidAt = Long.MIN_VALUE;

    Nomination(CoreConfig config, Renomination renomination) {
        this.config = config;
        this.renomination = renomination;
    }

    /**
     * The pair to nominate at {@code now}, now in flight, or {@code null}: only as the controlling
     * agent, while no pair is selected or a restart is under way ({@code settled} is {@code false});
     * with renomination also once settled, a pair that became valid and is better than the
     * {@code selected} one.
     */
    PairEntry due(long now, IceRole role, boolean settled, PairEntry selected, Checklist checklist) {
        if (role != IceRole.CONTROLLING || nominating != null) {
            return null;
        }
        if (settled) {
            PairEntry candidate = better;
            better = null;
            return renomination.active() && candidate != null && betterThan(candidate, selected) ? start(candidate) : null;
        }
        PairEntry best = checklist.bestValid();
        if (best == null || best == selected) {
            return null;
        }
        if (best == checklist.bestPending() || now >= firstValidAt + delayFor(best, checklist)
                || now >= betterPairsSilentAt(best, checklist)) {
            return start(best);
        }
        return null;
    }

    /**
     * The pair to nominate because it is {@code selected} without having been nominated (the agent
     * moved to it when the selected pair's local candidate was lost), now in flight; or {@code null}:
     * only as the controlling agent, once settled, with no nomination in flight. With renomination
     * active it carries the next NOMINATION; without, USE-CANDIDATE on a second pair is the same
     * departure from RFC 8445 section 8.1.1 that consent failover makes (RFC 7675), which the
     * controlled agents we know follow.
     */
    PairEntry unnominated(IceRole role, boolean settled, PairEntry selected) {
        return role == IceRole.CONTROLLING && settled && nominating == null && selected.valid && !selected.nominated
                ? start(selected) : null;
    }

    /** {@code pair}, if any, is nominated now: in flight, with the next counter if renomination is active. */
    private PairEntry start(PairEntry pair) {
        if (pair != null) {
            nominating = pair;
            value = renomination.nextValue();
        }
        return pair;
    }

    /** Whether {@code p} is still a valid pair of the current session, of a higher priority than {@code selected}. */
    private static boolean betterThan(PairEntry p, PairEntry selected) {
        return p.held && p.valid && !p.retired && p.state == PairState.SUCCEEDED
                && Long.compareUnsigned(p.priority, selected.priority) > 0;
    }

    /** When {@link #due} may next return a pair by the delay, or {@code Long.MAX_VALUE}. */
    long nextTimeout(IceRole role, boolean settled, Checklist checklist) {
        PairEntry best = role == IceRole.CONTROLLING && !settled && nominating == null ? checklist.bestValid() : null;
        return best != null ? Math.min(firstValidAt + delayFor(best, checklist), betterPairsSilentAt(best, checklist))
                : Long.MAX_VALUE;
    }

    /**
     * When every pair better than {@code best}, a direct one, will have had its check in flight
     * unanswered for {@link #silence}; {@code Long.MAX_VALUE} if best is relayed, or a better pair may
     * still succeed that has not been checked yet (or was checked before, and waits to be again).
     */
    private long betterPairsSilentAt(PairEntry best, Checklist checklist) {
        if (relayed(best)) {
            return Long.MAX_VALUE;
        }
        long at = Long.MIN_VALUE;
        for (PairEntry p : checklist.pairs()) {
            if (p == best) {
                return at == Long.MIN_VALUE ? Long.MAX_VALUE : at; // none better pending: bestPending covers it
            }
            if (p.state == PairState.FAILED || p.retired) {
                continue;
            }
            if (p.transaction == null || p.state != PairState.IN_PROGRESS) {
                return Long.MAX_VALUE;
            }
            at = Math.max(at, p.transaction.startedAt() + silence(best));
        }
        return Long.MAX_VALUE;
    }

    /**
     * How long a better pair's check may go unanswered before the valid {@code best} is nominated
     * without waiting for the delay: four round trips of {@code best}, and at least Ta. A better
     * pair that works answers within about one of its own round trips, which on the same network is
     * no longer than the valid pair's; one that has not answered in four is filtered (a private
     * address of another site, a NAT that waits for the peer's own check) or lost, and the delay
     * would only postpone the connection (by 200 ms at the defaults) with no better pair to show.
     */
    private long silence(PairEntry best) {
        return Math.max(4 * Math.max(best.rtt, 0), config.pacing().toNanos());
    }

    /** The wait after the first valid pair before {@code best} is nominated though a better pair is pending. */
    private long delayFor(PairEntry best, Checklist checklist) {
        PairEntry pending = checklist.bestPending();
        return (relayed(best) && pending != null && !relayed(pending) ? config.relayNominationDelay()
                : config.nominationDelay()).toNanos();
    }

    private static boolean relayed(PairEntry p) {
        return p.local.candidate().type() == CandidateType.RELAYED || p.remote.type() == CandidateType.RELAYED;
    }

    /**
     * The selected pair lost consent and {@code pair}, a backup, answered: it is nominated unless a
     * nomination is in flight or a check on it is; whether the caller should start it.
     */
    boolean renominate(PairEntry pair) {
        if (nominating == null && pair.transaction == null) {
            start(pair);
            return true;
        }
        return false;
    }

    /**
     * The application asks to renominate {@code pair} ({@link IceAgentCore#renominate}): with
     * renomination active, as the controlling agent, a valid pair that is not {@code selected}; whether
     * the caller should start its check ({@link #renominate}).
     */
    boolean requested(PairEntry pair, PairEntry selected, IceRole role) {
        return renomination.active() && role == IceRole.CONTROLLING && pair != null && pair.valid && !pair.retired
                && pair != selected && renominate(pair);
    }

    /**
     * The NOMINATION counter for a check that nominates {@code pair}: that of the nomination in flight
     * on it, or 0 for none (renomination not active, or a consent check with USE-CANDIDATE).
     */
    long valueFor(PairEntry pair) {
        return pair == nominating ? value : 0;
    }

    /**
     * Whether a nomination waits on the check of {@code p}: ours, or the peer's USE-CANDIDATE (section
     * 7.3.1.5) while we have no usable selected pair ({@code usable} is {@code false}). Its check is
     * then started again early ({@link EarlyCheckSeries}).
     */
    boolean awaits(PairEntry p, boolean usable) {
        return p == nominating || p.nominateOnSuccess && !p.valid && !usable;
    }

    /**
     * A check succeeded at {@code now}, and {@code added} entered the valid list with it ({@code null}
     * if the pair was valid before); the first one starts the nomination delay.
     */
    void validated(long now, PairEntry added) {
        if (firstValidAt == Long.MIN_VALUE) {
            firstValidAt = now;
        }
        if (added != null && (better == null || Long.compareUnsigned(added.priority, better.priority) > 0)) {
            better = added;
        }
    }

    /** The nomination in flight succeeded. */
    void succeeded() {
        nominating = null;
        value = 0;
    }

    /** A nomination in flight on {@code pair} ended without success, or its pair left. */
    void ended(PairEntry pair) {
        if (pair == nominating) {
            nominating = null;
            value = 0;
        }
    }

    /** The checks start over (an ICE restart, section 9). */
    void reset() {
        nominating = null;
        value = 0;
        better = null;
        firstValidAt = Long.MIN_VALUE;
        renomination.restarted();
    }
}
