package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Error answers of the STUN server's core go to senders nobody authenticated, whose source may be
 * forged: they carry fixed reason phrases under the 128-character limit (RFC 8489 section 14.8),
 * and none is larger than a fixed bound, the success answer to a bare Binding request with the
 * default SOFTWARE, so that no error is a better amplifier than a Binding success; the bound does
 * not shrink when SOFTWARE is off, so that the 401s and 420s RFC 8489 asks for are still sent.
 */
class ErrorAnswerSizeTest {
    private static final InetSocketAddress V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);
    private static final InetSocketAddress V6 = new InetSocketAddress("::1", 40_000);
    private static final IntegrityKey RIGHT = IntegrityKey.shortTerm("s3cret-password");
    private static final IntegrityKey WRONG = IntegrityKey.shortTerm("not-the-password");
    private final ByteBuffer out = ByteBuffer.allocate(1500);
    private long transaction;

    /** A request: header, what {@code attributes} writes, FINGERPRINT if asked. */
    private byte[] request(int method, boolean fingerprint, Consumer<StunMessageWriter> attributes) {
        ByteBuffer b = ByteBuffer.allocate(600);
        StunMessageWriter w = new StunMessageWriter().begin(b, method, StunClass.REQUEST, ++transaction, 7);
        attributes.accept(w);
        if (fingerprint) {
            w.putFingerprint();
        }
        int n = w.finish();
        byte[] bytes = new byte[n];
        b.get(0, bytes, 0, n);
        return bytes;
    }

    /** The answer to {@code datagram}, or {@code null}; the outcome goes to {@code outcomes}. */
    private byte[] answer(BindingResponder responder, byte[] datagram, InetSocketAddress source,
            List<BindingOutcome> outcomes) {
        out.clear();
        BindingOutcome o = responder.respond(ByteBuffer.wrap(datagram), 0, datagram.length, source, out);
        outcomes.add(o);
        return o.answered() ? Arrays.copyOf(out.array(), out.position()) : null;
    }

    /** Every request that gets an error, with and without FINGERPRINT. */
    private List<byte[]> errorRequests(boolean credential) {
        List<byte[]> requests = new ArrayList<>();
        for (boolean fp : new boolean[] {false, true}) {
            requests.add(request(StunMethod.ALLOCATE.code(), fp, w -> { }));                 // 400 method
            requests.add(request(0x07F, fp, w -> { }));                                     // 400 method 0x07F
            requests.add(request(StunMethod.BINDING.code(), fp,                              // 400 PRIORITY of 0 bytes
                    w -> w.putBytes(StunAttributeType.PRIORITY.code(), new byte[0], 0, 0)));
            requests.add(request(StunMethod.BINDING.code(), fp,                              // 400 bad address family
                    w -> w.putBytes(StunAttributeType.XOR_MAPPED_ADDRESS.code(), new byte[] {0, 9, 0, 1, 1, 2, 3, 4}, 0, 8)));
            requests.add(request(StunMethod.BINDING.code(), fp,                              // 400 ERROR-CODE class 9
                    w -> w.putBytes(StunAttributeType.ERROR_CODE.code(), new byte[] {0, 0, 9, 99}, 0, 4)));
            for (int n : new int[] {1, 2, 3, 4, 10, 60}) {                                  // 420 listing n
                requests.add(request(StunMethod.BINDING.code(), fp, w -> {
                    for (int i = 0; i < n; i++) {
                        w.putU32(0x7F00 + i, i);
                    }
                }));
            }
            if (credential) {
                requests.add(request(StunMethod.BINDING.code(), fp, w -> { }));             // 400 USERNAME missing
                requests.add(request(StunMethod.BINDING.code(), fp,                          // 400 MI missing
                        w -> w.putString(StunAttributeType.USERNAME.code(), "alice")));
                requests.add(request(StunMethod.BINDING.code(), fp,                          // 401 wrong key
                        w -> w.putString(StunAttributeType.USERNAME.code(), "alice").putMessageIntegrity(WRONG)));
                requests.add(request(StunMethod.BINDING.code(), fp,                          // 401 wrong user
                        w -> w.putString(StunAttributeType.USERNAME.code(), "mallory").putMessageIntegrity(RIGHT)));
                requests.add(request(StunMethod.BINDING.code(), fp,                          // 401 long wrong user
                        w -> w.putString(StunAttributeType.USERNAME.code(), "m".repeat(500)).putMessageIntegrity(RIGHT)));
            }
        }
        return requests;
    }

    /** The success answer to a bare Binding request from {@code source} of a server with the default SOFTWARE. */
    private byte[] defaultSuccess(InetSocketAddress source) {
        return answer(new BindingResponder(BindingResponder.DEFAULT_SOFTWARE, null, null),
                request(StunMethod.BINDING.code(), false, w -> { }), source, new ArrayList<>());
    }

    @Test
    void theBoundIsTheDefaultSoftwaresSuccessAnswerToABareBindingRequest() {
        assertThat(BindingResponder.errorAnswerBound(V4)).isEqualTo(defaultSuccess(V4).length).isEqualTo(56);
        assertThat(BindingResponder.errorAnswerBound(V6)).isEqualTo(defaultSuccess(V6).length).isEqualTo(68);
    }

    // RFC 8489 section 6.3.1.1: a request with an unknown comprehension-required attribute gets a 420,
    // and a wrong credential a 401, whether or not the server sends SOFTWARE (the bound is fixed).
    @ParameterizedTest
    @ValueSource(strings = {"reactive-ice", ""})
    void withOrWithoutSoftwareThe401AndThe420OfOrdinaryRequestsAreAnswered(String software) {
        String sw = software.isEmpty() ? null : software;
        for (boolean credential : new boolean[] {false, true}) {
            BindingResponder responder = credential ? new BindingResponder(sw, "alice", "s3cret-password")
                    : new BindingResponder(sw, null, null);
            for (InetSocketAddress source : List.of(V4, V6)) {
                List<BindingOutcome> outcomes = new ArrayList<>();
                byte[] unknown = answer(responder, request(StunMethod.BINDING.code(), true,
                        w -> w.putU32(0x7F01, 1).putU32(0x7F02, 2)), source, outcomes);
                assertThat(outcomes).containsExactly(BindingOutcome.UNKNOWN_ATTRIBUTE);
                assertThat(unknown).as("the 420, credential %s, from %s", credential, source).hasSize(56);
                assertThat(StunMessage.decode(unknown).attribute(StunAttribute.ErrorCode.class).orElseThrow().code())
                        .isEqualTo(420);
                if (credential) {
                    byte[] unauthenticated = answer(responder, request(StunMethod.BINDING.code(), true,
                            w -> w.putString(StunAttributeType.USERNAME.code(), "alice").putMessageIntegrity(WRONG)),
                            source, outcomes);
                    assertThat(outcomes).endsWith(BindingOutcome.UNAUTHENTICATED);
                    assertThat(unauthenticated).hasSize(44);
                }
            }
            assertThat(responder.count(BindingOutcome.DROPPED_OVERSIZED_ERROR)).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reactive-ice", "", "x", "a much longer SOFTWARE description, version 1.2.3"})
    void noErrorAnswerIsLargerThanTheDefaultServersSuccessAnswerToABareBindingRequest(String software) {
        String sw = software.isEmpty() ? null : software;
        for (boolean credential : new boolean[] {false, true}) {
            BindingResponder responder = credential ? new BindingResponder(sw, "alice", "s3cret-password")
                    : new BindingResponder(sw, null, null);
            for (InetSocketAddress source : List.of(V4, V6)) {
                List<BindingOutcome> outcomes = new ArrayList<>();
                byte[] success = answer(responder, request(StunMethod.BINDING.code(), false, credential
                        ? w -> w.putString(StunAttributeType.USERNAME.code(), "alice").putMessageIntegrity(RIGHT)
                        : w -> { }), source, outcomes);
                assertThat(outcomes).containsExactly(BindingOutcome.SUCCESS);
                for (byte[] request : errorRequests(credential)) {
                    byte[] error = answer(responder, request, source, outcomes);
                    BindingOutcome o = outcomes.get(outcomes.size() - 1);
                    assertThat(o).isNotEqualTo(BindingOutcome.SUCCESS);
                    if (error != null) {
                        assertThat(error.length).as("%s to %d bytes from %s, software %s", o, request.length,
                                source, sw).isLessThanOrEqualTo(defaultSuccess(source).length);
                        StunMessage m = StunMessage.decode(error);
                        assertThat(m.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
                        assertThat(m.attribute(StunAttribute.ErrorCode.class).orElseThrow().reason())
                                .isIn("Bad Request", "Unauthenticated", "Unknown Attribute");
                    } else {
                        assertThat(o).isEqualTo(BindingOutcome.DROPPED_OVERSIZED_ERROR);
                    }
                }
            }
        }
    }

    // The case of the report: a 24-byte request (PRIORITY with no value) got a 152-byte 400.
    @Test
    void aTwentyFourByteRequestGetsAFortyByteBadRequestWithAFixedReason() {
        BindingResponder responder = new BindingResponder("reactive-ice", null, null);
        byte[] request = request(StunMethod.BINDING.code(), false,
                w -> w.putBytes(StunAttributeType.PRIORITY.code(), new byte[0], 0, 0));
        assertThat(request).hasSize(24);
        List<BindingOutcome> outcomes = new ArrayList<>();
        byte[] error = answer(responder, request, V4, outcomes);
        assertThat(outcomes).containsExactly(BindingOutcome.BAD_REQUEST);
        assertThat(error).hasSize(40); // header, ERROR-CODE 400 "Bad Request"
        assertThat(StunMessage.decode(error).attribute(StunAttribute.ErrorCode.class).orElseThrow())
                .isEqualTo(new StunAttribute.ErrorCode(400, "Bad Request"));
        assertThat(responder.badRequests(BadRequestCause.MALFORMED_ATTRIBUTE)).isEqualTo(1);
        assertThat(responder.lastDetail()).contains("PRIORITY"); // the detail is for a DEBUG line, not the wire
        byte[] success = answer(responder, request(StunMethod.BINDING.code(), false, w -> { }), V4, outcomes);
        assertThat(success).hasSize(56);
    }

    // With the default SOFTWARE, the 420s a real client triggers (one or two unknown attributes) are sent.
    @Test
    void theErrorsOfOrdinaryRequestsAreStillAnswered() {
        BindingResponder responder = new BindingResponder("reactive-ice", "alice", "s3cret-password");
        List<BindingOutcome> outcomes = new ArrayList<>();
        for (InetSocketAddress source : List.of(V4, V6)) {
            answer(responder, request(StunMethod.BINDING.code(), true, w -> w.putU32(0x7F01, 1).putU32(0x7F02, 2)),
                    source, outcomes);
            answer(responder, request(StunMethod.BINDING.code(), true, w -> { }), source, outcomes);
            answer(responder, request(StunMethod.BINDING.code(), true,
                    w -> w.putString(StunAttributeType.USERNAME.code(), "alice").putMessageIntegrity(WRONG)), source,
                    outcomes);
        }
        assertThat(outcomes).containsExactly(BindingOutcome.UNKNOWN_ATTRIBUTE, BindingOutcome.BAD_REQUEST,
                BindingOutcome.UNAUTHENTICATED, BindingOutcome.UNKNOWN_ATTRIBUTE, BindingOutcome.BAD_REQUEST,
                BindingOutcome.UNAUTHENTICATED);
        assertThat(responder.badRequests(BadRequestCause.USERNAME_MISSING)).isEqualTo(2);
    }

    // RFC 8489 section 14.8: the reason phrase is fewer than 128 characters (up to 509 bytes).
    @Test
    void theWriterRefusesAReasonPhraseOf128CharactersOrMore() {
        StunMessageWriter w = new StunMessageWriter().begin(ByteBuffer.allocate(2000), StunMethod.BINDING,
                StunClass.ERROR_RESPONSE, new TransactionId(1, 2));
        w.putErrorCode(400, "x".repeat(127));
        w.putErrorCode(400, "\uD83D\uDE00".repeat(127)); // 127 characters of four bytes each
        assertThatThrownBy(() -> w.putErrorCode(400, "x".repeat(128)))
                .isInstanceOfSatisfying(ReasonPhraseTooLongException.class, e -> assertThat(e.characters()).isEqualTo(128));
        assertThatThrownBy(() -> w.putErrorCode(400, "\uD83D\uDE00".repeat(130)))
                .isInstanceOfSatisfying(ReasonPhraseTooLongException.class, e -> assertThat(e.characters()).isEqualTo(130));
        assertThatThrownBy(() -> w.putAddressErrorCode(1, 440, "y".repeat(200)))
                .isInstanceOf(ReasonPhraseTooLongException.class);
    }
}
