package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The STUN server's protocol core, one datagram at a time (RFC 8489 section 6.3). */
class BindingResponderTest {
    private static final InetSocketAddress SOURCE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);
    private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
    private final BindingResponder open = new BindingResponder("test server", null, null);
    private final ByteBuffer out = ByteBuffer.allocate(1500);
    private final StunMessageReader reader = new StunMessageReader();

    private byte[] request(int method, Consumer<StunMessageWriter> attributes) {
        ByteBuffer b = ByteBuffer.allocate(600);
        StunMessageWriter w = new StunMessageWriter().begin(b, method, StunClass.REQUEST, random.nextLong(), random.nextInt());
        attributes.accept(w);
        int n = w.putFingerprint().finish();
        byte[] bytes = new byte[n];
        b.get(0, bytes, 0, n);
        return bytes;
    }

    private BindingOutcome send(BindingResponder responder, byte[] datagram) {
        out.clear();
        return responder.respond(ByteBuffer.wrap(datagram), 0, datagram.length, SOURCE, out);
    }

    private StunMessage answer() {
        StunMessage m = StunMessage.decode(Arrays.copyOf(out.array(), out.position()));
        reader.read(out.array(), 0, out.position());
        // a success carries FINGERPRINT; an error answer is kept short and carries none
        assertThat(reader.hasFingerprint()).isEqualTo(m.messageClass() == StunClass.SUCCESS_RESPONSE);
        assertThat(!reader.hasFingerprint() || reader.fingerprintMatches()).isTrue();
        return m;
    }

    @Test
    void bindingRequestIsAnsweredWithTheSourceAsXorMappedAddressAndAFingerprint() {
        byte[] req = request(StunMethod.BINDING.code(), w -> { });
        assertThat(send(open, req)).isEqualTo(BindingOutcome.SUCCESS);
        StunMessage response = answer();
        assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.transactionId()).isEqualTo(StunMessage.decode(req).transactionId());
        assertThat(response.attribute(StunAttribute.XorMappedAddress.class)).get()
                .extracting(StunAttribute.XorMappedAddress::address).isEqualTo(SOURCE);
        assertThat(response.attribute(StunAttribute.Software.class)).get()
                .extracting(StunAttribute.Software::value).isEqualTo("test server");
        assertThat(open.count(BindingOutcome.SUCCESS)).isEqualTo(1);
    }

    // RFC 8489 section 6.3.1.1: unknown comprehension-required attributes get 420 listing them.
    @Test
    void unknownComprehensionRequiredAttributesAreAnswered420WithTheirCodes() {
        byte[] req = request(StunMethod.BINDING.code(), w -> w.putU32(0x7F01, 1).putU32(0xC057, 2).putU32(0x0042, 3));
        assertThat(send(open, req)).isEqualTo(BindingOutcome.UNKNOWN_ATTRIBUTE);
        StunMessage response = answer();
        assertThat(response.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(response.attribute(StunAttribute.ErrorCode.class)).get()
                .extracting(StunAttribute.ErrorCode::code).isEqualTo(420);
        assertThat(response.attribute(StunAttribute.UnknownAttributes.class)).get()
                .extracting(StunAttribute.UnknownAttributes::types).asList().containsExactly(0x7F01, 0x0042);
    }

    @Test
    void unknownComprehensionOptionalAttributesAreSkipped() {
        byte[] req = request(StunMethod.BINDING.code(), w -> w.putU32(0xC057, 2)); // GOOG-NETWORK-INFO
        assertThat(send(open, req)).isEqualTo(BindingOutcome.SUCCESS);
    }

    @Test
    void otherMethodsAndMalformedKnownAttributesAreAnswered400() {
        assertThat(send(open, request(StunMethod.ALLOCATE.code(), w -> { }))).isEqualTo(BindingOutcome.BAD_REQUEST);
        assertThat(answer().attribute(StunAttribute.ErrorCode.class).orElseThrow().code()).isEqualTo(400);

        byte[] badPriority = request(StunMethod.BINDING.code(), w -> w.putBytes(StunAttributeType.PRIORITY.code(),
                new byte[3], 0, 3)); // PRIORITY must be 4 bytes
        assertThat(send(open, badPriority)).isEqualTo(BindingOutcome.BAD_REQUEST);
        StunAttribute.ErrorCode error = answer().attribute(StunAttribute.ErrorCode.class).orElseThrow();
        assertThat(error.code()).isEqualTo(400);
        assertThat(error.reason()).isEqualTo("Bad Request"); // the detail is counted and logged, not sent
        assertThat(open.badRequests(BadRequestCause.MALFORMED_ATTRIBUTE)).isEqualTo(1);
        assertThat(open.badRequests(BadRequestCause.UNSUPPORTED_METHOD)).isEqualTo(1);
    }

    // RFC 8489 section 9.1.3: with short-term credentials, missing USERNAME or MESSAGE-INTEGRITY is 400,
    // a wrong one 401, and a success response is signed.
    @Test
    void shortTermCredentialIsEnforced() {
        BindingResponder secured = new BindingResponder(null, "alice", "s3cret-password");
        IntegrityKey right = IntegrityKey.shortTerm("s3cret-password");
        IntegrityKey wrong = IntegrityKey.shortTerm("not-the-password");

        assertThat(send(secured, request(StunMethod.BINDING.code(), w -> { }))).isEqualTo(BindingOutcome.BAD_REQUEST);
        assertThat(send(secured, request(StunMethod.BINDING.code(),
                w -> w.putString(StunAttributeType.USERNAME.code(), "alice")))).isEqualTo(BindingOutcome.BAD_REQUEST);
        assertThat(send(secured, request(StunMethod.BINDING.code(),
                w -> w.putString(StunAttributeType.USERNAME.code(), "alice").putMessageIntegrity(wrong))))
                .isEqualTo(BindingOutcome.UNAUTHENTICATED);
        assertThat(answer().attribute(StunAttribute.ErrorCode.class).orElseThrow().code()).isEqualTo(401);
        assertThat(send(secured, request(StunMethod.BINDING.code(),
                w -> w.putString(StunAttributeType.USERNAME.code(), "mallory").putMessageIntegrity(right))))
                .isEqualTo(BindingOutcome.UNAUTHENTICATED);
        assertThat(send(secured, request(StunMethod.BINDING.code(),
                w -> w.putString(StunAttributeType.USERNAME.code(), "alice").putMessageIntegrity(right))))
                .isEqualTo(BindingOutcome.SUCCESS);
        answer();
        assertThat(reader.integrityMatches(right)).isTrue();
    }

    @Test
    void garbageIndicationsResponsesAndBadFingerprintsAreDroppedAndCounted() {
        byte[] req = request(StunMethod.BINDING.code(), w -> { });
        assertThat(send(open, HexFormat.of().parseHex("16fefd0000000000000000"))).isEqualTo(BindingOutcome.DROPPED_NOT_STUN);
        assertThat(send(open, new byte[0])).isEqualTo(BindingOutcome.DROPPED_NOT_STUN);
        assertThat(send(open, Arrays.copyOf(req, 19))).isEqualTo(BindingOutcome.DROPPED_MALFORMED);
        byte[] badFingerprint = req.clone();
        badFingerprint[badFingerprint.length - 1] ^= 1;
        assertThat(send(open, badFingerprint)).isEqualTo(BindingOutcome.DROPPED_MALFORMED);
        byte[] indication = req.clone();
        indication[1] = 0x11; // Binding indication: C0 set
        indication = refingerprint(indication);
        assertThat(send(open, indication)).isEqualTo(BindingOutcome.INDICATION);
        byte[] response = req.clone();
        response[1] = 0x01;
        response[0] = 0x01; // Binding success response
        assertThat(send(open, refingerprint(response))).isEqualTo(BindingOutcome.DROPPED_RESPONSE);
        assertThat(out.position()).isZero();

        assertThat(open.dropped(StunRejection.TRUNCATED_HEADER)).isEqualTo(1);
        assertThat(open.dropped(StunRejection.FINGERPRINT_MISMATCH)).isEqualTo(1);
        assertThat(open.dropped()).isEqualTo(5);
        assertThat(send(open, req)).isEqualTo(BindingOutcome.SUCCESS);
        assertThat(open.received()).isEqualTo(7);
    }

    private static byte[] refingerprint(byte[] message) {
        CRC32 crc = new CRC32();
        crc.update(message, 0, message.length - 8);
        ByteBuffer.wrap(message).putInt(message.length - 4, (int) crc.getValue() ^ StunMessageReader.FINGERPRINT_XOR);
        return message;
    }
}
