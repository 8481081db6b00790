package io.reactiveice.candidate;

import java.util.Objects;

/**
 * A change of a session's local candidates after its gathering completed (RFC 8838 trickle ICE):
 * one gathered on a local address that appeared, or one withdrawn because its address disappeared
 * or its relay was lost. See {@code IceSession.candidateChanges()} for what each means to the peer.
 */
public sealed interface CandidateChange {
    /** The candidate concerned, as signalled to the peer. */
    IceCandidate candidate();

    /**
     * A candidate gathered after end-of-candidates, e.g. on an address that appeared.
     *
     * @param candidate the new candidate, to trickle to the peer
     */
    record Added(IceCandidate candidate) implements CandidateChange {
        /** Checks the candidate. */
        public Added {
            Objects.requireNonNull(candidate, "candidate");
        }
    }

    /**
     * A candidate that can no longer be used: its pairs have failed, its socket is closed.
     *
     * @param candidate the candidate as it was signalled
     */
    record Removed(IceCandidate candidate) implements CandidateChange {
        /** Checks the candidate. */
        public Removed {
            Objects.requireNonNull(candidate, "candidate");
        }
    }
}
