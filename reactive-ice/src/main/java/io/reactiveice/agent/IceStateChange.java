package io.reactiveice.agent;

import java.util.Objects;
import java.util.Optional;

/**
 * A session's new {@link IceState}, and with {@link IceState#FAILED} the reason why.
 *
 * @param state the new state
 * @param reason why the session failed; present exactly when {@code state} is FAILED
 */
public record IceStateChange(IceState state, Optional<IceFailureReason> reason) {
    // one change per state other than FAILED, shared: a session holds its latest change (an idle session's heap counts)
    private static final IceStateChange[] CHANGES = new IceStateChange[IceState.values().length];

    static {
        for (IceState s : IceState.values()) {
            if (s != IceState.FAILED) {
                CHANGES[s.ordinal()] = new IceStateChange(s, Optional.empty());
            }
        }
    }

    /** Checks that a reason comes with FAILED only. */
    public IceStateChange {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        if (reason.isPresent() != (state == IceState.FAILED)) {
            throw new IllegalArgumentException("reason must be present exactly when state is FAILED, but state was "
                    + state + " and reason " + reason);
        }
    }

    /**
     * A change to a state other than FAILED (one shared instance per state).
     *
     * @param state the new state
     * @return the change
     * @throws IllegalArgumentException if {@code state} is FAILED, which needs a reason ({@link #failed})
     */
    public static IceStateChange of(IceState state) {
        Objects.requireNonNull(state, "state");
        IceStateChange c = CHANGES[state.ordinal()];
        return c != null ? c : new IceStateChange(state, Optional.empty()); // FAILED: the constructor says why
    }

    /**
     * A change to FAILED.
     *
     * @param reason why
     * @return the change
     */
    public static IceStateChange failed(IceFailureReason reason) {
        return new IceStateChange(IceState.FAILED, Optional.of(reason));
    }
}
