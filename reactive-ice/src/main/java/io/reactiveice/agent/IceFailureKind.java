package io.reactiveice.agent;

/**
 * The kinds of {@link IceFailureReason} and {@link PairFailure.Cause}, each with a stable short
 * lower-case {@link #code()}: the one place that maps a reason to its name, low-cardinality by
 * construction (a fixed set, never an address, ufrag or server URL), fit for a metrics tag or a log field.
 * The codes never change once released; new kinds may be added.
 */
public enum IceFailureKind {
    /** The session: the peer's ICE credentials never arrived (RFC 8445 section 5.3). */
    NO_REMOTE_CREDENTIALS("no-remote-credentials"),
    /** The session: the peer signalled the end of its candidates without giving one (RFC 8838 section 4). */
    NO_REMOTE_CANDIDATES("no-remote-candidates"),
    /** The session: it had no local candidate to check from, and no gathering reported an error. */
    NO_LOCAL_CANDIDATES("no-local-candidates"),
    /** The session: it had no local candidate because gathering from its servers failed. */
    GATHERING_FAILED("gathering-failed"),
    /** The session: every candidate pair failed its checks (RFC 8445 section 7.2.5). */
    CHECKS_FAILED("checks-failed"),
    /** The session or a pair: consent expired (RFC 7675 section 5.1). */
    CONSENT_LOST("consent-lost"),
    /** The session: closed by the application before a pair was selected. */
    CLOSED("closed"),
    /** A pair: no response after every retransmission of its check (RFC 8445 section 14.3). */
    NO_RESPONSE("no-response"),
    /** A pair: an error response (RFC 8445 section 7.2.5.2.4). */
    ERROR_RESPONSE("error-response"),
    /** A pair: the response came from another address than the check went to (section 7.2.5.2.1). */
    NOT_SYMMETRIC("not-symmetric"),
    /** A pair: its local candidate was lost (an interface went away, a relay allocation ended). */
    LOCAL_CANDIDATE_LOST("local-candidate-lost"),
    /** A pair: its ICE-TCP connection closed (RFC 6544). */
    CONNECTION_CLOSED("connection-closed"),
    /** A pair: the remote address could not be reached (the send failed, ICMP unreachable). */
    UNREACHABLE("unreachable");

    private final String code;

    IceFailureKind(String code) {
        this.code = code;
    }

    /** The stable short lower-case name, e.g. {@code no-remote-candidates}. */
    public String code() {
        return code;
    }

    /**
     * The short name of {@code reason}, or {@code "none"} for {@code null}: the tag a metric puts on a
     * session that failed (or did not).
     *
     * @param reason a reason, or {@code null}
     * @return its {@link #code()}, or {@code "none"}
     */
    public static String codeOf(IceFailureReason reason) {
        return reason == null ? "none" : reason.kind().code;
    }

    @Override
    public String toString() {
        return code;
    }
}
