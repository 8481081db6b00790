package io.reactiveice.stun;

import static io.reactiveice.testing.RfcVectors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Framing errors of the STUN reader (RFC 8489 sections 5, 6.3 and 14): every truncation of real
 * messages, with the length field left alone and with it patched to the truncated size, and one
 * hand-built message per {@link StunRejection} the reader itself gives.
 */
class StunTruncationTest {
    private static final IntegrityKey SHORT_TERM_KEY = IntegrityKey.shortTerm(RFC5769_PASSWORD);

    private final StunMessageReader reader = new StunMessageReader();

    static Stream<Arguments> messages() throws Exception {
        return Stream.of(
                Arguments.of("RFC 5769 2.1 request", RFC5769_REQUEST),
                Arguments.of("RFC 5769 2.2 IPv4 response", RFC5769_IPV4_RESPONSE),
                Arguments.of("RFC 5769 2.3 IPv6 response", RFC5769_IPV6_RESPONSE),
                Arguments.of("RFC 5769 2.4 long-term request", RFC5769_LONG_TERM_REQUEST),
                Arguments.of("RFC 8489 B.1 with erratum 6268", RFC8489_REQUEST_ERRATA_6268),
                Arguments.of("renominating check", NominationAttributeTest.CHECK),
                Arguments.of("header only", headerOnlyIndication()),
                Arguments.of("TURN allocate success", allocateSuccess()),
                Arguments.of("TURN allocate error", allocateError()));
    }

    // RFC 8489 section 6.3: a message shorter than its length field says is not a STUN message.
    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void everyTruncationIsRejectedForItsHeaderOrLengthField(String name, byte[] message) {
        for (int n = 0; n < message.length; n++) {
            StunRejection expected = n < 20 ? StunRejection.TRUNCATED_HEADER : StunRejection.LENGTH_BEYOND_DATAGRAM;
            byte[] cut = Arrays.copyOf(message, n);
            assertRejected(name, n, cut, expected);
        }
    }

    // With the length field patched, only the attribute walk stands between the reader and an overrun.
    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void truncationWithAPatchedLengthIsCaughtByTheAttributeWalk(String name, byte[] message) {
        List<Integer> ends = attributeEnds(message);
        for (int n = 20; n < message.length; n++) {
            byte[] cut = Arrays.copyOf(message, n);
            cut[2] = (byte) ((n - 20) >>> 8); // message length: the truncated size
            cut[3] = (byte) (n - 20);
            if ((n - 20) % 4 != 0) {
                assertRejected(name, n, cut, StunRejection.LENGTH_NOT_MULTIPLE_OF_4);
            } else if (ends.contains(n)) {
                // A cut between attributes leaves a shorter but well-formed message.
                assertThat(readSafely(name, n, ByteBuffer.wrap(cut))).as("%s cut to %d", name, n).isTrue();
                assertThat(reader.attributeCount()).as("%s cut to %d", name, n).isEqualTo(ends.indexOf(n));
                assertThat(readSafely(name, n, direct(cut, 11))).isTrue();
            } else {
                assertRejected(name, n, cut, StunRejection.ATTRIBUTE_OVERRUN);
            }
        }
    }

