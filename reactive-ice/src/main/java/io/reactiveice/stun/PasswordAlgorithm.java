package io.reactiveice.stun;

/**
 * A password algorithm of the long-term credential mechanism, as an open registry
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-18.5">RFC 8489 section 18.5</a>):
 * it names the hash that turns username, realm and password into the key.
 */
public final class PasswordAlgorithm {
    /** MD5, 0x0001: the RFC 5389 key, and the default when the server offers no algorithms. */
    public static final PasswordAlgorithm MD5 = new PasswordAlgorithm(0x0001, "MD5", "MD5");
    /** SHA-256, 0x0002 (RFC 8489 section 18.5.1.1). */
    public static final PasswordAlgorithm SHA_256 = new PasswordAlgorithm(0x0002, "SHA-256", "SHA-256");

    private final int code;
    private final String name;
    private final String digest;

    private PasswordAlgorithm(int code, String name, String digest) {
        this.code = code;
        this.name = name;
        this.digest = digest;
    }

    /**
     * The algorithm with this number; unregistered numbers give a value that cannot derive keys.
     *
     * @param code the 16-bit algorithm number
     * @return the algorithm
     */
    public static PasswordAlgorithm valueOf(int code) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("password algorithm must be 0..0xFFFF but was " + code);
        }
        return switch (code) {
            case 0x0001 -> MD5;
            case 0x0002 -> SHA_256;
            default -> new PasswordAlgorithm(code, String.format("Unknown(0x%04X)", code), null);
        };
    }

    /** The 16-bit number. */
    public int code() {
        return code;
    }

    /** The registered name. */
    public String name() {
        return name;
    }

    /** Whether keys can be derived with this algorithm. */
    public boolean isSupported() {
        return digest != null;
    }

    /** The JDK {@link java.security.MessageDigest} name, or {@code null} when unsupported. */
    String digest() {
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordAlgorithm a && a.code == code;
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
