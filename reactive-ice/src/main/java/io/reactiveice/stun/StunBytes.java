package io.reactiveice.stun;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable run of bytes with value equality, for attribute values that are opaque
 * (DATA, USERHASH, MESSAGE-INTEGRITY, unknown attributes).
 */
public final class StunBytes {
    private static final StunBytes EMPTY = new StunBytes(new byte[0]);

    private final byte[] bytes;

    private StunBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The bytes given, copied.
     *
     * @param bytes the bytes
     * @return an immutable copy
     */
    public static StunBytes of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new StunBytes(bytes.clone());
    }

    /** An empty value. */
    public static StunBytes empty() {
        return EMPTY;
    }

    /** Takes ownership of an array nobody else holds. */
    static StunBytes wrap(byte[] bytes) {
        return new StunBytes(bytes);
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The array itself, for the codec's own writes; never handed out. */
    byte[] array() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunBytes b && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
