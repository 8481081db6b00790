package io.reactiveice.stun;

/**
 * Why a {@link BindingResponder} answered 400 Bad Request. The answer carries only the fixed reason
 * phrase {@code Bad Request}; the cause goes to a counter and, with the detail, to a DEBUG log line
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.8">RFC 8489 section 14.8</a> limits
 * reason phrases to fewer than 128 characters, and an unauthenticated request must not buy a long answer).
 */
public enum BadRequestCause {
    /** A request of a method other than Binding. */
    UNSUPPORTED_METHOD,
    /** A known attribute with a malformed value (section 6.3). */
    MALFORMED_ATTRIBUTE,
    /** A short-term credential is configured and USERNAME is missing (section 9.1.3). */
    USERNAME_MISSING,
    /** A short-term credential is configured and MESSAGE-INTEGRITY is missing (section 9.1.3). */
    INTEGRITY_MISSING
}
