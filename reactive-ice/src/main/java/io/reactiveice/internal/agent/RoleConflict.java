package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;

/**
 * Role conflict resolution for a received check (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.3.1.1">RFC
 * 8445 section 7.3.1.1</a>): the peer claims our role when a check of it carries the attribute of our
 * role, ICE-CONTROLLING if we are controlling, ICE-CONTROLLED if we are controlled. The larger
 * tie-breaker (unsigned) takes control. An ICE-lite agent, always controlled, never switches: the full
 * peer must take control (section 6.1.1).
 */
final class RoleConflict {
    /** What to do with the check. */
    enum Resolution {
        /** No conflict, or the peer gives way: answer the check. */
        KEEP,
        /** Switch role, then answer the check. */
        SWITCH,
        /** Answer 487 (Role Conflict) and do nothing else. */
        REJECT
    }

    private RoleConflict() {
    }

    /**
     * Resolves the conflict, if any.
     *
     * @param role our role
     * @param lite whether we are an ICE-lite agent
     * @param ours our tie-breaker
     * @param claimed whether the check carries the attribute of our role
     * @param theirs the tie-breaker in that attribute
     */
    static Resolution resolve(IceRole role, boolean lite, long ours, boolean claimed, long theirs) {
        if (!claimed) {
            return Resolution.KEEP;
        }
        if (lite) {
            return Resolution.REJECT;
        }
        boolean oursWins = Long.compareUnsigned(ours, theirs) >= 0;
        if (role == IceRole.CONTROLLING) {
            return oursWins ? Resolution.REJECT : Resolution.SWITCH;
        }
        return oursWins ? Resolution.SWITCH : Resolution.REJECT;
    }
}
