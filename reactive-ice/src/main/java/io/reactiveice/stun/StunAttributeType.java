package io.reactiveice.stun;

import java.util.HashMap;
import java.util.Map;

/**
 * A STUN attribute type as an open registry
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-18.3">RFC 8489 section 18.3</a>): every
 * attribute of RFC 8489 section 14, RFC 8445 section 16.1 and RFC 8656 section 18, and NOMINATION of ICE
 * renomination, is a constant, and
 * {@link #valueOf(int)} gives a value for any other 16-bit code.
 *
 * <p>Codes below 0x8000 are comprehension-required: a receiver that does not know one must reject
 * the message (a server answers 420 with UNKNOWN-ATTRIBUTES). Codes from 0x8000 are
 * comprehension-optional and may be skipped.
 */
public final class StunAttributeType {
    private static final Map<Integer, StunAttributeType> KNOWN = new HashMap<>();

    /** MAPPED-ADDRESS, RFC 8489 section 14.1. */
    public static final StunAttributeType MAPPED_ADDRESS = known(AttributeCodes.MAPPED_ADDRESS, "MAPPED-ADDRESS");
    /** USERNAME, RFC 8489 section 14.3. */
    public static final StunAttributeType USERNAME = known(AttributeCodes.USERNAME, "USERNAME");
    /** MESSAGE-INTEGRITY, RFC 8489 section 14.5. */
    public static final StunAttributeType MESSAGE_INTEGRITY = known(AttributeCodes.MESSAGE_INTEGRITY, "MESSAGE-INTEGRITY");
    /** ERROR-CODE, RFC 8489 section 14.8. */
    public static final StunAttributeType ERROR_CODE = known(AttributeCodes.ERROR_CODE, "ERROR-CODE");
    /** UNKNOWN-ATTRIBUTES, RFC 8489 section 14.13. */
    public static final StunAttributeType UNKNOWN_ATTRIBUTES = known(AttributeCodes.UNKNOWN_ATTRIBUTES, "UNKNOWN-ATTRIBUTES");
    /** REALM, RFC 8489 section 14.9. */
    public static final StunAttributeType REALM = known(AttributeCodes.REALM, "REALM");
    /** NONCE, RFC 8489 section 14.10. */
    public static final StunAttributeType NONCE = known(AttributeCodes.NONCE, "NONCE");
    /** MESSAGE-INTEGRITY-SHA256, RFC 8489 section 14.6. */
    public static final StunAttributeType MESSAGE_INTEGRITY_SHA256 =
            known(AttributeCodes.MESSAGE_INTEGRITY_SHA256, "MESSAGE-INTEGRITY-SHA256");
    /** PASSWORD-ALGORITHM, RFC 8489 section 14.12. */
    public static final StunAttributeType PASSWORD_ALGORITHM = known(AttributeCodes.PASSWORD_ALGORITHM, "PASSWORD-ALGORITHM");
    /** USERHASH, RFC 8489 section 14.4. */
    public static final StunAttributeType USERHASH = known(AttributeCodes.USERHASH, "USERHASH");
    /** XOR-MAPPED-ADDRESS, RFC 8489 section 14.2. */
    public static final StunAttributeType XOR_MAPPED_ADDRESS = known(AttributeCodes.XOR_MAPPED_ADDRESS, "XOR-MAPPED-ADDRESS");
    /** PASSWORD-ALGORITHMS, RFC 8489 section 14.11. */
    public static final StunAttributeType PASSWORD_ALGORITHMS = known(AttributeCodes.PASSWORD_ALGORITHMS, "PASSWORD-ALGORITHMS");
    /** ALTERNATE-DOMAIN, RFC 8489 section 14.16. */
    public static final StunAttributeType ALTERNATE_DOMAIN = known(AttributeCodes.ALTERNATE_DOMAIN, "ALTERNATE-DOMAIN");
    /** SOFTWARE, RFC 8489 section 14.14. */
    public static final StunAttributeType SOFTWARE = known(AttributeCodes.SOFTWARE, "SOFTWARE");
    /** ALTERNATE-SERVER, RFC 8489 section 14.15. */
    public static final StunAttributeType ALTERNATE_SERVER = known(AttributeCodes.ALTERNATE_SERVER, "ALTERNATE-SERVER");
    /** FINGERPRINT, RFC 8489 section 14.7. */
    public static final StunAttributeType FINGERPRINT = known(AttributeCodes.FINGERPRINT, "FINGERPRINT");
    /** PRIORITY, RFC 8445 section 7.1.1. */
    public static final StunAttributeType PRIORITY = known(AttributeCodes.PRIORITY, "PRIORITY");
    /** USE-CANDIDATE, RFC 8445 section 7.1.2. */
    public static final StunAttributeType USE_CANDIDATE = known(AttributeCodes.USE_CANDIDATE, "USE-CANDIDATE");
    /** ICE-CONTROLLED, RFC 8445 section 7.1.3. */
    public static final StunAttributeType ICE_CONTROLLED = known(AttributeCodes.ICE_CONTROLLED, "ICE-CONTROLLED");
    /** ICE-CONTROLLING, RFC 8445 section 7.1.3. */
    public static final StunAttributeType ICE_CONTROLLING = known(AttributeCodes.ICE_CONTROLLING, "ICE-CONTROLLING");
    /**
     * NOMINATION (0xC001, comprehension-optional), <a
     * href="https://datatracker.ietf.org/doc/draft-thatcher-ice-renomination/">draft-thatcher-ice-renomination</a>:
     * a 32-bit unsigned nomination counter, as libwebrtc ({@code STUN_ATTR_NOMINATION}) and pion/ice send it.
     */
    public static final StunAttributeType NOMINATION = known(AttributeCodes.NOMINATION, "NOMINATION");
    /** CHANNEL-NUMBER, RFC 8656 section 18.1. */
    public static final StunAttributeType CHANNEL_NUMBER = known(AttributeCodes.CHANNEL_NUMBER, "CHANNEL-NUMBER");
    /** LIFETIME, RFC 8656 section 18.2. */
    public static final StunAttributeType LIFETIME = known(AttributeCodes.LIFETIME, "LIFETIME");
    /** XOR-PEER-ADDRESS, RFC 8656 section 18.3. */
    public static final StunAttributeType XOR_PEER_ADDRESS = known(AttributeCodes.XOR_PEER_ADDRESS, "XOR-PEER-ADDRESS");
    /** DATA, RFC 8656 section 18.4. */
    public static final StunAttributeType DATA = known(AttributeCodes.DATA, "DATA");
    /** XOR-RELAYED-ADDRESS, RFC 8656 section 18.5. */
    public static final StunAttributeType XOR_RELAYED_ADDRESS = known(AttributeCodes.XOR_RELAYED_ADDRESS, "XOR-RELAYED-ADDRESS");
    /** REQUESTED-ADDRESS-FAMILY, RFC 8656 section 18.6. */
    public static final StunAttributeType REQUESTED_ADDRESS_FAMILY =
            known(AttributeCodes.REQUESTED_ADDRESS_FAMILY, "REQUESTED-ADDRESS-FAMILY");
    /** EVEN-PORT, RFC 8656 section 18.7. */
    public static final StunAttributeType EVEN_PORT = known(AttributeCodes.EVEN_PORT, "EVEN-PORT");
    /** REQUESTED-TRANSPORT, RFC 8656 section 18.8. */
    public static final StunAttributeType REQUESTED_TRANSPORT = known(AttributeCodes.REQUESTED_TRANSPORT, "REQUESTED-TRANSPORT");
    /** DONT-FRAGMENT, RFC 8656 section 18.9. */
    public static final StunAttributeType DONT_FRAGMENT = known(AttributeCodes.DONT_FRAGMENT, "DONT-FRAGMENT");
    /** RESERVATION-TOKEN, RFC 8656 section 18.10. */
    public static final StunAttributeType RESERVATION_TOKEN = known(AttributeCodes.RESERVATION_TOKEN, "RESERVATION-TOKEN");
    /** ADDITIONAL-ADDRESS-FAMILY, RFC 8656 section 18.11. */
    public static final StunAttributeType ADDITIONAL_ADDRESS_FAMILY =
            known(AttributeCodes.ADDITIONAL_ADDRESS_FAMILY, "ADDITIONAL-ADDRESS-FAMILY");
    /** ADDRESS-ERROR-CODE, RFC 8656 section 18.12. */
    public static final StunAttributeType ADDRESS_ERROR_CODE = known(AttributeCodes.ADDRESS_ERROR_CODE, "ADDRESS-ERROR-CODE");
    /** ICMP, RFC 8656 section 18.13. */
    public static final StunAttributeType ICMP = known(AttributeCodes.ICMP, "ICMP");

