package io.reactiveice.stun;

import java.util.Objects;

/**
 * The one exception the STUN decoder throws for bad input: it carries the {@link StunRejection}
 * and a detail naming the offending field. It has no stack trace, since malformed input is
 * expected traffic and not a programming error.
 */
public final class StunDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StunRejection rejection;

    /**
     * A decode failure.
     *
     * @param rejection why the input was refused
     * @param detail what exactly was wrong, for a log line
     */
    public StunDecodeException(StunRejection rejection, String detail) {
        super(Objects.requireNonNull(rejection, "rejection").reason() + (detail == null ? "" : ": " + detail),
                null, false, false);
        this.rejection = rejection;
    }

    /** Why the input was refused. */
    public StunRejection rejection() {
        return rejection;
    }
}
