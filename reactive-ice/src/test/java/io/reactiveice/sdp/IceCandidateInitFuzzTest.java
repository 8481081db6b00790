package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the {@code RTCIceCandidateInit} JSON reader ({@link IceCandidateInit},
 * {@link JsonReader}, RFC 8259) with Jazzer: any text (the input bytes read as UTF-8) is either read or
 * rejected with an {@link SdpParseException}, never anything else (no stack overflow on deep
 * nesting, no huge number); what is read writes to JSON that reads back to the same value. Every
 * text {@link JsonReader} accepts is also checked on its own.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in
 * {@code src/test/resources/io/reactiveice/sdp/IceCandidateInitFuzzTestInputs/} as a regression test;
 * the surefire execution {@code fuzz-ice-candidate-init} of this module's pom fuzzes it for a short while.
 */
class IceCandidateInitFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyTextIsReadOrRejectedWithAnSdpParseException(byte[] data) {
        String json = new String(data, StandardCharsets.UTF_8);
        try {
            JsonReader.read(json);
        } catch (SdpParseException e) {
            assertThat(e.field()).isEqualTo("json");
        }
        IceCandidateInit init;
        try {
            init = IceCandidateInit.parseJson(json);
        } catch (SdpParseException e) {
            assertThat(e.field()).isNotBlank();
            return;
        }
        String written = init.toJson();
        assertThat(IceCandidateInit.parseJson(written)).isEqualTo(init);
        assertThat(IceCandidateInit.parseJson(written).toJson()).isEqualTo(written);
        assertThat(init.isEndOfCandidates()).isEqualTo(init.candidate() == null);
    }
}
