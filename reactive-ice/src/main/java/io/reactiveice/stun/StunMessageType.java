package io.reactiveice.stun;

/**
 * Packing and unpacking of the 14-bit STUN message type, in which the class bits C1 and C0 are
 * interleaved with the method bits M11..M0
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-5">RFC 8489 section 5, figure 3</a>).
 */
public final class StunMessageType {
    private StunMessageType() {
    }

    /**
     * The message type field for a method number and a class.
     *
     * @param method the 12-bit method number
     * @param stunClass the class
     * @return the 16-bit type field, with the two leading bits zero
     */
    public static int of(int method, StunClass stunClass) {
        int c = stunClass.bits();
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((c & 0x1) << 4) | ((c & 0x2) << 7);
    }

    /** The 12-bit method number inside a message type field. */
    public static int method(int type) {
        return (type & 0x000F) | ((type >>> 1) & 0x0070) | ((type >>> 2) & 0x0F80);
    }

    /** The two class bits (C1 C0, 0 to 3) inside a message type field. */
    public static int classBits(int type) {
        return ((type >>> 4) & 0x1) | ((type >>> 7) & 0x2);
    }
}
