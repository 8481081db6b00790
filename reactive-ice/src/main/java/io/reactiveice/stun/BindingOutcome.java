package io.reactiveice.stun;

/** What a {@link BindingResponder} did with one datagram. */
public enum BindingOutcome {
    /** Answered with a Binding success response. */
    SUCCESS,
    /** Answered 400 Bad Request. */
    BAD_REQUEST,
    /** Answered 401 Unauthenticated. */
    UNAUTHENTICATED,
    /** Answered 420 Unknown Attribute, listing them. */
    UNKNOWN_ATTRIBUTE,
    /** A well-formed indication (a keepalive): nothing to answer. */
    INDICATION,
    /** Dropped: not STUN at all (RFC 7983 first byte). */
    DROPPED_NOT_STUN,
    /** Dropped: malformed STUN; see {@link BindingResponder#dropped(StunRejection)}. */
    DROPPED_MALFORMED,
    /** Dropped: a response, which a server never expects. */
    DROPPED_RESPONSE,
    /** Not answered: an error answer, but its source is over its rate of error answers. */
    DROPPED_RATE_LIMITED,
    /**
     * Not answered: the error answer would have been larger than the success answer to a bare
     * Binding request (a 420 listing many unknown attributes), which would make it an amplifier.
     */
    DROPPED_OVERSIZED_ERROR;

    /** Whether a response was written. */
    public boolean answered() {
        return ordinal() <= UNKNOWN_ATTRIBUTE.ordinal();
    }
}
