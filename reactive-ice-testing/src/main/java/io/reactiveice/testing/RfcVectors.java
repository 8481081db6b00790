package io.reactiveice.testing;

import java.util.HexFormat;

/**
 * Byte-exact STUN test vectors from RFC 5769 (sections 2.1 to 2.4) and RFC 8489 (Appendix B.1),
 * with the parameters each one was built from.
 *
 * <p>Every message is written one field per line, in wire order, so a failing test can point at
 * the field that differs. Padding bytes are kept as the RFCs print them: the RFC 5769 samples pad
 * with {@code 0x20} (space), the others with {@code 0x00}.
 *
 * <p>The arrays are shared: tests must copy one (e.g. {@code clone()}) before changing it.
 *
 * <p>Plain bytes and strings: this module depends on no reactive-ice module, so that reactive-ice's
 * own codec tests can use these vectors and the benchmarks can too.
 */
public final class RfcVectors {

    private RfcVectors() {
    }

    // ---------------------------------------------------------------------------------------
    // RFC 5769 section 2.1, "Sample Request" (short-term credentials)
    // ---------------------------------------------------------------------------------------

    /** Short-term password of RFC 5769 sections 2.1, 2.2 and 2.3 (HMAC-SHA1 key as-is). */
    public static final String RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** USERNAME of the RFC 5769 section 2.1 request. */
    public static final String RFC5769_REQUEST_USERNAME = "evtj:h6vY";

    /** SOFTWARE of the RFC 5769 section 2.1 request. */
    public static final String RFC5769_REQUEST_SOFTWARE = "STUN test client";

    /** PRIORITY of the RFC 5769 section 2.1 request (1845494271). */
    public static final int RFC5769_REQUEST_PRIORITY = 0x6e0001ff;

    /** ICE-CONTROLLED tie-breaker of the RFC 5769 section 2.1 request. */
    public static final long RFC5769_REQUEST_ICE_CONTROLLED_TIE_BREAKER = 0x932ff9b151263b36L;

    /** Transaction ID shared by RFC 5769 sections 2.1, 2.2 and 2.3. */
    public static final byte[] RFC5769_TRANSACTION_ID = hex("b7e7a701 bc34d686 fa87dfae");

    /** RFC 5769 section 2.1: Binding request, 108 bytes. */
    public static final byte[] RFC5769_REQUEST = hex(""
            + "0001"                                        // message type: Binding request
            + "0058"                                        // message length: 88
            + "2112a442"                                    // magic cookie
            + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
            + "8022"                                        // attribute type: SOFTWARE
            + "0010"                                        // attribute length: 16
            + "5354554e 20746573 7420636c 69656e74"         // value: "STUN test client"
            + "0024"                                        // attribute type: PRIORITY
            + "0004"                                        // attribute length: 4
            + "6e0001ff"                                    // value: priority 0x6e0001ff
            + "8029"                                        // attribute type: ICE-CONTROLLED
            + "0008"                                        // attribute length: 8
            + "932ff9b1 51263b36"                           // value: tie-breaker
            + "0006"                                        // attribute type: USERNAME
            + "0009"                                        // attribute length: 9
            + "6576746a 3a683676 59"                        // value: "evtj:h6vY"
            + "202020"                                      // padding (3 bytes, 0x20 as in the RFC)
            + "0008"                                        // attribute type: MESSAGE-INTEGRITY
            + "0014"                                        // attribute length: 20
            + "9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2" // value: HMAC-SHA1
            + "8028"                                        // attribute type: FINGERPRINT
            + "0004"                                        // attribute length: 4
            + "e57a3bcf");                                  // value: CRC-32 ^ 0x5354554e

    // ---------------------------------------------------------------------------------------
    // RFC 5769 sections 2.2 and 2.3, "Sample IPv4 Response" and "Sample IPv6 Response"
    // ---------------------------------------------------------------------------------------

    /** SOFTWARE of the RFC 5769 section 2.2 and 2.3 responses. */
    public static final String RFC5769_RESPONSE_SOFTWARE = "test vector";

