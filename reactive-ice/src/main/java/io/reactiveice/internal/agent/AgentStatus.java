package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import java.util.Queue;

/**
 * What the agent is and says of itself: its ICE state, its role (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.1">RFC 8445 section 6.1.1</a>, switched by a
 * role conflict, section 7.3.1.1), whether each side has finished gathering (RFC 8838
 * end-of-candidates, which with a selected pair makes the state COMPLETED, section 8.1.2), and the
 * counts of what it refused. Every change of state or role is reported as an event; CLOSED is final.
 *
 * <p>The agent core writes it; the shell and the tests read it.
 */
public final class AgentStatus {
    private final Queue<IceEvent> events;
    private IceRole role;
    private IceState state = IceState.NEW;
    private IceFailureReason failureReason;
    private boolean localEnd;
    private boolean remoteEnd;
    long dropped;
    long refusedNonUnicast;
    long lateResponses;

    AgentStatus(IceRole role, Queue<IceEvent> events) {
        this.role = role;
        this.events = events;
    }

    /** The current state. */
    public IceState state() {
        return state;
    }

    /** The current role. */
    public IceRole role() {
        return role;
    }

    /**
     * STUN messages dropped without an answer: malformed, without a valid FINGERPRINT, or of a method
     * other than Binding.
     */
    public long dropped() {
        return dropped;
    }

    /**
     * Remote candidates and STUN messages refused because their address is not a unicast peer
     * ({@link io.reactiveice.candidate.UnicastAddress}): no pair, no peer-reflexive candidate and no
     * answer came of them.
     */
    public long refusedNonUnicast() {
        return refusedNonUnicast;
    }

    /**
     * Authentic responses that arrived for a pair no longer in the checklist (after a restart, the pair
     * limit, or the retired path giving way): ignored.
     */
    public long lateResponses() {
        return lateResponses;
    }

    /** Closed or failed: no timer runs and nothing of ours is sent any more. */
    boolean over() {
        return state == IceState.CLOSED || state == IceState.FAILED;
    }

    /** Why the agent failed, once it is FAILED; {@code null} before and when it is not. */
    public IceFailureReason failureReason() {
        return failureReason;
    }

    void set(IceState next) {
        if (next == IceState.FAILED) {
            throw new IllegalArgumentException("FAILED goes through fail(reason)");
        }
        if (state != next && state != IceState.CLOSED) {
            state = next;
            events.add(new IceEvent.StateChanged(next));
        }
    }

    /** FAILED, final, with its reason; nothing changes if the agent is over already. */
    void fail(IceFailureReason reason) {
        if (!over()) {
            state = IceState.FAILED;
            failureReason = reason;
            events.add(new IceEvent.StateChanged(IceState.FAILED, reason));
        }
    }

    /** Switches the role and reports it; returns the new one. */
    IceRole switchRole() {
        role = role.opposite();
        events.add(new IceEvent.RoleChanged(role));
        return role;
    }

    void localEnd() {
        localEnd = true;
    }

    void remoteEnd() {
        remoteEnd = true;
    }

    boolean remoteEnded() {
        return remoteEnd;
    }

    boolean localEnded() {
        return localEnd;
    }

    /**
     * The selected pair answers again after DISCONNECTED (RFC 7675 section 5.1): CONNECTED, or COMPLETED
     * if gathering is over on both sides, the state it had before the silence (section 8.1.2).
     */
    void reconnected() {
        set(localEnd && remoteEnd ? IceState.COMPLETED : IceState.CONNECTED);
    }

    /** CONNECTED with a selected pair and gathering over on both sides: COMPLETED (section 8.1.2). */
    void completeIfDone(boolean selected) {
        if (selected && localEnd && remoteEnd && state == IceState.CONNECTED) {
            set(IceState.COMPLETED);
        }
    }

    /**
     * ICE restarted (section 9): gathering starts over on both sides; the state is NEW without a
     * selected pair, and CONNECTED with one unless it is DISCONNECTED (the old path is silent).
     */
    void restarted(boolean selected) {
        localEnd = false;
        remoteEnd = false;
        if (!selected) {
            set(IceState.NEW);
        } else if (state != IceState.DISCONNECTED) {
            set(IceState.CONNECTED);
        }
    }
}
