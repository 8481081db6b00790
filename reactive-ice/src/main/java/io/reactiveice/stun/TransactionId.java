package io.reactiveice.stun;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The 96-bit transaction id of a STUN message
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-5">RFC 8489 section 5</a>), held as two
 * numbers so that it can be compared and used as a map key without touching an array.
 *
 * @param high the first eight bytes, big-endian
 * @param low the last four bytes, big-endian
 */
public record TransactionId(long high, int low) {

    /** The length of a transaction id on the wire. */
    public static final int LENGTH = 12;

    /**
     * A new transaction id from a random source. RFC 8489 asks for a cryptographically random id;
     * pass a {@link java.security.SecureRandom} in production and a seeded generator in tests.
     *
     * @param random the source of the 96 bits
     * @return a new transaction id
     */
    public static TransactionId random(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return new TransactionId(random.nextLong(), random.nextInt());
    }

    /**
     * The transaction id held in 12 bytes of an array.
     *
     * @param bytes the array
     * @param offset where the 12 bytes start
     * @return the transaction id
     */
    public static TransactionId fromBytes(byte[] bytes, int offset) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, LENGTH, bytes.length);
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[offset + i] & 0xFF);
        }
        int low = 0;
        for (int i = 8; i < LENGTH; i++) {
            low = (low << 8) | (bytes[offset + i] & 0xFF);
        }
        return new TransactionId(high, low);
    }

    /** The 12 bytes of this id, in wire order. */
    public byte[] toBytes() {
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (high >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[8 + i] = (byte) (low >>> (24 - 8 * i));
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("%016x%08x", high, low);
    }
}
