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
     * A change to a state other than FAILED.
     *
     * @param state the new state
     * @return the change
     */
    public static IceStateChange of(IceState state) {
        return new IceStateChange(state, Optional.empty());
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
