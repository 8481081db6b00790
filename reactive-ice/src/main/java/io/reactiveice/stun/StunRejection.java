package io.reactiveice.stun;

/**
 * Why a byte sequence was not accepted as a STUN message, in words a log line can show. Every
 * reason the decoder has for refusing input is one of these; a server counts its drops by them.
 */
public enum StunRejection {
    /** Fewer than the 20 bytes of a STUN header. */
    TRUNCATED_HEADER("shorter than the 20-byte STUN header"),
    /** The two most significant bits of the message are not zero (RFC 8489 section 5). */
    NONZERO_LEADING_BITS("the two leading bits are not zero"),
    /** The magic cookie is not 0x2112A442. */
    BAD_MAGIC_COOKIE("the magic cookie is not 0x2112A442"),
    /** The message length is not a multiple of four. */
    LENGTH_NOT_MULTIPLE_OF_4("the message length is not a multiple of 4"),
    /** The message length points beyond the end of the datagram. */
    LENGTH_BEYOND_DATAGRAM("the message length runs beyond the datagram"),
    /** The datagram holds bytes after the end the message length gives. */
    TRAILING_BYTES("the datagram holds bytes after the message"),
    /** An attribute header or value, with its padding, runs beyond the message. */
    ATTRIBUTE_OVERRUN("an attribute runs beyond the end of the message"),
    /** FINGERPRINT is not the last attribute. */
    FINGERPRINT_NOT_LAST("FINGERPRINT is not the last attribute"),
    /** FINGERPRINT does not match the CRC-32 of the message. */
    FINGERPRINT_MISMATCH("FINGERPRINT does not match the message"),
    /** MESSAGE-INTEGRITY is followed by an attribute other than MESSAGE-INTEGRITY-SHA256 or FINGERPRINT. */
    ATTRIBUTE_AFTER_INTEGRITY("MESSAGE-INTEGRITY is followed by an attribute other than MESSAGE-INTEGRITY-SHA256 or FINGERPRINT"),
    /** MESSAGE-INTEGRITY-SHA256 is followed by an attribute other than FINGERPRINT. */
    ATTRIBUTE_AFTER_INTEGRITY_SHA256("MESSAGE-INTEGRITY-SHA256 is followed by an attribute other than FINGERPRINT"),
    /** MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 does not match the message under the key. */
    INTEGRITY_MISMATCH("MESSAGE-INTEGRITY does not match the message"),
    /** A known attribute has a length its definition does not allow. */
    BAD_ATTRIBUTE_LENGTH("an attribute has a length its type does not allow"),
    /** A known attribute has a value its definition does not allow. */
    BAD_ATTRIBUTE_VALUE("an attribute has a value its type does not allow"),
    /** An attribute the caller asked for is not in the message. */
    MISSING_ATTRIBUTE("a required attribute is missing");

    private final String reason;

    StunRejection(String reason) {
        this.reason = reason;
    }

    /** A sentence that says what was wrong. */
    public String reason() {
        return reason;
    }
}
