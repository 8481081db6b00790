package io.reactiveice.agent;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * An ICE username fragment and password (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.3">RFC
 * 8445 section 5.3</a>, syntax per RFC 8839 section 5.4): at least 24 bits of randomness in the
 * ufrag and 128 in the password. {@link #toString()} never shows the password.
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
                throw new IllegalArgumentException(field + " must hold only ice-chars (ALPHA DIGIT + /) but has '"
                        + value.charAt(i) + "'");
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
        return new IceCredentials(randomChars(random, 8), randomChars(random, 24));
    }

    private static String randomChars(RandomGenerator random, int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]";
    }
}
