package io.reactiveice.stun;

/**
 * A reason phrase that ERROR-CODE or ADDRESS-ERROR-CODE cannot carry: it must be fewer than 128
 * characters (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.8">RFC 8489 section
 * 14.8</a>, <a href="https://www.rfc-editor.org/rfc/rfc8656#section-18.12">RFC 8656 section
 * 18.12</a>). A diagnostic that long belongs in a log line, not on the wire.
 */
public final class ReasonPhraseTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The most characters a reason phrase may have: fewer than 128. */
    public static final int MAX_CHARACTERS = 127;

    private final int characters;

    /**
     * A refusal.
     *
     * @param characters how many characters (code points) the phrase has
     */
    public ReasonPhraseTooLongException(int characters) {
        super("reason must be fewer than 128 characters (RFC 8489 section 14.8) but has " + characters);
        this.characters = characters;
    }

    /**
     * How long the refused phrase is.
     *
     * @return its characters (code points)
     */
    public int characters() {
        return characters;
    }
}
