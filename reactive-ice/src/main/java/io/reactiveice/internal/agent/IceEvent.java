package io.reactiveice.internal.agent;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceProtocolEvent;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.IceCandidate;

/** What the agent core tells the shell, as past-tense values. */
public sealed interface IceEvent {

    /**
     * The transport state changed.
     *
     * @param state the new state
     * @param reason why the agent failed when {@code state} is FAILED, else {@code null}
     */
    record StateChanged(IceState state, IceFailureReason reason) implements IceEvent {
        /** A change to a state other than FAILED. @param state the new state */
        public StateChanged(IceState state) {
            this(state, null);
        }
    }

    /**
     * One step of the protocol, for debugging tools; made only while {@link IceAgentCore#trace} is on.
     *
     * @param event the step
     */
    record Traced(IceProtocolEvent event) implements IceEvent {
    }

    /**
     * A pair was selected, or the selection moved to another pair, or the selected pair's remote
     * candidate, peer-reflexive until then, was signalled (RFC 8838 section 11): the same path again,
     * with the signalled candidate's type, priority and foundation.
     *
     * @param pair the selected pair
     */
    record SelectedPairChanged(CandidatePair pair) implements IceEvent {
    }

    /** A check on a pair succeeded: it is valid and may carry data (RFC 8445 section 7.2.5.3.2). @param pair it */
    record PairValidated(CandidatePair pair) implements IceEvent {
    }

    /**
     * An authenticated check from the peer arrived on a pair for the first time: the peer may already
     * send data on it, before our own check succeeds, and it may be received (RFC 8445 section 12.2).
     *
     * @param pair the pair the check arrived on
     */
    record PeerChecked(CandidatePair pair) implements IceEvent {
    }

    /** The agent switched role after a conflict (RFC 8445 section 7.3.1.1). @param role the new role */
    record RoleChanged(IceRole role) implements IceEvent {
    }

    /** A peer-reflexive remote candidate was learned from a check (section 7.3.1.3). @param candidate it */
    record RemoteCandidateDiscovered(IceCandidate candidate) implements IceEvent {
    }

    /** A peer-reflexive local candidate was learned from a response (section 7.2.5.3.1). @param candidate it */
    record LocalCandidateDiscovered(IceCandidate candidate) implements IceEvent {
    }

    /**
     * No valid pair is left and none is coming ({@link Recovery}): the agent asks for an ICE restart
     * (RFC 8445 section 9), which the caller performs with {@link IceAgentCore#restart} and new
     * credentials, and signals. Only with {@link RecoveryConfig#restart()} on.
     */
    record RestartNeeded() implements IceEvent {
    }

    /**
     * The peer restarted ICE (new credentials, RFC 8445 section 9): its new session needs our
     * credentials, unchanged, and our candidates again.
     */
    record PeerRestarted() implements IceEvent {
    }
}
