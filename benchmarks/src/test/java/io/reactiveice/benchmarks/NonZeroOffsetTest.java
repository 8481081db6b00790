package io.reactiveice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The RFC 5769 request at offset 37 of a bigger buffer (what a pooled receive buffer or a TCP/TLS
 * frame looks like): our reader verifies FINGERPRINT and MESSAGE-INTEGRITY there; ice4j's
 * {@code Message.decode} cannot decode at a non-zero offset (see {@link Ice4jStun}).
 */
class NonZeroOffsetTest {
    private static final int OFFSET = StunCodecBenchmark.OFFSET;
    private static final IntegrityKey KEY = IntegrityKey.shortTerm(StunVectors.PASSWORD);

    private static byte[] requestAtOffset(boolean tamperFingerprint) {
        byte[] request = StunVectors.request();
        if (tamperFingerprint) {
            request[107] ^= 1; // last byte of the FINGERPRINT value
        }
        byte[] big = new byte[OFFSET + request.length + 19];
        Arrays.fill(big, (byte) 0xFF);
        System.arraycopy(request, 0, big, OFFSET, request.length);
        return big;
    }

    @Test
    void ourReaderVerifiesFingerprintAndIntegrityAtOffset37() {
        StunMessageReader reader = new StunMessageReader();

        assertThat(reader.tryRead(ByteBuffer.wrap(requestAtOffset(false)), OFFSET, 108)).isTrue();
        assertThat(reader.attributeCount()).isEqualTo(6);
        assertThat(reader.fingerprintMatches()).isTrue();
        assertThat(reader.integrityMatches(KEY)).isTrue();
    }

    @Test
    void ourReaderRejectsATamperedFingerprintAtOffset37() {
        StunMessageReader reader = new StunMessageReader();

        assertThat(reader.tryRead(ByteBuffer.wrap(requestAtOffset(true)), OFFSET, 108)).isTrue();
        assertThat(reader.fingerprintMatches()).isFalse();
        assertThat(reader.integrityMatches(KEY)).isTrue();
    }

    @Test
    void ice4jRejectsTheRequestAtOffset37WhenGivenOffsetAndLength() {
        String[] error = new String[1];

        assertThat(Ice4jStun.decodedAttributeTypes(requestAtOffset(false), OFFSET, 108, false, error)).isNull();
        assertThat(error[0]).contains("whole StunMessage");
    }

    @Test
    void ice4jSilentlyDropsFingerprintAndIntegrityAtOffset37WhenGivenAnEndIndex() {
        char[] types = Ice4jStun.decodedAttributeTypes(requestAtOffset(true), OFFSET, 108, true, null);

        // A tampered FINGERPRINT is accepted: ice4j never sees the attribute.
        assertThat(types).isNotNull();
        assertThat(new String(types).chars())
                .doesNotContain(StunAttributeType.FINGERPRINT.code(), StunAttributeType.MESSAGE_INTEGRITY.code());
    }
}
