package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.sdp.JsonReader;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The peer protocol's JSON writer (RFC 8259); the library's reader reads its lines (its own tests, the
 * samples' reading tests once, are io.reactiveice.sdp.JsonReaderTest).
 */
class JsonTest {

    @Test
    void writesOneLineThatReadsBack() {
        String line = Json.object().put("type", "stats").put("s", "a\"b\\c\nd\u0001").put("n", 20)
                .put("d", 0.125).put("big", 1e7).put("nan", Double.NaN).put("b", false).put("z", null)
                .put("o", Json.object().put("min", 0.5)).toString();
        assertThat(line).doesNotContain("\n").contains("\"big\":10000000").contains("\"nan\":null")
                .contains("\\u0001");
        Map<String, Object> m = JsonReader.readObject(line);
        assertThat(m).containsEntry("s", "a\"b\\c\nd\u0001").containsEntry("n", BigDecimal.valueOf(20))
                .containsEntry("d", new BigDecimal("0.125")).containsEntry("b", false).containsEntry("z", null);
        assertThat(m.get("o")).isEqualTo(Map.of("min", new BigDecimal("0.5")));
    }
}
