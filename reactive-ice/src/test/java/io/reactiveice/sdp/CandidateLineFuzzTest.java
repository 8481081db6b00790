package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactiveice.candidate.IceCandidate;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the candidate-line parser
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC 8839 section 5.1</a>) with
 * Jazzer: any text (the input bytes read as UTF-8) is either parsed or rejected with an
 * {@link SdpParseException}, and nothing else escapes; what is parsed formats to a canonical line
 * that parses back to the same candidate and formats to itself.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in
 * {@code src/test/resources/io/reactiveice/sdp/CandidateLineFuzzTestInputs/} as a regression test;
 * the surefire execution {@code fuzz-candidate-line} of this module's pom fuzzes it for a short while.
 */
class CandidateLineFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyTextIsParsedOrRejectedWithAnSdpParseException(byte[] data) {
        String line = new String(data, StandardCharsets.UTF_8);
        IceCandidate candidate;
        try {
            candidate = CandidateLine.parse(line);
        } catch (SdpParseException e) {
            assertThat(e.field()).isNotBlank();
            return;
        }
        String canonical = CandidateLine.format(candidate);
        assertThat(CandidateLine.parse(canonical)).isEqualTo(candidate);
        assertThat(CandidateLine.format(CandidateLine.parse(canonical))).isEqualTo(canonical);
        assertThat(CandidateLine.parse(CandidateLine.formatAttribute(candidate))).isEqualTo(candidate);
        assertThat(CandidateLine.isCandidateLine(CandidateLine.formatAttribute(candidate))).isTrue();
    }
}
