package io.reactiveice.stun;

import java.util.Base64;
import java.util.Objects;

/**
 * The nonce cookie of RFC 8489 (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.2">section
 * 9.2</a>): a NONCE that starts with {@code obMatJos2} followed by four base64 characters carrying
 * the 24 bits of the server's STUN security features (bit 0 is "password algorithms", bit 1
 * "username anonymity"). Section 9.2 calls bit 0 the most significant; RFC errata 6290 (to section
 * 18.1) and the corrected appendix B.1 vector (erratum 6268, whose nonce {@code obMatJos2AAAC}
 * announces username anonymity for a request carrying USERHASH) count from the least significant
 * bit, and so does this class. A server sets it to announce RFC 8489 features; a
 * client that sees it knows the features were not stripped by an attacker downgrading to RFC 5389.
 *
 * @param features the 24 feature bits, bit 0 being the least significant
 */
public record NonceCookie(int features) {
    /** The prefix every nonce cookie starts with. */
    public static final String PREFIX = "obMatJos2";
    /** The "password algorithms" feature bit (bit 0). */
    public static final int PASSWORD_ALGORITHMS = 1;
    /** The "username anonymity" feature bit (bit 1). */
    public static final int USERNAME_ANONYMITY = 1 << 1;

    /** Checks that the features fit in 24 bits. */
    public NonceCookie {
        if ((features & ~0xFF_FFFF) != 0) {
            throw new IllegalArgumentException("features must fit in 24 bits but was 0x" + Integer.toHexString(features));
        }
    }

    /**
     * The nonce cookie at the start of a NONCE value, if it has one.
     *
     * @param nonce the NONCE value
     * @return the cookie, or {@code null} if the nonce does not start with a well-formed one
     */
    public static NonceCookie parse(String nonce) {
        Objects.requireNonNull(nonce, "nonce");
        if (!nonce.startsWith(PREFIX) || nonce.length() < PREFIX.length() + 4) {
            return null;
        }
        try {
            byte[] bits = Base64.getDecoder().decode(nonce.substring(PREFIX.length(), PREFIX.length() + 4));
            return new NonceCookie(((bits[0] & 0xFF) << 16) | ((bits[1] & 0xFF) << 8) | (bits[2] & 0xFF));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a feature bit (e.g. {@link #PASSWORD_ALGORITHMS}) is set. */
    public boolean has(int feature) {
        return (features & feature) != 0;
    }

    /**
     * A NONCE value made of this cookie followed by the server's own opaque part.
     *
     * @param opaque the rest of the nonce
     * @return the NONCE value
     */
    public String prefixTo(String opaque) {
        byte[] bits = {(byte) (features >>> 16), (byte) (features >>> 8), (byte) features};
        return PREFIX + Base64.getEncoder().encodeToString(bits) + opaque;
    }
}
