package io.reactiveice.internal.agent;

/** The state of a candidate pair in a checklist (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.6">RFC 8445 section 6.1.2.6</a>). */
public enum PairState {
    /** Not checked yet, waiting for a pair of the same foundation to succeed. */
    FROZEN,
    /** Ready to be checked when its turn comes. */
    WAITING,
    /** A check is in flight. */
    IN_PROGRESS,
    /** A check succeeded. */
    SUCCEEDED,
    /** Every check failed, or the response was not symmetric. */
    FAILED
}
