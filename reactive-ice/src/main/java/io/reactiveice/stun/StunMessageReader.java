package io.reactiveice.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * A zero-copy view of one STUN message inside a buffer
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-5">RFC 8489 sections 5 and 14</a>).
 *
 * <p>{@link #tryRead} validates the frame once (header, cookie, length, every attribute header,
 * the position rules of MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) and remembers
 * where each attribute lies; the accessors then read values straight from the buffer. Nothing is
 * allocated per message or per attribute on this path: a reader is meant to be reused, one per
 * thread (an event loop, an agent's serialized context). Checking FINGERPRINT and the integrity
 * attributes is a separate, explicit step ({@link #fingerprintMatches()}, {@link #integrityMatches}).
 *
 * <p>The buffer is not copied and not retained beyond the next {@code tryRead}: the caller keeps
 * it alive (and unchanged) while reading. Position and limit of the buffer are never changed.
 */
public final class StunMessageReader extends StunMessageFrame {
    /** The length of the STUN header. */
    public static final int HEADER_LENGTH = 20;
    /** The magic cookie, RFC 8489 section 5. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    /** The value FINGERPRINT's CRC-32 is XOR-ed with, RFC 8489 section 14.7. */
    public static final int FINGERPRINT_XOR = 0x5354554E;

    private static final StunClass[] CLASSES = StunClass.values();

    private final byte[] mac = new byte[32];
    private final CRC32 crc = new CRC32();

    /** Creates a reader; reuse it for every message on one thread. */
    public StunMessageReader() {
    }

    /**
     * Like {@link #tryRead(ByteBuffer, int, int)}, but throws for bad input.
     *
     * @param buffer the buffer
     * @param offset where the message starts
     * @param length how many bytes the datagram holds
     * @return this reader
     * @throws StunDecodeException if the bytes are not a well-formed STUN message
     */
    public StunMessageReader read(ByteBuffer buffer, int offset, int length) {
        if (!tryRead(buffer, offset, length)) {
            throw new StunDecodeException(rejection, null);
        }
        return this;
    }

    /** Like {@link #tryRead(byte[], int, int)}, but throws {@link StunDecodeException} for bad input. */
    public StunMessageReader read(byte[] array, int offset, int length) {
        if (!tryRead(array, offset, length)) {
            throw new StunDecodeException(rejection, null);
        }
        return this;
    }

    /** Whether the first bytes of a datagram could start a STUN message: leading bits and cookie. */
    public static boolean looksLikeStun(ByteBuffer buffer, int offset, int length) {
        return length >= HEADER_LENGTH && (buffer.get(offset) & 0xC0) == 0 && readInt(buffer, offset + 4) == MAGIC_COOKIE;
    }

    private static int readInt(ByteBuffer b, int at) {
        return ((b.get(at) & 0xFF) << 24) | ((b.get(at + 1) & 0xFF) << 16) | ((b.get(at + 2) & 0xFF) << 8)
                | (b.get(at + 3) & 0xFF);
    }

    // ---- header -----------------------------------------------------------------------------

    /** The buffer the current message lies in (big-endian view). */
    public ByteBuffer buffer() {
        requireValid();
        return buffer;
    }

    /** The absolute index of the first byte of the message. */
    public int offset() {
        requireValid();
        return base;
    }

    /** The total length of the message, header included. */
    public int length() {
        requireValid();
        return end - base;
    }

    /** The 14-bit message type field. */
    public int messageType() {
        requireValid();
        return type;
    }

    /** The 12-bit method number. */
    public int methodCode() {
        requireValid();
        return StunMessageType.method(type);
    }

    /** The method, as a registry value. */
    public StunMethod method() {
        return StunMethod.valueOf(methodCode());
    }

    /** The class: request, indication, success or error response. */
    public StunClass messageClass() {
        requireValid();
        return CLASSES[StunMessageType.classBits(type)];
    }

    /** The first eight bytes of the transaction id. */
    public long transactionIdHigh() {
        requireValid();
        return buffer.getLong(base + 8);
    }

    /** The last four bytes of the transaction id. */
    public int transactionIdLow() {
        requireValid();
        return buffer.getInt(base + 16);
    }

    /** The transaction id as a value (allocates). */
    public TransactionId transactionId() {
        return new TransactionId(transactionIdHigh(), transactionIdLow());
    }

    /** Whether the message carries this transaction id. */
    public boolean hasTransactionId(TransactionId id) {
        return transactionIdHigh() == id.high() && transactionIdLow() == id.low();
    }

    // ---- attributes ---------------------------------------------------------------------------

    /** How many attributes the message holds, unknown ones included. */
    public int attributeCount() {
        requireValid();
        return count;
    }

    /** The type code of attribute {@code index}. */
    public int attributeType(int index) {
        Objects.checkIndex(index, attributeCount());
        return typeAndLength[index] >>> 16;
    }

    /** The value length (without padding) of attribute {@code index}. */
    public int valueLength(int index) {
        Objects.checkIndex(index, attributeCount());
        return typeAndLength[index] & 0xFFFF;
    }

    /** The absolute index in {@link #buffer()} where the value of attribute {@code index} starts. */
    public int valueOffset(int index) {
        Objects.checkIndex(index, attributeCount());
        return valueOffsets[index];
    }

    /**
     * The index of the first attribute of a type, or -1; RFC 8489 section 14 says only the first
     * occurrence counts.
     */
    public int indexOf(int typeCode) {
        requireValid();
        int[] tl = typeAndLength;
        for (int i = 0; i < count; i++) {
            if (tl[i] >>> 16 == typeCode) {
                return i;
            }
        }
        return -1;
    }

    /** {@link #indexOf(int)} for a registry value. */
    public int indexOf(StunAttributeType type) {
        return indexOf(type.code());
    }

    /** Whether an attribute of this type is present. */
    public boolean has(int typeCode) {
        return indexOf(typeCode) >= 0;
    }

    /** Whether the message holds a comprehension-required attribute this library does not know. */
    public boolean hasUnknownComprehensionRequired() {
        requireValid();
        return unknownRequired > 0;
    }

    /** The codes of the unknown comprehension-required attributes, for a 420 answer. */
    public int[] unknownComprehensionRequired() {
        requireValid();
        int[] out = new int[unknownRequired];
        int n = 0;
        for (int i = 0; i < count && n < out.length; i++) {
            int t = typeAndLength[i] >>> 16;
            if (t < 0x8000 && !AttributeCodes.isKnown(t)) {
                out[n++] = t;
            }
        }
        return out;
    }

    /** The 32-bit value of attribute {@code index} (PRIORITY, LIFETIME, FINGERPRINT ...). */
    public int u32(int index) {
        requireLength(index, 4);
        return buffer.getInt(valueOffsets[index]);
    }

    /** The 64-bit value of attribute {@code index} (ICE-CONTROLLING, ICE-CONTROLLED, RESERVATION-TOKEN). */
    public long u64(int index) {
        requireLength(index, 8);
        return buffer.getLong(valueOffsets[index]);
    }

    /** The PRIORITY value (RFC 8445 section 7.1.1). */
    public int priority() {
        return u32(require(AttributeCodes.PRIORITY));
    }

    /** The number of ERROR-CODE: class times 100 plus number (RFC 8489 section 14.8). */
    public int errorCode() {
        int i = require(AttributeCodes.ERROR_CODE);
        if (valueLength(i) < 4) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_LENGTH, "ERROR-CODE shorter than 4 bytes");
        }
        int word = buffer.getInt(valueOffsets[i]);
        return ((word >>> 8) & 0x7) * 100 + (word & 0xFF);
    }

    /** The value of attribute {@code index} as UTF-8 text (allocates). */
    public String string(int index) {
        int len = valueLength(index);
        byte[] bytes = new byte[len];
        buffer.get(valueOffsets[index], bytes, 0, len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A copy of the value of attribute {@code index}. */
    public byte[] bytes(int index) {
        int len = valueLength(index);
        byte[] bytes = new byte[len];
        buffer.get(valueOffsets[index], bytes, 0, len);
        return bytes;
    }

    /** Whether the value of attribute {@code index} equals {@code expected}, byte for byte. */
    public boolean valueEquals(int index, byte[] expected) {
        int len = valueLength(index);
        if (len != expected.length) {
            return false;
        }
        int at = valueOffsets[index];
        for (int i = 0; i < len; i++) {
            if (buffer.get(at + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** The address of a plain address attribute (MAPPED-ADDRESS, ALTERNATE-SERVER). */
    public InetSocketAddress address(int index) {
        return StunAddressCodec.read(this, index, false);
    }

    /** The address of an XOR address attribute (XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
    public InetSocketAddress xorAddress(int index) {
        return StunAddressCodec.read(this, index, true);
    }

    /** The attribute {@code index} as a typed value (allocates; see {@link StunAttribute}). */
    public StunAttribute attribute(int index) {
        return StunAttributeCodec.decode(this, index);
    }

    private int require(int typeCode) {
        int i = indexOf(typeCode);
        if (i < 0) {
            throw new StunDecodeException(StunRejection.MISSING_ATTRIBUTE, StunAttributeType.valueOf(typeCode).name());
        }
        return i;
    }

    private void requireLength(int index, int length) {
        if (valueLength(index) != length) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_LENGTH, String.format(
                    "%s must be %d bytes but was %d", StunAttributeType.valueOf(attributeType(index)).name(),
                    length, valueLength(index)));
        }
    }

    // ---- FINGERPRINT and MESSAGE-INTEGRITY ----------------------------------------------------

    /** Whether the message ends with FINGERPRINT. */
    public boolean hasFingerprint() {
        requireValid();
        return fingerprintIndex >= 0;
    }

    /** Whether FINGERPRINT is present and equals CRC-32 of the message XOR 0x5354554E (RFC 8489 section 14.7). */
    public boolean fingerprintMatches() {
        if (!hasFingerprint()) {
            return false;
        }
        int attributeStart = valueOffsets[fingerprintIndex] - 4;
        byte[] a = array();
        crc.reset();
        crc.update(a, arrayIndex(base), attributeStart - base);
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == buffer.getInt(valueOffsets[fingerprintIndex]);
    }

    /** Whether MESSAGE-INTEGRITY is present. */
    public boolean hasIntegrity() {
        requireValid();
        return integrityIndex >= 0;
    }

    /** Whether MESSAGE-INTEGRITY-SHA256 is present. */
    public boolean hasIntegritySha256() {
        requireValid();
        return integritySha256Index >= 0;
    }

    /**
     * Whether MESSAGE-INTEGRITY is present and is the HMAC-SHA1 of the message under {@code key}
     * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.5">RFC 8489 section 14.5</a>),
     * compared in constant time.
     */
    public boolean integrityMatches(IntegrityKey key) {
        Objects.requireNonNull(key, "key");
        return hasIntegrity() && macMatches(key.hmacSha1(), integrityIndex);
    }

    /**
     * Whether MESSAGE-INTEGRITY-SHA256 is present and matches the HMAC-SHA256 of the message under
     * {@code key}, truncated as sent (RFC 8489 section 14.6), compared in constant time.
     */
    public boolean integritySha256Matches(IntegrityKey key) {
        Objects.requireNonNull(key, "key");
        return hasIntegritySha256() && macMatches(key.hmacSha256(), integritySha256Index);
    }

    private boolean macMatches(Hmac hmac, int index) {
        int value = valueOffsets[index];
        int macLength = typeAndLength[index] & 0xFFFF;
        int attributeStart = value - 4;
        int adjustedLength = value + macLength - base - HEADER_LENGTH;
        byte[] a = array();
        int start = arrayIndex(base);
        hmac.reset();
        hmac.update(a, start, 2);
        hmac.update((byte) (adjustedLength >>> 8));
        hmac.update((byte) adjustedLength);
        hmac.update(a, start + 4, attributeStart - base - 4);
        hmac.finish(mac, 0);
        int diff = 0;
        int sent = arrayIndex(value);
        for (int i = 0; i < macLength; i++) {
            diff |= mac[i] ^ a[sent + i];
        }
        return diff == 0;
    }

    @Override
    public String toString() {
        if (buffer == null || rejection != null) {
            return "StunMessageReader[" + (rejection == null ? "empty" : rejection) + "]";
        }
        return "StunMessageReader[" + method() + " " + messageClass() + " " + transactionId() + ", "
                + count + " attributes]";
    }
}