    @Test
    void messageShorterThanTheHeaderIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0000"                                        // message length: 0
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87df");                  // transaction id: one byte short
        assertRejected(bytes, StunRejection.TRUNCATED_HEADER);
    }

    // RFC 8489 section 5: the most significant two bits of every STUN message are zeroes.
    @Test
    void messageWithALeadingBitSetIsRejected() {
        byte[] bytes = hex(""
                + "4001"                                        // message type: 0x0001 with bit 14 set
                + "0000"                                        // message length: 0
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae");                // transaction id
        assertRejected(bytes, StunRejection.NONZERO_LEADING_BITS);
    }

    @Test
    void messageWithAWrongMagicCookieIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0000"                                        // message length: 0
                + "2112a443"                                    // magic cookie: last bit wrong
                + "b7e7a701 bc34d686 fa87dfae");                // transaction id
        assertRejected(bytes, StunRejection.BAD_MAGIC_COOKIE);
    }

    // RFC 8489 section 5: the message length is always a multiple of 4, attributes being padded.
    @Test
    void messageLengthThatIsNotAMultipleOfFourIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0006"                                        // message length: 6
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8022"                                        // attribute type: SOFTWARE
                + "0002"                                        // attribute length: 2
                + "5354");                                      // value: "ST", no padding
        assertRejected(bytes, StunRejection.LENGTH_NOT_MULTIPLE_OF_4);
    }

    @Test
    void messageLengthBeyondTheDatagramIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "000c"                                        // message length: 12, datagram has 8
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8022"                                        // attribute type: SOFTWARE
                + "0004"                                        // attribute length: 4
                + "5354554e");                                  // value: "STUN"
        assertRejected(bytes, StunRejection.LENGTH_BEYOND_DATAGRAM);
    }

    @Test
    void bytesAfterTheMessageLengthAreRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0000"                                        // message length: 0, datagram has 8 more
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8022"                                        // trailing: what would be SOFTWARE
                + "0004"                                        // trailing: its length
                + "5354554e");                                  // trailing: "STUN"
        assertRejected(bytes, StunRejection.TRAILING_BYTES);
    }

    @Test
    void attributeLongerThanTheMessageIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0008"                                        // message length: 8
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8022"                                        // attribute type: SOFTWARE
                + "0008"                                        // attribute length: 8, only 4 remain
                + "5354554e");                                  // value: "STUN"
        assertRejected(bytes, StunRejection.ATTRIBUTE_OVERRUN);
    }

    // RFC 8489 section 14.7: FINGERPRINT, when present, is the last attribute.
    @Test
    void attributeAfterFingerprintIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0010"                                        // message length: 16
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8028"                                        // attribute type: FINGERPRINT
                + "0004"                                        // attribute length: 4
                + "00000000"                                    // value: CRC (not checked when framing)
                + "8022"                                        // attribute type: SOFTWARE
                + "0004"                                        // attribute length: 4
                + "5354554e");                                  // value: "STUN"
        assertRejected(bytes, StunRejection.FINGERPRINT_NOT_LAST);
    }

    // RFC 8489 section 14.5: only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT may follow MESSAGE-INTEGRITY.
    @Test
    void attributeAfterMessageIntegrityIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0024"                                        // message length: 36
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "0008"                                        // attribute type: MESSAGE-INTEGRITY
                + "0014"                                        // attribute length: 20
                + "00000000 00000000 00000000 00000000 00000000" // value: HMAC (not checked when framing)
                + "0006"                                        // attribute type: USERNAME
                + "0008"                                        // attribute length: 8
                + "65767466 3a683676");                         // value: "evtf:h6v"
        assertRejected(bytes, StunRejection.ATTRIBUTE_AFTER_INTEGRITY);
    }

    // RFC 8489 section 14.6: only FINGERPRINT may follow MESSAGE-INTEGRITY-SHA256.
    @Test
    void attributeAfterMessageIntegritySha256IsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "002c"                                        // message length: 44
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "001c"                                        // attribute type: MESSAGE-INTEGRITY-SHA256
                + "0020"                                        // attribute length: 32
                + "00000000 00000000 00000000 00000000"         // value: HMAC, first half
                + "00000000 00000000 00000000 00000000"         // value: HMAC, second half
                + "8022"                                        // attribute type: SOFTWARE
                + "0004"                                        // attribute length: 4
                + "5354554e");                                  // value: "STUN"
        assertRejected(bytes, StunRejection.ATTRIBUTE_AFTER_INTEGRITY_SHA256);
    }

    @Test
    void messageIntegrityAfterMessageIntegritySha256IsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "002c"                                        // message length: 44
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "001c"                                        // attribute type: MESSAGE-INTEGRITY-SHA256
                + "0010"                                        // attribute length: 16 (truncated HMAC)
                + "00000000 00000000 00000000 00000000"         // value: HMAC
                + "0008"                                        // attribute type: MESSAGE-INTEGRITY
                + "0014"                                        // attribute length: 20
                + "00000000 00000000 00000000 00000000 00000000"); // value: HMAC
        assertRejected(bytes, StunRejection.ATTRIBUTE_AFTER_INTEGRITY_SHA256);
    }

    // RFC 8489 section 14.5: MESSAGE-INTEGRITY is an HMAC-SHA1, always 20 bytes.
    @Test
    void messageIntegrityOfSixteenBytesIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0014"                                        // message length: 20
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "0008"                                        // attribute type: MESSAGE-INTEGRITY
                + "0010"                                        // attribute length: 16, not 20
                + "00000000 00000000 00000000 00000000");       // value
        assertRejected(bytes, StunRejection.BAD_ATTRIBUTE_LENGTH);
    }

    // RFC 8489 section 14.6: MESSAGE-INTEGRITY-SHA256 is 16 to 32 bytes, a multiple of 4.
    @Test
    void messageIntegritySha256OfTwelveBytesIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0010"                                        // message length: 16
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "001c"                                        // attribute type: MESSAGE-INTEGRITY-SHA256
                + "000c"                                        // attribute length: 12, below 16
                + "00000000 00000000 00000000");                // value
        assertRejected(bytes, StunRejection.BAD_ATTRIBUTE_LENGTH);
    }

    @Test
    void fingerprintOfEightBytesIsRejected() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "000c"                                        // message length: 12
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8028"                                        // attribute type: FINGERPRINT
                + "0008"                                        // attribute length: 8, not 4
                + "00000000 00000000");                         // value
        assertRejected(bytes, StunRejection.BAD_ATTRIBUTE_LENGTH);
    }

    // RFC 8489 section 14.6: MESSAGE-INTEGRITY may be followed by MESSAGE-INTEGRITY-SHA256, then FINGERPRINT.
    @Test
    void messageIntegrityThenSha256ThenFingerprintIsFramedWell() {
        byte[] bytes = hex(""
                + "0001"                                        // message type: Binding request
                + "0044"                                        // message length: 68
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "0008"                                        // attribute type: MESSAGE-INTEGRITY
                + "0014"                                        // attribute length: 20
                + "00000000 00000000 00000000 00000000 00000000" // value: HMAC (wrong, not checked here)
                + "001c"                                        // attribute type: MESSAGE-INTEGRITY-SHA256
                + "0020"                                        // attribute length: 32
                + "00000000 00000000 00000000 00000000"         // value: HMAC, first half
                + "00000000 00000000 00000000 00000000"         // value: HMAC, second half
                + "8028"                                        // attribute type: FINGERPRINT
                + "0004"                                        // attribute length: 4
                + "00000000");                                  // value: CRC (wrong, not checked here)
        assertThat(reader.tryRead(bytes, 0, bytes.length)).isTrue();
        assertThat(reader.attributeCount()).isEqualTo(3);
        assertThat(reader.fingerprintMatches()).isFalse();
        assertThat(reader.integrityMatches(SHORT_TERM_KEY)).isFalse();
        assertThat(reader.integritySha256Matches(SHORT_TERM_KEY)).isFalse();
    }

    // RFC 8489 section 14.7: a wrong FINGERPRINT is framed well; the check is the caller's explicit step.
    @Test
    void corruptedFingerprintIsReadButDoesNotMatch() {
        byte[] bytes = hex(""
                + "0101"                                        // message type: Binding success response
                + "003c"                                        // message length: 60
                + "2112a442"                                    // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
                + "8022"                                        // attribute type: SOFTWARE
                + "000b"                                        // attribute length: 11
                + "74657374 20766563 746f72"                    // value: "test vector"
                + "20"                                          // padding
                + "0020"                                        // attribute type: XOR-MAPPED-ADDRESS
                + "0008"                                        // attribute length: 8
                + "00"                                          // reserved
                + "01"                                          // family: IPv4
                + "a147"                                        // x-port: 32853 ^ 0x2112
                + "e112a643"                                    // x-address: 192.0.2.1 ^ magic cookie
                + "0008"                                        // attribute type: MESSAGE-INTEGRITY
                + "0014"                                        // attribute length: 20
                + "2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7" // value: HMAC-SHA1 (RFC 5769 2.2, correct)
                + "8028"                                        // attribute type: FINGERPRINT
                + "0004"                                        // attribute length: 4
                + "c07d4c97");                                  // value: RFC 5769's c07d4c96 with its last bit flipped
        assertThat(reader.tryRead(bytes, 0, bytes.length)).isTrue();
        assertThat(reader.fingerprintMatches()).isFalse();
        assertThat(reader.integrityMatches(SHORT_TERM_KEY)).isTrue();
        assertThat(reader.tryRead(direct(bytes, 5), 5, bytes.length)).isTrue();
        assertThat(reader.fingerprintMatches()).isFalse();
        assertThat(reader.integrityMatches(SHORT_TERM_KEY)).isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Checks the rejection through every entry point: array, direct buffer at an offset, and read(). */
    private void assertRejected(byte[] bytes, StunRejection expected) {
        assertRejected("message", bytes.length, bytes, expected);
        assertThatThrownBy(() -> reader.read(bytes, 0, bytes.length))
                .isInstanceOfSatisfying(StunDecodeException.class, e -> assertThat(e.rejection()).isEqualTo(expected));
        reader.read(RFC5769_REQUEST, 0, RFC5769_REQUEST.length); // and the reader is still usable
        assertThat(reader.fingerprintMatches()).isTrue();
    }

    private void assertRejected(String name, int n, byte[] bytes, StunRejection expected) {
        assertThat(readSafely(name, n, ByteBuffer.wrap(bytes))).as("%s cut to %d", name, n).isFalse();
        assertThat(reader.rejection()).as("%s cut to %d", name, n).isEqualTo(expected);
        assertThat(readSafely(name, n, direct(bytes, 7))).as("%s cut to %d, direct", name, n).isFalse();
        assertThat(reader.rejection()).as("%s cut to %d, direct", name, n).isEqualTo(expected);
    }

    /** tryRead over {@code bytes.length} bytes from the buffer's position; any exception fails the test. */
    private boolean readSafely(String name, int n, ByteBuffer buffer) {
        try {
            return reader.tryRead(buffer, buffer.position(), n);
        } catch (RuntimeException e) {
            return fail("tryRead threw for " + name + " cut to " + n, e);
        }
    }

    /** The bytes at {@code offset} of a direct buffer that ends right after them, positioned at the offset. */
    private static ByteBuffer direct(byte[] bytes, int offset) {
        ByteBuffer direct = ByteBuffer.allocateDirect(offset + bytes.length);
        direct.put(offset, bytes);
        return direct.position(offset);
    }

    /** Where each attribute of a well-formed message ends, padding included; index 0 is the header's end. */
    private static List<Integer> attributeEnds(byte[] message) {
        StunMessageReader r = new StunMessageReader().read(message, 0, message.length);
        List<Integer> ends = new ArrayList<>(List.of(20));
        for (int i = 0; i < r.attributeCount(); i++) {
            ends.add(r.valueOffset(i) + ((r.valueLength(i) + 3) & ~3));
        }
        return ends;
    }

    private static byte[] headerOnlyIndication() {
        return new StunMessage(StunClass.INDICATION, StunMethod.BINDING, new TransactionId(0x0123456789abcdefL, 42),
                List.of()).toBytes();
    }

    /** An Allocate success response (RFC 8656 section 7.3) with IPv4 and IPv6 addresses, signed both ways. */
    private static byte[] allocateSuccess() throws Exception {
        ByteBuffer out = ByteBuffer.allocate(400);
        new StunMessageWriter().begin(out, StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE, new TransactionId(7, 9))
                .putXorAddress(StunAttributeType.XOR_RELAYED_ADDRESS.code(),
                        new InetSocketAddress(InetAddress.getByName("2001:db8::17"), 49_152))
                .putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(),
                        new InetSocketAddress(InetAddress.getByName("198.51.100.7"), 3478))
                .putU32(StunAttributeType.LIFETIME.code(), 600)
                .putU64(StunAttributeType.RESERVATION_TOKEN.code(), 0x1122334455667788L)
                .putString(StunAttributeType.SOFTWARE.code(), "reactive-ice \u00e9t\u00e9")
                .putMessageIntegrity(SHORT_TERM_KEY)
                .putMessageIntegritySha256(SHORT_TERM_KEY)
                .putFingerprint()
                .finish();
        return Arrays.copyOf(out.array(), out.position());
    }

    /** A 401 Allocate error with the RFC 8489 section 9.2 challenge attributes and odd-sized values. */
    private static byte[] allocateError() {
        ByteBuffer out = ByteBuffer.allocate(400);
        new StunMessageWriter().begin(out, StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE, new TransactionId(-1, -1))
                .putErrorCode(401, "Unauthorized")
                .putUnknownAttributes(0x7777, 0x0042, 0x0031)
                .put(new StunAttribute.PasswordAlgorithms(List.of(
                        new StunAttribute.AlgorithmEntry(PasswordAlgorithm.SHA_256, StunBytes.empty()),
                        new StunAttribute.AlgorithmEntry(PasswordAlgorithm.valueOf(0x1234), StunBytes.of(new byte[] {1, 2, 3})))))
                .putString(StunAttributeType.NONCE.code(), "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA")
                .putString(StunAttributeType.REALM.code(), "example.org")
                .putIcmp(3, 4, 1400)
                .put(new StunAttribute.Unknown(0xC057, StunBytes.of(new byte[] {9})))
                .putFingerprint()
                .finish();
        return Arrays.copyOf(out.array(), out.position());
    }
}
