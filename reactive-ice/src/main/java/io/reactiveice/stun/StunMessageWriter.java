package io.reactiveice.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Writes one STUN message into a buffer the caller supplies (pooled in the transport), attribute by
 * attribute, with padding and lengths kept right as it goes and MESSAGE-INTEGRITY,
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT computed in place
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14">RFC 8489 section 14</a>).
 *
 * <p>Reuse one writer per thread: after {@link #begin} the calls that add attributes allocate
 * nothing (ASCII text is written without encoding to an array first), and {@link #finish()} moves
 * the buffer's position past the message. Integrity attributes must come last, in the order
 * MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256, FINGERPRINT; the writer enforces it.
 */
public final class StunMessageWriter {
    private ByteBuffer buffer;
    private int base;
    private int pos;
    private int limit;
    private long transactionHigh;
    private int transactionLow;
    private int stage; // 0 attributes, 1 after MI, 2 after MI-SHA256, 3 after FINGERPRINT
    private byte padding;
    private byte[] copy = new byte[1500];
    private final byte[] mac = new byte[32];
    private final CRC32 crc = new CRC32();

    /** Creates a writer; reuse it for every message on one thread. */
    public StunMessageWriter() {
    }

    /**
     * Sets the byte that pads attribute values to a multiple of four (0 unless set). RFC 8489 lets
     * the sender choose; the RFC 5769 samples pad with 0x20, and reproducing them needs that.
     *
     * @param value the padding byte
     * @return this writer
     */
    public StunMessageWriter padding(int value) {
        this.padding = (byte) value;
        return this;
    }

    /**
     * Starts a message at the buffer's position.
     *
     * @param buffer where to write; big-endian, with room for the whole message
     * @param method the method
     * @param messageClass the class
     * @param transactionId the transaction id
     * @return this writer
     */
    public StunMessageWriter begin(ByteBuffer buffer, StunMethod method, StunClass messageClass,
            TransactionId transactionId) {
        Objects.requireNonNull(transactionId, "transactionId");
        return begin(buffer, method.code(), messageClass, transactionId.high(), transactionId.low());
    }

    /**
     * Starts a response to the request held by {@code request}, echoing its method and transaction id.
     *
     * @param buffer where to write
     * @param request the request that was read
     * @param messageClass success or error response
     * @return this writer
     */
    public StunMessageWriter beginResponse(ByteBuffer buffer, StunMessageReader request, StunClass messageClass) {
        return begin(buffer, request.methodCode(), messageClass, request.transactionIdHigh(),
                request.transactionIdLow());
    }

    /**
     * Starts a message from raw header values.
     *
     * @param buffer where to write
     * @param methodCode the 12-bit method number
     * @param messageClass the class
     * @param transactionHigh the first eight bytes of the transaction id
     * @param transactionLow the last four bytes of the transaction id
     * @return this writer
     */
    public StunMessageWriter begin(ByteBuffer buffer, int methodCode, StunClass messageClass, long transactionHigh,
            int transactionLow) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(messageClass, "messageClass");
        if (methodCode < 0 || methodCode > StunMethod.MAX_CODE) {
            throw new IllegalArgumentException("methodCode must be 0..0xFFF but was " + methodCode);
        }
        if (buffer.order() != ByteOrder.BIG_ENDIAN) {
            throw new IllegalArgumentException("buffer must be big-endian");
        }
        this.buffer = buffer;
        this.base = buffer.position();
        this.limit = buffer.limit();
        this.pos = base;
        this.stage = 0;
        this.transactionHigh = transactionHigh;
        this.transactionLow = transactionLow;
        ensure(StunMessageReader.HEADER_LENGTH);
        buffer.putShort(base, (short) StunMessageType.of(methodCode, messageClass));
        buffer.putShort(base + 2, (short) 0);
        buffer.putInt(base + 4, StunMessageReader.MAGIC_COOKIE);
        buffer.putLong(base + 8, transactionHigh);
        buffer.putInt(base + 16, transactionLow);
        pos = base + StunMessageReader.HEADER_LENGTH;
        return this;
    }

    // ---- generic value shapes ----------------------------------------------------------------

    /** Adds an attribute with a 32-bit value (PRIORITY, LIFETIME ...). */
    public StunMessageWriter putU32(int type, int value) {
        int at = header(type, 4);
        buffer.putInt(at, value);
        return this;
    }

    /** Adds an attribute with a 64-bit value (ICE-CONTROLLING, ICE-CONTROLLED, RESERVATION-TOKEN). */
    public StunMessageWriter putU64(int type, long value) {
        int at = header(type, 8);
        buffer.putLong(at, value);
        return this;
    }

    /** Adds an attribute with no value (USE-CANDIDATE, DONT-FRAGMENT). */
    public StunMessageWriter putFlag(int type) {
        header(type, 0);
        return this;
    }

    /** Adds an attribute whose value is these bytes. */
    public StunMessageWriter putBytes(int type, byte[] value, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, value.length);
        int at = header(type, length);
        buffer.put(at, value, offset, length);
        return this;
    }

    /** Adds an attribute whose value is the UTF-8 encoding of {@code text}; ASCII is written without copying. */
    public StunMessageWriter putString(int type, String text) {
        Objects.requireNonNull(text, "text");
        int n = text.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = text.charAt(i) < 0x80;
        }
        if (!ascii) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            return putBytes(type, utf8, 0, utf8.length);
        }
        int at = header(type, n);
        for (int i = 0; i < n; i++) {
            buffer.put(at + i, (byte) text.charAt(i));
        }
        return this;
    }

    /** Adds a plain address attribute (MAPPED-ADDRESS, ALTERNATE-SERVER). */
    public StunMessageWriter putAddress(int type, InetSocketAddress address) {
        return putAddress(type, address.getAddress(), address.getPort(), false);
    }

    /** Adds an XOR address attribute (XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS). */
    public StunMessageWriter putXorAddress(int type, InetSocketAddress address) {
        return putAddress(type, address.getAddress(), address.getPort(), true);
    }

    /** Adds an address attribute, XOR-ed or not. */
    public StunMessageWriter putAddress(int type, InetAddress address, int port, boolean xor) {
        Objects.requireNonNull(address, "address (unresolved addresses cannot be encoded)");
        int at = header(type, StunAddressCodec.valueLength(address));
        StunAddressCodec.write(buffer, at, address, port, xor, transactionHigh, transactionLow);
        return this;
    }

    /**
     * Adds ERROR-CODE (RFC 8489 section 14.8).
     *
     * @param code 300 to 699
     * @param reason the reason phrase, fewer than 128 characters
     * @return this writer
     * @throws ReasonPhraseTooLongException if {@code reason} has 128 characters or more
     */
    public StunMessageWriter putErrorCode(int code, String reason) {
        return putErrorCode(AttributeCodes.ERROR_CODE, -1, code, reason);
    }

    /**
     * Adds ADDRESS-ERROR-CODE (RFC 8656 section 18.12).
     *
     * @param family the address family the error is about
     * @param code 300 to 699
     * @param reason the reason phrase, fewer than 128 characters
     * @return this writer
     * @throws ReasonPhraseTooLongException if {@code reason} has 128 characters or more
     */
    public StunMessageWriter putAddressErrorCode(int family, int code, String reason) {
        StunAddressCodec.checkFamilyByte(family);
        return putErrorCode(AttributeCodes.ADDRESS_ERROR_CODE, family, code, reason);
    }

    private StunMessageWriter putErrorCode(int type, int family, int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("code must be 300..699 but was " + code);
        }
        int characters = reason.codePointCount(0, reason.length());
        if (characters > ReasonPhraseTooLongException.MAX_CHARACTERS) {
            throw new ReasonPhraseTooLongException(characters);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int at = header(type, 4 + text.length);
        buffer.putInt(at, ((family < 0 ? 0 : family) << 24) | ((code / 100) << 8) | (code % 100));
        buffer.put(at + 4, text, 0, text.length);
        return this;
    }

    /** Adds UNKNOWN-ATTRIBUTES (RFC 8489 section 14.13). */
    public StunMessageWriter putUnknownAttributes(int... types) {
        int at = header(AttributeCodes.UNKNOWN_ATTRIBUTES, 2 * types.length);
        for (int i = 0; i < types.length; i++) {
            buffer.putShort(at + 2 * i, (short) types[i]);
        }
        return this;
    }

    /** Adds an attribute whose value is a 16-bit number then two zero bytes (CHANNEL-NUMBER). */
    public StunMessageWriter putU16(int type, int value) {
        int at = header(type, 4);
        buffer.putInt(at, (value & 0xFFFF) << 16);
        return this;
    }

    /** Adds an attribute whose value is one byte then three zero bytes (REQUESTED-TRANSPORT, families). */
    public StunMessageWriter putU8(int type, int value) {
        int at = header(type, 4);
        buffer.putInt(at, (value & 0xFF) << 24);
        return this;
    }

    /** Adds an attribute whose value is a single byte (EVEN-PORT). */
    public StunMessageWriter putByte(int type, int value) {
        int at = header(type, 1);
        buffer.put(at, (byte) value);
        return this;
    }

    /** Adds ICMP (RFC 8656 section 18.13). */
    public StunMessageWriter putIcmp(int icmpType, int icmpCode, int errorData) {
        int at = header(AttributeCodes.ICMP, 8);
        buffer.putInt(at, ((icmpType & 0x7F) << 9) | (icmpCode & 0x1FF));
        buffer.putInt(at + 4, errorData);
        return this;
    }

    /** Adds one typed attribute. */
    public StunMessageWriter put(StunAttribute attribute) {
        StunAttributeCodec.encode(this, attribute);
        return this;
    }

    // ---- integrity and fingerprint -------------------------------------------------------------

    /** Adds MESSAGE-INTEGRITY: HMAC-SHA1 of the message so far under {@code key} (RFC 8489 section 14.5). */
    public StunMessageWriter putMessageIntegrity(IntegrityKey key) {
        signWith(key.hmacSha1(), AttributeCodes.MESSAGE_INTEGRITY, 20);
        return this;
    }

    /** Adds MESSAGE-INTEGRITY-SHA256, the full 32 bytes (RFC 8489 section 14.6). */
    public StunMessageWriter putMessageIntegritySha256(IntegrityKey key) {
        signWith(key.hmacSha256(), AttributeCodes.MESSAGE_INTEGRITY_SHA256, 32);
        return this;
    }

    private void signWith(Hmac hmac, int type, int length) {
        int attributeStart = pos;
        int at = header(type, length); // the length field now covers this attribute
        byte[] a = arrayOf(attributeStart);
        int start = arrayIndex(base);
        hmac.reset();
        hmac.update(a, start, attributeStart - base);
        hmac.finish(mac, 0);
        buffer.put(at, mac, 0, length);
    }

    /** Adds FINGERPRINT: CRC-32 of the message XOR 0x5354554E (RFC 8489 section 14.7); nothing may follow. */
    public StunMessageWriter putFingerprint() {
        int attributeStart = pos;
        int at = header(AttributeCodes.FINGERPRINT, 4);
        byte[] a = arrayOf(attributeStart);
        crc.reset();
        crc.update(a, arrayIndex(base), attributeStart - base);
        buffer.putInt(at, (int) crc.getValue() ^ StunMessageReader.FINGERPRINT_XOR);
        return this;
    }

    /**
     * Ends the message: the buffer's position moves to its end.
     *
     * @return the length of the whole message
     */
    public int finish() {
        requireBegun();
        int length = pos - base;
        buffer.position(pos);
        buffer = null;
        return length;
    }

    // ---- internals ----------------------------------------------------------------------------

    /** Writes an attribute header, pads, updates the message length; returns where the value goes. */
    int header(int type, int length) {
        requireBegun();
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("type must be 0..0xFFFF but was " + type);
        }
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("an attribute value must be at most 65535 bytes but was " + length);
        }
        int nextStage = positionRules(type, length);
        int padded = (length + 3) & ~3;
        ensure(4 + padded);
        int messageLength = pos + 4 + padded - base - StunMessageReader.HEADER_LENGTH;
        if (messageLength > 0xFFFF) {
            throw new IllegalArgumentException("a STUN message must be at most 65555 bytes");
        }
        buffer.putShort(pos, (short) type);
        buffer.putShort(pos + 2, (short) length);
        for (int i = length; i < padded; i++) {
            buffer.put(pos + 4 + i, padding);
        }
        buffer.putShort(base + 2, (short) messageLength);
        int value = pos + 4;
        pos = value + padded;
        stage = nextStage;
        return value;
    }

    /**
     * RFC 8489 sections 14.5 to 14.7, whichever way an attribute is written: MESSAGE-INTEGRITY (20
     * bytes), then MESSAGE-INTEGRITY-SHA256 (16 to 32 bytes, a multiple of 4), then FINGERPRINT (4
     * bytes), each at most once, nothing else after any of them. Returns the stage after the attribute.
     */
    private int positionRules(int type, int length) {
        int next;
        switch (type) {
            case AttributeCodes.MESSAGE_INTEGRITY:
                next = 1;
                requireLength(length == 20, "MESSAGE-INTEGRITY must be 20 bytes", length);
                break;
            case AttributeCodes.MESSAGE_INTEGRITY_SHA256:
                next = 2;
                requireLength(length >= 16 && length <= 32 && (length & 3) == 0,
                        "MESSAGE-INTEGRITY-SHA256 must be 16..32 bytes, a multiple of 4", length);
                break;
            case AttributeCodes.FINGERPRINT:
                next = 3;
                requireLength(length == 4, "FINGERPRINT must be 4 bytes", length);
                break;
            default:
                next = 0;
        }
        if (stage >= next && stage > 0 || stage > 0 && next == 0) {
            throw new IllegalStateException("MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT come last, "
                    + "once each, in that order; " + StunAttributeType.valueOf(type).name() + " cannot follow them here");
        }
        return next;
    }

    private static void requireLength(boolean ok, String rule, int length) {
        if (!ok) {
            throw new IllegalArgumentException(rule + " but was " + length);
        }
    }

    ByteBuffer buffer() {
        return buffer;
    }

    private void ensure(int n) {
        if (limit - pos < n) {
            throw new IllegalArgumentException("buffer too small: " + n + " more bytes needed at offset "
                    + (pos - base) + " but only " + (limit - pos) + " remain");
        }
    }

    private void requireBegun() {
        if (buffer == null) {
            throw new IllegalStateException("begin() a message first");
        }
    }

    /** The message bytes up to {@code end} as an array: the buffer's own, or a copy of a direct buffer's. */
    private byte[] arrayOf(int end) {
        if (buffer.hasArray()) {
            return buffer.array();
        }
        int len = end - base;
        if (copy.length < len) {
            copy = new byte[Math.max(len, copy.length * 2)];
        }
        buffer.get(base, copy, 0, len);
        return copy;
    }

    private int arrayIndex(int bufferIndex) {
        return buffer.hasArray() ? buffer.arrayOffset() + bufferIndex : bufferIndex - base;
    }
}
