package io.reactiveice.agent;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An ICE username fragment and password (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.3">RFC
 * 8445 section 5.3</a>, syntax per RFC 8839 section 5.4): at least 24 bits of randomness in the
 * ufrag and 128 in the password. Neither {@link #toString()} nor an error message ever shows any
 * part of the password.
 *
 * @param ufrag 4 to 256 ice-chars
 * @param pwd 22 to 256 ice-chars
 */
public record IceCredentials(String ufrag, String pwd) {
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** Checks the syntax, naming the field. */
    public IceCredentials {
        check("ufrag", ufrag, 4);
        check("pwd", pwd, 22);
    }

    private static void check(String field, String value, int min) {
        Objects.requireNonNull(value, field);
        if (value.length() < min || value.length() > 256) {
            throw new IllegalArgumentException(field + " must be " + min + "..256 ice-chars but has " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            if (ICE_CHARS.indexOf(value.charAt(i)) < 0) {
                // the ufrag is public (it goes in every USERNAME); no part of the password is ever shown
                throw new IllegalArgumentException(field + " must hold only ice-chars (ALPHA DIGIT + /) but has "
                        + (field.equals("pwd") ? "another character (not shown: it is a credential)"
                                : "'" + value.charAt(i) + "'"));
            }
        }
    }

    /**
     * Fresh credentials: an 8-character ufrag (48 bits) and a 24-character password (144 bits).
     *
     * @param random the source; a {@link java.security.SecureRandom} in production
     * @return the credentials
     */
    public static IceCredentials generate(RandomGenerator random) {
        // 6 random bits per character (64 ice-chars: uniform); 24 bytes, one call, for 32 characters
        byte[] bits = new byte[24];
        random.nextBytes(bits);
        char[] chars = new char[32];
        for (int i = 0, c = 0; i < bits.length; i += 3) {
            int v = (bits[i] & 0xFF) << 16 | (bits[i + 1] & 0xFF) << 8 | bits[i + 2] & 0xFF;
            chars[c++] = ICE_CHARS.charAt(v >>> 18);
            chars[c++] = ICE_CHARS.charAt(v >>> 12 & 63);
            chars[c++] = ICE_CHARS.charAt(v >>> 6 & 63);
            chars[c++] = ICE_CHARS.charAt(v & 63);
        }
        return new IceCredentials(new String(chars, 0, 8), new String(chars, 8, 24));
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]";
    }
}
