package io.reactiveice.stun;

/**
 * The class of a STUN message: the two class bits C1 and C0 of the message type
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-5">RFC 8489 section 5</a>).
 * Two bits encode exactly these four values, so this set is closed.
 */
public enum StunClass {
    /** {@code 0b00}: a request, answered by a success or error response. */
    REQUEST,
    /** {@code 0b01}: an indication, never answered. */
    INDICATION,
    /** {@code 0b10}: a success response. */
    SUCCESS_RESPONSE,
    /** {@code 0b11}: an error response, carrying ERROR-CODE. */
    ERROR_RESPONSE;

    private static final StunClass[] BY_BITS = values();

    /** The two class bits, C1 C0, as a number from 0 to 3. */
    public int bits() {
        return ordinal();
    }

    /** Whether this is a success or an error response. */
    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }

    /**
     * The class for the two class bits.
     *
     * @param bits C1 C0 as a number from 0 to 3
     * @return the class
     * @throws IllegalArgumentException if {@code bits} is outside 0..3
     */
    public static StunClass ofBits(int bits) {
        if (bits < 0 || bits > 3) {
            throw new IllegalArgumentException("class bits must be 0..3 but was " + bits);
        }
        return BY_BITS[bits];
    }
}
