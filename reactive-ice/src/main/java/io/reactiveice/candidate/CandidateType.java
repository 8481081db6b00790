package io.reactiveice.candidate;

/**
 * The type of an ICE candidate (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1">RFC
 * 8445 section 5.1.1</a>) with its SDP token (RFC 8839) and the type preference RFC 8445 section
 * 5.1.2.2 recommends.
 */
public enum CandidateType {
    /** An address of a local interface. */
    HOST("host", 126),
    /** The address a STUN server saw, outside the NAT. */
    SERVER_REFLEXIVE("srflx", 100),
    /** An address learned from a connectivity check. */
    PEER_REFLEXIVE("prflx", 110),
    /** An address on a TURN server. */
    RELAYED("relay", 0);

    private final String token;
    private final int typePreference;

    CandidateType(String token, int typePreference) {
        this.token = token;
        this.typePreference = typePreference;
    }

    /** The SDP token: {@code host}, {@code srflx}, {@code prflx} or {@code relay}. */
    public String token() {
        return token;
    }

    /** The recommended type preference, 0 to 126. */
    public int typePreference() {
        return typePreference;
    }

    /**
     * The type for an SDP token.
     *
     * @param token {@code host}, {@code srflx}, {@code prflx} or {@code relay}, any case
     * @return the type, or {@code null} if the token is none of them
     */
    public static CandidateType ofToken(String token) {
        for (CandidateType t : values()) {
            if (t.token.equalsIgnoreCase(token)) {
                return t;
            }
        }
        return null;
    }
}