    /** Mapped address of the RFC 5769 section 2.2 response. */
    public static final String RFC5769_RESPONSE_MAPPED_IPV4 = "192.0.2.1";

    /** Mapped address of the RFC 5769 section 2.3 response. */
    public static final String RFC5769_RESPONSE_MAPPED_IPV6 = "2001:db8:1234:5678:11:2233:4455:6677";

    /** Mapped port of the RFC 5769 section 2.2 and 2.3 responses. */
    public static final int RFC5769_RESPONSE_MAPPED_PORT = 32853;

    /** RFC 5769 section 2.2: Binding success response with an IPv4 XOR-MAPPED-ADDRESS, 80 bytes. */
    public static final byte[] RFC5769_IPV4_RESPONSE = hex(""
            + "0101"                                        // message type: Binding success response
            + "003c"                                        // message length: 60
            + "2112a442"                                    // magic cookie
            + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
            + "8022"                                        // attribute type: SOFTWARE
            + "000b"                                        // attribute length: 11
            + "74657374 20766563 746f72"                    // value: "test vector"
            + "20"                                          // padding (1 byte, 0x20 as in the RFC)
            + "0020"                                        // attribute type: XOR-MAPPED-ADDRESS
            + "0008"                                        // attribute length: 8
            + "00"                                          // reserved
            + "01"                                          // family: IPv4
            + "a147"                                        // x-port: 32853 ^ 0x2112
            + "e112a643"                                    // x-address: 192.0.2.1 ^ magic cookie
            + "0008"                                        // attribute type: MESSAGE-INTEGRITY
            + "0014"                                        // attribute length: 20
            + "2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7" // value: HMAC-SHA1
            + "8028"                                        // attribute type: FINGERPRINT
            + "0004"                                        // attribute length: 4
            + "c07d4c96");                                  // value: CRC-32 ^ 0x5354554e

    /** RFC 5769 section 2.3: Binding success response with an IPv6 XOR-MAPPED-ADDRESS, 92 bytes. */
    public static final byte[] RFC5769_IPV6_RESPONSE = hex(""
            + "0101"                                        // message type: Binding success response
            + "0048"                                        // message length: 72
            + "2112a442"                                    // magic cookie
            + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
            + "8022"                                        // attribute type: SOFTWARE
            + "000b"                                        // attribute length: 11
            + "74657374 20766563 746f72"                    // value: "test vector"
            + "20"                                          // padding (1 byte, 0x20 as in the RFC)
            + "0020"                                        // attribute type: XOR-MAPPED-ADDRESS
            + "0014"                                        // attribute length: 20
            + "00"                                          // reserved
            + "02"                                          // family: IPv6
            + "a147"                                        // x-port: 32853 ^ 0x2112
            + "0113a9fa a5d3f179 bc25f4b5 bed2b9d9"         // x-address: address ^ (cookie || txid)
            + "0008"                                        // attribute type: MESSAGE-INTEGRITY
            + "0014"                                        // attribute length: 20
            + "a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41" // value: HMAC-SHA1
            + "8028"                                        // attribute type: FINGERPRINT
            + "0004"                                        // attribute length: 4
            + "c8fb0b4c");                                  // value: CRC-32 ^ 0x5354554e

    // ---------------------------------------------------------------------------------------
    // RFC 5769 section 2.4, "Sample Request with Long-Term Authentication"
    // ---------------------------------------------------------------------------------------

    /** USERNAME of RFC 5769 section 2.4 (and RFC 8489 B.1); SASLprep leaves it unchanged. */
    public static final String RFC5769_LONG_TERM_USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    /** Password of RFC 5769 section 2.4 before SASLprep. */
    public static final String RFC5769_LONG_TERM_PASSWORD = "The\u00ADM\u00AAtr\u2168";

    /** Password of RFC 5769 section 2.4 after SASLprep; the one the MESSAGE-INTEGRITY key uses. */
    public static final String RFC5769_LONG_TERM_PASSWORD_SASLPREP = "TheMatrIX";

