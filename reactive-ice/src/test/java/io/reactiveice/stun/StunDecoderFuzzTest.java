package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactiveice.testing.RfcVectors;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.assertj.core.api.Assertions;

/**
 * Coverage-guided fuzzing of the STUN decoder with Jazzer: any bytes are either rejected with a
 * {@link StunRejection} or read as a message whose every accessor returns a value or throws
 * {@link StunDecodeException}, and nothing else. Each input is read twice, from an exact-size heap
 * array and from a direct buffer at an offset surrounded by garbage, and the two readings must agree.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in
 * {@code src/test/resources/io/reactiveice/stun/StunDecoderFuzzTestInputs/} as a regression test;
 * the surefire execution {@code fuzz} of this module's pom fuzzes for {@code ${fuzz.duration}}.
 */
class StunDecoderFuzzTest {
    private static final IntegrityKey KEY = IntegrityKey.shortTerm(RfcVectors.RFC5769_PASSWORD);
    private static final byte GARBAGE = (byte) 0xA5;

    // Readers are reused, as in production; each first holds a valid message so that state left over
    // from it would show.
    private final StunMessageReader heapReader = new StunMessageReader();
    private final StunMessageReader directReader = new StunMessageReader();
    private ByteBuffer direct = ByteBuffer.allocateDirect(8192);

    @FuzzTest(maxDuration = "30s")
    void anyBytesAreRejectedOrReadWithOnlyStunDecodeExceptions(byte[] data) {
        heapReader.read(RfcVectors.RFC5769_REQUEST, 0, RfcVectors.RFC5769_REQUEST.length);
        directReader.read(RfcVectors.RFC5769_IPV6_RESPONSE, 0, RfcVectors.RFC5769_IPV6_RESPONSE.length);

        List<Object> fromHeap = observe(heapReader, heapReader.tryRead(data, 0, data.length));
        int offset = 1 + data.length % 61;
        ByteBuffer buffer = directWithGarbageAround(data, offset);
        List<Object> fromDirect = observe(directReader, directReader.tryRead(buffer, offset, data.length));

        assertThat(fromDirect).isEqualTo(fromHeap);
        assertThat(StunMessageReader.looksLikeStun(buffer, offset, data.length)).isEqualTo(
                data.length >= 20 && (data[0] & 0xC0) == 0 && data[4] == 0x21 && data[5] == 0x12
                        && data[6] == (byte) 0xA4 && data[7] == 0x42);
    }

    /** Everything the reader says about the message, or the rejection; offsets relative to the message. */
    private static List<Object> observe(StunMessageReader reader, boolean accepted) {
        List<Object> seen = new ArrayList<>();
        seen.add(accepted);
        seen.add(reader.rejection());
        assertThat(reader.rejection() == null).isEqualTo(accepted);
        if (!accepted) {
            return seen;
        }
        seen.addAll(List.of(reader.length(), reader.messageType(), reader.methodCode(), reader.method(),
                reader.messageClass(), reader.transactionId(), reader.attributeCount(),
                reader.hasUnknownComprehensionRequired(), Arrays.toString(reader.unknownComprehensionRequired()),
                reader.hasFingerprint(), reader.hasIntegrity(), reader.hasIntegritySha256(), reader.toString()));
        assertThat(reader.hasTransactionId(reader.transactionId())).isTrue();
        for (int i = 0; i < reader.attributeCount(); i++) {
            observeAttribute(reader, i, seen);
        }
        seen.add(attempt(reader::priority));
        seen.add(attempt(reader::errorCode));
        seen.add(reader.fingerprintMatches());
        seen.add(reader.integrityMatches(KEY));
        seen.add(reader.integritySha256Matches(KEY));
        Object message = attempt(() -> StunMessage.from(reader));
        seen.add(message);
        if (message instanceof StunMessage m && hasOverlongReason(m)) {
            // RFC 8489 section 14.8: read up to 763 bytes, but never write 128 characters or more
            Assertions.assertThatThrownBy(m::toBytes)
                    .isInstanceOf(ReasonPhraseTooLongException.class);
        } else if (message instanceof StunMessage m) {
            // What was decoded encodes again, and decodes to itself.
            assertThat(StunMessage.decode(m.toBytes())).isEqualTo(m);
        }
        return seen;
    }

    private static boolean hasOverlongReason(StunMessage m) {
        return m.attributes().stream().anyMatch(a -> a instanceof StunAttribute.ErrorCode e && tooLong(e.reason())
                || a instanceof StunAttribute.AddressErrorCode x && tooLong(x.reason()));
    }

    private static boolean tooLong(String reason) {
        return reason.codePointCount(0, reason.length()) > ReasonPhraseTooLongException.MAX_CHARACTERS;
    }

    private static void observeAttribute(StunMessageReader reader, int i, List<Object> seen) {
        int type = reader.attributeType(i);
        int length = reader.valueLength(i);
        int start = reader.valueOffset(i) - reader.offset();
        assertThat(start).isBetween(StunMessageReader.HEADER_LENGTH + 4, reader.length());
        assertThat(start + length).isLessThanOrEqualTo(reader.length());
        assertThat(reader.indexOf(type)).isBetween(0, i);
        assertThat(reader.has(type)).isTrue();
        byte[] value = reader.bytes(i);
        assertThat(reader.valueEquals(i, value)).isTrue();
        seen.addAll(List.of(type, length, start, StunBytes.of(value), reader.string(i)));
        seen.add(attempt(() -> reader.u32(i)));
        seen.add(attempt(() -> reader.u64(i)));
        seen.add(attempt(() -> reader.address(i)));
        seen.add(attempt(() -> reader.xorAddress(i)));
        seen.add(attempt(() -> reader.attribute(i)));
    }

    /** The value, or the rejection of the {@link StunDecodeException}; any other exception escapes. */
    private static Object attempt(Supplier<?> accessor) {
        try {
            return accessor.get();
        } catch (StunDecodeException e) {
            assertThat(e.rejection()).isNotNull();
            return e.rejection();
        }
    }

    /** The input at {@code offset} of a reused direct buffer, with garbage before and after it. */
    private ByteBuffer directWithGarbageAround(byte[] data, int offset) {
        int end = offset + data.length + 16;
        if (direct.capacity() < end) {
            direct = ByteBuffer.allocateDirect(end);
        }
        for (int i = 0; i < end; i++) {
            direct.put(i, GARBAGE);
        }
        direct.put(offset, data);
        return direct;
    }
}
