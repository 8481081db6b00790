package io.reactiveice.stun;

/**
 * Attribute type codes as compile-time constants, for {@code switch} statements inside the codec.
 * The public face of these numbers is {@link StunAttributeType}.
 */
final class AttributeCodes {
    private AttributeCodes() {
    }

    // RFC 8489 section 18.3, comprehension-required (0x0000-0x7FFF)
    static final int MAPPED_ADDRESS = 0x0001;
    static final int USERNAME = 0x0006;
    static final int MESSAGE_INTEGRITY = 0x0008;
    static final int ERROR_CODE = 0x0009;
    static final int UNKNOWN_ATTRIBUTES = 0x000A;
    static final int REALM = 0x0014;
    static final int NONCE = 0x0015;
    static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    static final int PASSWORD_ALGORITHM = 0x001D;
    static final int USERHASH = 0x001E;
    static final int XOR_MAPPED_ADDRESS = 0x0020;
    // RFC 8489, comprehension-optional (0x8000-0xFFFF)
    static final int PASSWORD_ALGORITHMS = 0x8002;
    static final int ALTERNATE_DOMAIN = 0x8003;
    static final int SOFTWARE = 0x8022;
    static final int ALTERNATE_SERVER = 0x8023;
    static final int FINGERPRINT = 0x8028;
    // RFC 8445 section 16.1
    static final int PRIORITY = 0x0024;
    static final int USE_CANDIDATE = 0x0025;
    static final int ICE_CONTROLLED = 0x8029;
    static final int ICE_CONTROLLING = 0x802A;
    // draft-thatcher-ice-renomination, as libwebrtc and pion/ice send it
    static final int NOMINATION = 0xC001;
    // RFC 8656 section 18
    static final int CHANNEL_NUMBER = 0x000C;
    static final int LIFETIME = 0x000D;
    static final int XOR_PEER_ADDRESS = 0x0012;
    static final int DATA = 0x0013;
    static final int XOR_RELAYED_ADDRESS = 0x0016;
    static final int REQUESTED_ADDRESS_FAMILY = 0x0017;
    static final int EVEN_PORT = 0x0018;
    static final int REQUESTED_TRANSPORT = 0x0019;
    static final int DONT_FRAGMENT = 0x001A;
    static final int RESERVATION_TOKEN = 0x0022;
    static final int ADDITIONAL_ADDRESS_FAMILY = 0x8000;
    static final int ADDRESS_ERROR_CODE = 0x8001;
    static final int ICMP = 0x8004;

    /** Whether this library understands the attribute type {@code code}; allocation-free. */
    static boolean isKnown(int code) {
        switch (code) {
            case MAPPED_ADDRESS, USERNAME, MESSAGE_INTEGRITY, ERROR_CODE, UNKNOWN_ATTRIBUTES, REALM, NONCE,
                    MESSAGE_INTEGRITY_SHA256, PASSWORD_ALGORITHM, USERHASH, XOR_MAPPED_ADDRESS, PASSWORD_ALGORITHMS,
                    ALTERNATE_DOMAIN, SOFTWARE, ALTERNATE_SERVER, FINGERPRINT, PRIORITY, USE_CANDIDATE, ICE_CONTROLLED,
                    ICE_CONTROLLING, NOMINATION, CHANNEL_NUMBER, LIFETIME, XOR_PEER_ADDRESS, DATA, XOR_RELAYED_ADDRESS,
                    REQUESTED_ADDRESS_FAMILY, EVEN_PORT, REQUESTED_TRANSPORT, DONT_FRAGMENT, RESERVATION_TOKEN,
                    ADDITIONAL_ADDRESS_FAMILY, ADDRESS_ERROR_CODE, ICMP:
                return true;
            default:
                return false;
        }
    }
}