    private final int code;
    private final String name;
    private final boolean known;

    private StunAttributeType(int code, String name, boolean known) {
        this.code = code;
        this.name = name;
        this.known = known;
    }

    private static StunAttributeType known(int code, String name) {
        StunAttributeType type = new StunAttributeType(code, name, true);
        KNOWN.put(code, type);
        return type;
    }

    /**
     * The attribute type with this code: a registered constant or an unregistered value.
     *
     * @param code the 16-bit attribute type
     * @return the type; never {@code null}
     * @throws IllegalArgumentException if {@code code} does not fit in 16 bits
     */
    public static StunAttributeType valueOf(int code) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("attribute type must be 0..0xFFFF but was " + code);
        }
        StunAttributeType type = KNOWN.get(code);
        return type != null ? type : new StunAttributeType(code, String.format("Unknown(0x%04X)", code), false);
    }

    /** Whether a code is one this library understands. */
    public static boolean isKnown(int code) {
        return KNOWN.containsKey(code);
    }

    /** Whether a code lies in the comprehension-required range 0x0000-0x7FFF. */
    public static boolean isComprehensionRequired(int code) {
        return code < 0x8000;
    }

    /** The 16-bit code. */
    public int code() {
        return code;
    }

    /** The registered name, or {@code Unknown(0x....)}. */
    public String name() {
        return name;
    }

    /** Whether this type is one this library understands. */
    public boolean isKnown() {
        return known;
    }

    /** Whether a receiver that does not understand this type must reject the message. */
    public boolean isComprehensionRequired() {
        return isComprehensionRequired(code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunAttributeType t && t.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return name;
    }
}
