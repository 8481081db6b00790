package io.reactiveice.agent;

/**
 * The state of a candidate pair in the checklist (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.6">RFC 8445 section 6.1.2.6</a>), as W3C
 * webrtc-stats' {@code RTCStatsIceCandidatePairState} names it ({@link #w3cName()}).
 */
public enum CandidatePairState {
    /** Not checked yet, waiting for a pair of the same foundation to succeed. */
    FROZEN("frozen"),
    /** Ready to be checked when its turn comes. */
    WAITING("waiting"),
    /** A check is in flight. */
    IN_PROGRESS("in-progress"),
    /** A check succeeded: the pair is valid. */
    SUCCEEDED("succeeded"),
    /** Every check failed, or the response was not symmetric, or its local candidate was lost. */
    FAILED("failed");

    private final String w3cName;

    CandidatePairState(String w3cName) {
        this.w3cName = w3cName;
    }

    /** The W3C name: {@code frozen}, {@code waiting}, {@code in-progress}, {@code succeeded} or {@code failed}. */
    public String w3cName() {
        return w3cName;
    }
}
