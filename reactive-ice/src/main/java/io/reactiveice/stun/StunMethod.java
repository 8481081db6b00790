package io.reactiveice.stun;

/**
 * A STUN method: the 12-bit method number of a message type, as an open registry
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-18.2">RFC 8489 section 18.2</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc8656#section-17">RFC 8656 section 17</a>).
 *
 * <p>{@link #valueOf(int)} returns the shared constant for a registered method and a fresh value for
 * any other 12-bit code; it never fails for a code the wire can carry. Two methods are equal when
 * their codes are.
 */
public final class StunMethod {
    /** Binding, 0x001 (RFC 8489). */
    public static final StunMethod BINDING = new StunMethod(0x001, "Binding");
    /** Allocate, 0x003 (RFC 8656). */
    public static final StunMethod ALLOCATE = new StunMethod(0x003, "Allocate");
    /** Refresh, 0x004 (RFC 8656). */
    public static final StunMethod REFRESH = new StunMethod(0x004, "Refresh");
    /** Send, 0x006 (RFC 8656, indication only). */
    public static final StunMethod SEND = new StunMethod(0x006, "Send");
    /** Data, 0x007 (RFC 8656, indication only). */
    public static final StunMethod DATA = new StunMethod(0x007, "Data");
    /** CreatePermission, 0x008 (RFC 8656). */
    public static final StunMethod CREATE_PERMISSION = new StunMethod(0x008, "CreatePermission");
    /** ChannelBind, 0x009 (RFC 8656). */
    public static final StunMethod CHANNEL_BIND = new StunMethod(0x009, "ChannelBind");

    /** The largest method number: methods are 12 bits wide. */
    public static final int MAX_CODE = 0xFFF;

    private static final StunMethod[] KNOWN = new StunMethod[0x00A];

    static {
        for (StunMethod m : new StunMethod[] {BINDING, ALLOCATE, REFRESH, SEND, DATA, CREATE_PERMISSION, CHANNEL_BIND}) {
            KNOWN[m.code] = m;
        }
    }

    private final int code;
    private final String name;

    private StunMethod(int code, String name) {
        this.code = code;
        this.name = name;
    }

    /**
     * The method with this number: a registered constant, or an unregistered value.
     *
     * @param code the method number, 0 to 0xFFF
     * @return the method; never {@code null}
     * @throws IllegalArgumentException if {@code code} does not fit in 12 bits
     */
    public static StunMethod valueOf(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("method code must be 0..0xFFF but was 0x" + Integer.toHexString(code));
        }
        StunMethod known = code < KNOWN.length ? KNOWN[code] : null;
        return known != null ? known : new StunMethod(code, String.format("Unknown(0x%03X)", code));
    }

    /** The 12-bit method number. */
    public int code() {
        return code;
    }

    /** The registered name, or {@code Unknown(0x...)}. */
    public String name() {
        return name;
    }

    /** Whether the method is one this library knows (Binding or a TURN method). */
    public boolean isKnown() {
        return code < KNOWN.length && KNOWN[code] == this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunMethod m && m.code == code;
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
