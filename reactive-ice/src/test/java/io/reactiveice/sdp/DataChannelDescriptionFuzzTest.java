package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the data channel description reader ({@link DataChannelDescription},
 * RFC 8841 and RFC 8839 section 5) with Jazzer: any text (the input bytes read as UTF-8) is either
 * read or rejected with an {@link SdpParseException}, and nothing else escapes; what is read formats
 * to a description that reads back to the same value and formats to itself.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in
 * {@code src/test/resources/io/reactiveice/sdp/DataChannelDescriptionFuzzTestInputs/} as a regression
 * test; the surefire execution {@code fuzz-data-channel} of this module's pom fuzzes it for a short while.
 */
class DataChannelDescriptionFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void anyTextIsReadOrRejectedWithAnSdpParseException(byte[] data) {
        String sdp = new String(data, StandardCharsets.UTF_8);
        DataChannelDescription description;
        try {
            description = DataChannelDescription.parse(sdp);
        } catch (SdpParseException e) {
            assertThat(e.field()).isNotBlank();
            return;
        }
        String written = description.format(1, 2);
        assertThat(DataChannelDescription.parse(written)).isEqualTo(description);
        assertThat(DataChannelDescription.parse(written).format(1, 2)).isEqualTo(written);
    }
}