    /** NONCE of RFC 5769 section 2.4. */
    public static final String RFC5769_LONG_TERM_NONCE = "f//499k954d6OL34oL9FSTvy64sA";

    /** REALM of RFC 5769 section 2.4 (and RFC 8489 B.1). */
    public static final String RFC5769_LONG_TERM_REALM = "example.org";

    /** Transaction ID of RFC 5769 section 2.4 (and RFC 8489 B.1). */
    public static final byte[] RFC5769_LONG_TERM_TRANSACTION_ID = hex("78ad3433 c6ad72c0 29da412e");

    /**
     * RFC 5769 section 2.4: Binding request with long-term credentials, 116 bytes. MESSAGE-INTEGRITY
     * is HMAC-SHA1 keyed with MD5(username ":" realm ":" SASLprep(password)); there is no FINGERPRINT.
     */
    public static final byte[] RFC5769_LONG_TERM_REQUEST = hex(""
            + "0001"                                        // message type: Binding request
            + "0060"                                        // message length: 96
            + "2112a442"                                    // magic cookie
            + "78ad3433 c6ad72c0 29da412e"                  // transaction id
            + "0006"                                        // attribute type: USERNAME
            + "0012"                                        // attribute length: 18
            + "e3839ee3 8388e383 aae38383 e382afe3 82b9"    // value: U+30DE U+30C8 U+30EA U+30C3 U+30AF U+30B9
            + "0000"                                        // padding (2 bytes)
            + "0015"                                        // attribute type: NONCE
            + "001c"                                        // attribute length: 28
            + "662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341" // value: nonce
            + "0014"                                        // attribute type: REALM
            + "000b"                                        // attribute length: 11
            + "6578616d 706c652e 6f7267"                    // value: "example.org"
            + "00"                                          // padding (1 byte)
            + "0008"                                        // attribute type: MESSAGE-INTEGRITY
            + "0014"                                        // attribute length: 20
            + "f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666"); // value: HMAC-SHA1

    // ---------------------------------------------------------------------------------------
    // RFC 8489 Appendix B.1, "Sample Request with Long-Term Authentication with
    // MESSAGE-INTEGRITY-SHA256 and USERHASH"
    // ---------------------------------------------------------------------------------------

    /** Username of RFC 8489 B.1 (same as RFC 5769 2.4); OpaqueString leaves it unchanged. */
    public static final String RFC8489_USERNAME = RFC5769_LONG_TERM_USERNAME;

    /** Password of RFC 8489 B.1 before OpaqueString processing, as the RFC gives it. */
    public static final String RFC8489_PASSWORD = "The\u00ADM\u00AAtr\u2168";

    /**
     * Password of RFC 8489 B.1 "after OpaqueString processing", as the RFC gives it; the one the key
     * uses. (Real OpaqueString, i.e. NFC without compatibility mapping, would not produce this.)
     */
    public static final String RFC8489_PASSWORD_PROCESSED = "TheMatrIX";

    /** NONCE of RFC 8489 B.1 (41 characters; begins with the "obMatJos2" security-feature prefix). */
    public static final String RFC8489_NONCE = "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA";

    /** REALM of RFC 8489 B.1. */
    public static final String RFC8489_REALM = "example.org";

    /** Transaction ID of RFC 8489 B.1 (same as RFC 5769 2.4). */
    public static final byte[] RFC8489_TRANSACTION_ID = RFC5769_LONG_TERM_TRANSACTION_ID;

    /** USERHASH value of RFC 8489 B.1: SHA-256(username ":" realm). */
    public static final byte[] RFC8489_USERHASH =
            hex("4a3cf38f ef6992bd a952c678 0417da0f 24819415 569e60b2 05c46e41 407f1704");

