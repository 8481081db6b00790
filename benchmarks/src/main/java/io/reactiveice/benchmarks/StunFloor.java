package io.reactiveice.benchmarks;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The physical floor of decoding and checking a STUN message with JDK primitives: the least work any
 * codec must do over a big-endian heap {@link ByteBuffer}, written by hand with no abstraction.
 *
 * <ul>
 *   <li>{@link #walk}: the header rules (leading bits, magic cookie, length a multiple of four and
 *       equal to the datagram) and a walk over every attribute header (type, length, padding, bounds).
 *   <li>{@link #check}: that walk, then CRC-32 over the bytes before FINGERPRINT and HMAC-SHA1 (a
 *       {@link Mac} keyed once) over the bytes before MESSAGE-INTEGRITY with the header's length field
 *       adjusted to end after MESSAGE-INTEGRITY (RFC 8489 sections 14.5 and 14.7).
 * </ul>
 *
 * <p>The walk allocates nothing. {@link Mac#doFinal(byte[], int)} does: the JDK's {@code HmacCore}
 * returns a fresh 20-byte array that {@code Mac} then copies, so {@link #check} costs one 40-byte
 * array per call. Not thread-safe (one {@link CRC32} and one {@link Mac}); keep one per benchmark
 * thread.
 */
final class StunFloor {
    private static final int HEADER = 20;
    private static final int COOKIE = 0x2112A442;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int FINGERPRINT = 0x8028;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    private final CRC32 crc = new CRC32();
    private final Mac mac;
    private final byte[] macOut = new byte[20];
    private final byte[] adjustedHeader = new byte[4];

    /**
     * @param key the HMAC-SHA1 key (for a short-term credential, the password's UTF-8 bytes)
     */
    StunFloor(byte[] key) {
        try {
            mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required by RFC 8489 but missing from this JDK", e);
        }
    }

    /**
     * Header rules plus an attribute walk.
     *
     * @return the sum of every attribute's type and value length (so the walk cannot be optimized
     *     away), or -1 if the bytes are not a well-formed STUN message
     */
    static int walk(ByteBuffer b, int off, int len) {
        if (len < HEADER || (b.get(off) & 0xC0) != 0 || b.getInt(off + 4) != COOKIE) {
            return -1;
        }
        int messageLength = b.getShort(off + 2) & 0xFFFF;
        if ((messageLength & 3) != 0 || messageLength != len - HEADER) {
            return -1;
        }
        int end = off + len;
        int sum = 0;
        for (int pos = off + HEADER; pos < end; ) {
            if (end - pos < 4) {
                return -1;
            }
            int type = b.getShort(pos) & 0xFFFF;
            int valueLength = b.getShort(pos + 2) & 0xFFFF;
            int next = pos + 4 + ((valueLength + 3) & ~3);
            if (next > end) {
                return -1;
            }
            sum += type + valueLength;
            pos = next;
        }
        return sum;
    }

    /**
     * The walk of {@link #walk}, then FINGERPRINT and MESSAGE-INTEGRITY verified with {@link CRC32}
     * and {@link Mac}. The buffer must be a heap buffer.
     *
     * @return whether both are present (FINGERPRINT last, MESSAGE-INTEGRITY of 20 bytes) and match
     */
    boolean check(ByteBuffer b, int off, int len) {
        if (len < HEADER || (b.get(off) & 0xC0) != 0 || b.getInt(off + 4) != COOKIE) {
            return false;
        }
        int messageLength = b.getShort(off + 2) & 0xFFFF;
        if ((messageLength & 3) != 0 || messageLength != len - HEADER) {
            return false;
        }
        int end = off + len;
        int integrityAt = -1;
        int fingerprintAt = -1;
        for (int pos = off + HEADER; pos < end; ) {
            if (end - pos < 4) {
                return false;
            }
            int type = b.getShort(pos) & 0xFFFF;
            int valueLength = b.getShort(pos + 2) & 0xFFFF;
            int next = pos + 4 + ((valueLength + 3) & ~3);
            if (next > end) {
                return false;
            }
            if (type == MESSAGE_INTEGRITY && integrityAt < 0 && valueLength == 20) {
                integrityAt = pos;
            } else if (type == FINGERPRINT && valueLength == 4 && next == end) {
                fingerprintAt = pos;
            }
            pos = next;
        }
        if (integrityAt < 0 || fingerprintAt < 0) {
            return false;
        }
        byte[] a = b.array();
        int base = b.arrayOffset();
        crc.reset();
        crc.update(a, base + off, fingerprintAt - off);
        if (((int) crc.getValue() ^ FINGERPRINT_XOR) != b.getInt(fingerprintAt + 4)) {
            return false;
        }
        return integrityMatches(a, base + off, integrityAt - off);
    }

    /** HMAC-SHA1 over {@code a[start, start + before)} with the length field covering MESSAGE-INTEGRITY. */
    private boolean integrityMatches(byte[] a, int start, int before) {
        int adjustedLength = before + 24 - HEADER;
        adjustedHeader[0] = a[start];
        adjustedHeader[1] = a[start + 1];
        adjustedHeader[2] = (byte) (adjustedLength >>> 8);
        adjustedHeader[3] = (byte) adjustedLength;
        mac.update(adjustedHeader, 0, 4);
        mac.update(a, start + 4, before - 4);
        try {
            mac.doFinal(macOut, 0); // also resets the Mac for the next call
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        int sent = start + before + 4;
        int diff = 0;
        for (int i = 0; i < 20; i++) {
            diff |= macOut[i] ^ a[sent + i];
        }
        return diff == 0;
    }
}
