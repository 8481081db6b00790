package io.reactiveice.internal.agent;

import io.reactiveice.agent.GatheringError;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.PairFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Why the agent fails ({@link IceFailureReason}): every pair failed (RFC 8445 section 7.2.5), each
 * with the cause the {@link Checklist} recorded; consent was lost (RFC 7675 section 5.1); or the
 * session never had what checks need. The last is decided here: once both sides have ended their
 * candidates (RFC 8838 section 4) and the agent still has no pair, or no remote credentials to check
 * one with, it waits as long as a check of its own would take to fail (the check schedule's total,
 * 39.5 s by default), in case the peer's checks teach it a pair; then it fails, saying what was
 * missing. It also keeps the gathering errors per server URL that the shell reports, at most
 * {@value #MAX_GATHERING_ERRORS}, the first ones.
 */
final class FailureDiagnosis {
    static final int MAX_GATHERING_ERRORS = 16;

    private final long grace;
    // List.of() until the first error (most sessions have none: an idle session's heap counts)
    private List<GatheringError> gatheringErrors = List.of();
    private long missingSince = Long.MAX_VALUE;

    FailureDiagnosis(CoreConfig config) {
        this.grace = config.checkSchedule().total().toNanos();
    }

    void gatheringError(GatheringError error) {
        if (gatheringErrors.isEmpty()) {
            gatheringErrors = new ArrayList<>(4);
        }
        if (gatheringErrors.size() < MAX_GATHERING_ERRORS) {
            gatheringErrors.add(error);
        }
    }

    /** ICE restarted (section 9): what was missing is waited for again. */
    void restarted() {
        missingSince = Long.MAX_VALUE;
    }

    /**
     * At {@code now}, whether the session is missing something it cannot do without: both sides have
     * ended gathering, and there is no pair or no remote credentials. Remembers since when.
     */
    private boolean missing(long now, boolean ended, boolean noPairs, boolean noRemoteCredentials) {
        if (!ended || !(noPairs || noRemoteCredentials)) {
            missingSince = Long.MAX_VALUE;
            return false;
        }
        if (missingSince == Long.MAX_VALUE) {
            missingSince = now;
        }
        return true;
    }

    /**
     * The reason to fail for at {@code now}, if what is missing has been missing for the grace
     * period; otherwise {@code null}. Called with no selected pair, by a full agent.
     */
    IceFailureReason neverHad(long now, boolean ended, Candidates candidates, Checklist checklist,
            boolean noRemoteCredentials) {
        boolean noPairs = checklist.pairs().isEmpty();
        if (!missing(now, ended, noPairs, noRemoteCredentials) || now - missingSince < grace) {
            return null;
        }
        if (noRemoteCredentials) {
            return new IceFailureReason.NoRemoteCredentials();
        }
        if (candidates.locals().isEmpty()) {
            return gatheringErrors.isEmpty() ? new IceFailureReason.NoLocalCandidates()
                    : new IceFailureReason.GatheringFailed(gatheringErrors);
        }
        if (candidates.remoteCount() == 0) {
            return new IceFailureReason.NoRemoteCandidates();
        }
        return checksFailed(checklist); // candidates on both sides, but none pair (transport, family)
    }

    /** When {@link #neverHad} may next fail the agent, or {@code Long.MAX_VALUE}. */
    long nextTimeout() {
        return missingSince == Long.MAX_VALUE ? Long.MAX_VALUE : missingSince + grace;
    }

    /** Every pair failed: each with its cause. */
    IceFailureReason checksFailed(Checklist checklist) {
        List<PairFailure> pairs = new ArrayList<>(checklist.pairs().size());
        for (PairEntry p : checklist.pairs()) {
            if (p.state == PairState.FAILED) {
                pairs.add(new PairFailure(p.snapshot(), p.failure)); // every way into FAILED records its cause
            }
        }
        return new IceFailureReason.ChecksFailed(pairs, gatheringErrors);
    }

    /** Consent was lost on {@code selected} at {@code now}, with {@code timeout} the consent timeout. */
    static IceFailureReason.ConsentLost consentLost(long now, PairEntry selected, Duration timeout) {
        Duration after = selected.lastConsentAt == Long.MIN_VALUE ? timeout : Duration.ofNanos(now - selected.lastConsentAt);
        return new IceFailureReason.ConsentLost(selected.snapshot(), after);
    }
}
