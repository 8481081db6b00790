package io.reactiveice;

import io.reactiveice.agent.IceFailureReason;
import java.util.Objects;
import java.util.Optional;

/**
 * ICE could not carry data: every pair failed, consent was lost (RFC 7675), or the agent was closed.
 * When the session knows why, {@link #reason()} says it as a typed value.
 */
public final class IceFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient IceFailureReason reason;

    /**
     * An ICE failure without a typed reason.
     *
     * @param message what failed
     */
    public IceFailedException(String message) {
        super(message);
        this.reason = null;
    }

    /**
     * An ICE failure with its reason; the message is {@code context} followed by the reason's
     * {@link IceFailureReason#message()}.
     *
     * @param context what could not be done, e.g. "ICE FAILED before a pair was selected"
     * @param reason why the session failed
     */
    public IceFailedException(String context, IceFailureReason reason) {
        super(Objects.requireNonNull(context, "context") + ": " + Objects.requireNonNull(reason, "reason").message());
        this.reason = reason;
    }

    /** Why the session failed, when it is known. */
    public Optional<IceFailureReason> reason() {
        return Optional.ofNullable(reason);
    }
}