    /**
     * RFC 8489 Appendix B.1 exactly as published, 156 bytes. Known defect (Errata ID 6268): the
     * header length is 0x009c (= the whole message) instead of 0x0088 (= 156 - 20), and no
     * PASSWORD-ALGORITHM is present. The MESSAGE-INTEGRITY-SHA256 value is HMAC-SHA256 keyed with
     * SHA-256(username ":" realm ":" "TheMatrIX") over the 120 bytes before the attribute taken as
     * they are, i.e. with the wrong length 0x009c left in the header; with the length adjusted to
     * 0x0088 as RFC 8489 section 14.6 prescribes, it does not verify. A strict parser must reject
     * this message (length field does not match the datagram).
     */
    public static final byte[] RFC8489_REQUEST_AS_PUBLISHED = hex(""
            + "0001"                                        // message type: Binding request
            + "009c"                                        // message length: 156 (wrong, see Javadoc)
            + "2112a442"                                    // magic cookie
            + "78ad3433 c6ad72c0 29da412e"                  // transaction id
            + "001e"                                        // attribute type: USERHASH
            + "0020"                                        // attribute length: 32
            + "4a3cf38f ef6992bd a952c678 0417da0f 24819415 569e60b2 05c46e41 407f1704" // value
            + "0015"                                        // attribute type: NONCE
            + "0029"                                        // attribute length: 41
            + "6f624d61 744a6f73 32414141 43662f2f 3439396b 39353464 364f4c33 346f4c39" // value: nonce (32 bytes)
            + "46535476 79363473 41"                        // value: nonce (last 9 bytes)
            + "000000"                                      // padding (3 bytes)
            + "0014"                                        // attribute type: REALM
            + "000b"                                        // attribute length: 11
            + "6578616d 706c652e 6f7267"                    // value: "example.org"
            + "00"                                          // padding (1 byte)
            + "001c"                                        // attribute type: MESSAGE-INTEGRITY-SHA256
            + "0020"                                        // attribute length: 32
            + "e4686c8f 0edeb590 13e07090 010a93ef ccbccc54 4c0a45d9 f830aa6d 6f735a01"); // value

    /**
     * RFC 8489 Appendix B.1 as corrected by Errata ID 6268, 164 bytes: header length 0x0090, a
     * PASSWORD-ALGORITHM (SHA-256, no parameters) before the integrity attribute, and a recomputed
     * MESSAGE-INTEGRITY-SHA256 = HMAC-SHA256 keyed with SHA-256(username ":" realm ":" "TheMatrIX")
     * over the message with its length field at 0x0090 (which already ends at this attribute).
     */
    public static final byte[] RFC8489_REQUEST_ERRATA_6268 = hex(""
            + "0001"                                        // message type: Binding request
            + "0090"                                        // message length: 144
            + "2112a442"                                    // magic cookie
            + "78ad3433 c6ad72c0 29da412e"                  // transaction id
            + "001e"                                        // attribute type: USERHASH
            + "0020"                                        // attribute length: 32
            + "4a3cf38f ef6992bd a952c678 0417da0f 24819415 569e60b2 05c46e41 407f1704" // value
            + "0015"                                        // attribute type: NONCE
            + "0029"                                        // attribute length: 41
            + "6f624d61 744a6f73 32414141 43662f2f 3439396b 39353464 364f4c33 346f4c39" // value: nonce (32 bytes)
            + "46535476 79363473 41"                        // value: nonce (last 9 bytes)
            + "000000"                                      // padding (3 bytes)
            + "0014"                                        // attribute type: REALM
            + "000b"                                        // attribute length: 11
            + "6578616d 706c652e 6f7267"                    // value: "example.org"
            + "00"                                          // padding (1 byte)
            + "001d"                                        // attribute type: PASSWORD-ALGORITHM
            + "0004"                                        // attribute length: 4
            + "0002"                                        // algorithm: SHA-256
            + "0000"                                        // parameters length: 0
            + "001c"                                        // attribute type: MESSAGE-INTEGRITY-SHA256
            + "0020"                                        // attribute length: 32
            + "b5c7bf00 5b6c52a2 1c51c5e8 92f81924 136296cb 927c4314 9309278c c6518e65"); // value

    /** Parses hex digits, ignoring all whitespace. */
    public static byte[] hex(String digits) {
        return HexFormat.of().parseHex(digits.replaceAll("\\s+", ""));
    }
}
