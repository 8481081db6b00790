package io.reactiveice.stun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * The framing half of {@link StunMessageReader}: validates a message once
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-5">RFC 8489 section 5</a> header, cookie
 * and length; the attribute walk of section 14; the position rules of MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, sections 14.5 to 14.7) and keeps the index of where each
 * attribute lies. The reader's accessors read that index in place: its fields are package-private
 * so that no attribute read pays a call, and the class is sealed to the reader.
 */
abstract sealed class StunMessageFrame permits StunMessageReader {
    private static final int HEADER_LENGTH = StunMessageReader.HEADER_LENGTH;

    ByteBuffer buffer;
    int base;
    int end;
    int type;
    int count;
    int[] valueOffsets = new int[16];
    int[] typeAndLength = new int[16];
    int integrityIndex;
    int integritySha256Index;
    int fingerprintIndex;
    int unknownRequired;
    StunRejection rejection;

    private byte[] lastArray;
    private ByteBuffer lastWrapped;
    private byte[] copy = new byte[1500];
    private boolean copied;

    StunMessageFrame() {
        reset();
    }

    /**
     * Reads the STUN message occupying exactly {@code length} bytes of {@code buffer} from the
     * absolute index {@code offset}.
     *
     * @param buffer the buffer; its position, limit and byte order are left alone
     * @param offset where the message starts
     * @param length how many bytes the datagram (or frame) holds
     * @return {@code true} if the bytes are a well-formed STUN message; otherwise {@link #rejection()} says why
     */
    public final boolean tryRead(ByteBuffer buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.capacity());
        reset();
        this.buffer = buffer.order() == ByteOrder.BIG_ENDIAN ? buffer : buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        this.base = offset;
        if (length < HEADER_LENGTH) {
            return reject(StunRejection.TRUNCATED_HEADER);
        }
        ByteBuffer b = this.buffer;
        int first = b.getShort(offset) & 0xFFFF;
        if ((first & 0xC000) != 0) {
            return reject(StunRejection.NONZERO_LEADING_BITS);
        }
        if (b.getInt(offset + 4) != StunMessageReader.MAGIC_COOKIE) {
            return reject(StunRejection.BAD_MAGIC_COOKIE);
        }
        int messageLength = b.getShort(offset + 2) & 0xFFFF;
        if ((messageLength & 3) != 0) {
            return reject(StunRejection.LENGTH_NOT_MULTIPLE_OF_4);
        }
        if (messageLength > length - HEADER_LENGTH) {
            return reject(StunRejection.LENGTH_BEYOND_DATAGRAM);
        }
        if (messageLength < length - HEADER_LENGTH) {
            return reject(StunRejection.TRAILING_BYTES);
        }
        this.type = first;
        this.end = offset + HEADER_LENGTH + messageLength;
        return walk(b);
    }

    /**
     * Reads a message from an array: {@link #tryRead(ByteBuffer, int, int)} over a wrapper that is
     * cached while the same array is passed again.
     *
     * @param array the bytes
     * @param offset where the message starts
     * @param length how many bytes the datagram holds
     * @return whether the bytes are a well-formed STUN message
     */
    public final boolean tryRead(byte[] array, int offset, int length) {
        Objects.requireNonNull(array, "array");
        if (array != lastArray) {
            lastArray = array;
            lastWrapped = ByteBuffer.wrap(array);
        }
        return tryRead(lastWrapped, offset, length);
    }

    private boolean walk(ByteBuffer b) {
        int pos = base + HEADER_LENGTH;
        while (pos < end) {
            if (end - pos < 4) {
                return reject(StunRejection.ATTRIBUTE_OVERRUN);
            }
            int t = b.getShort(pos) & 0xFFFF;
            int len = b.getShort(pos + 2) & 0xFFFF;
            int value = pos + 4;
            int padded = (len + 3) & ~3;
            if (padded > end - value) {
                return reject(StunRejection.ATTRIBUTE_OVERRUN);
            }
            if (fingerprintIndex >= 0) {
                return reject(StunRejection.FINGERPRINT_NOT_LAST);
            }
            if (t != AttributeCodes.FINGERPRINT) {
                if (integritySha256Index >= 0) {
                    return reject(StunRejection.ATTRIBUTE_AFTER_INTEGRITY_SHA256);
                }
                if (integrityIndex >= 0 && t != AttributeCodes.MESSAGE_INTEGRITY_SHA256) {
                    return reject(StunRejection.ATTRIBUTE_AFTER_INTEGRITY);
                }
            }
            if (!checkPositional(t, len)) {
                return reject(StunRejection.BAD_ATTRIBUTE_LENGTH);
            }
            if (t < 0x8000 && !AttributeCodes.isKnown(t)) {
                unknownRequired++;
            }
            add(t, len, value);
            pos = value + padded;
        }
        return true;
    }

    private boolean checkPositional(int t, int len) {
        switch (t) {
            case AttributeCodes.MESSAGE_INTEGRITY:
                integrityIndex = count;
                return len == 20;
            case AttributeCodes.MESSAGE_INTEGRITY_SHA256:
                integritySha256Index = count;
                return len >= 16 && len <= 32 && (len & 3) == 0;
            case AttributeCodes.FINGERPRINT:
                fingerprintIndex = count;
                return len == 4;
            default:
                return true;
        }
    }

    private void add(int t, int len, int value) {
        if (count == valueOffsets.length) {
            valueOffsets = Arrays.copyOf(valueOffsets, count * 2);
            typeAndLength = Arrays.copyOf(typeAndLength, count * 2);
        }
        valueOffsets[count] = value;
        typeAndLength[count] = (t << 16) | len;
        count++;
    }

    private boolean reject(StunRejection why) {
        rejection = why;
        count = 0;
        return false;
    }

    private void reset() {
        rejection = null;
        count = 0;
        integrityIndex = -1;
        integritySha256Index = -1;
        fingerprintIndex = -1;
        unknownRequired = 0;
        copied = false;
        type = 0;
        end = 0;
    }

    final void requireValid() {
        if (buffer == null || rejection != null) {
            throw new IllegalStateException("no valid message has been read"
                    + (rejection == null ? "" : " (" + rejection.reason() + ")"));
        }
    }

    /** Why the last {@code tryRead} failed, or {@code null} after a success. */
    public final StunRejection rejection() {
        return rejection;
    }

    /** The bytes of the message as an array: the buffer's own, or a copy of a direct buffer's. */
    final byte[] array() {
        if (buffer.hasArray()) {
            return buffer.array();
        }
        if (!copied) {
            int len = end - base;
            if (copy.length < len) {
                copy = new byte[Math.max(len, copy.length * 2)];
            }
            buffer.get(base, copy, 0, len);
            copied = true;
        }
        return copy;
    }

    final int arrayIndex(int bufferIndex) {
        return buffer.hasArray() ? buffer.arrayOffset() + bufferIndex : bufferIndex - base;
    }
}
