package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer protocol's tiny JSON reader and writer (RFC 8259). */
class JsonTest {

    @Test
    void readsEveryKindOfValueAndKeepsMemberOrder() {
        Map<String, Object> m = Json.parseObject(
                " {\"type\":\"x\", \"n\": -1.5e2, \"t\":true, \"f\":false, \"z\":null, \"a\":[1,\"b\",{}], \"o\":{\"k\":[]}} ");
        assertThat(m).containsOnlyKeys("type", "n", "t", "f", "z", "a", "o");
        assertThat(m.keySet()).containsExactly("type", "n", "t", "f", "z", "a", "o");
        assertThat(m.get("n")).isEqualTo(new BigDecimal("-1.5e2"));
        assertThat(m).containsEntry("t", true).containsEntry("f", false).containsEntry("z", null);
        assertThat(m.get("a")).isEqualTo(List.of(BigDecimal.ONE, "b", Map.of()));
        assertThat(m.get("o")).isEqualTo(Map.of("k", List.of()));
    }

    @Test
    void readsEveryStringEscape() {
        Map<String, Object> m = Json.parseObject("{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u2028\"}");
        assertThat(m.get("s")).isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9\u2028");
    }

    @Test
    void rejectsWhatIsNotOneObjectNamingTheOffset() {
        for (String bad : new String[] {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"a\":\"\n\"}", "{\"a\":1.2.3}", "{a:1}"}) {
            assertThatThrownBy(() -> Json.parseObject(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("malformed JSON at offset ");
        }
        assertThatThrownBy(() -> Json.parseObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                .hasMessageContaining("nested deeper than 32");
    }

    @Test
    void writesOneLineThatReadsBack() {
        String line = Json.object().put("type", "stats").put("s", "a\"b\\c\nd\u0001").put("n", 20)
                .put("d", 0.125).put("big", 1e7).put("nan", Double.NaN).put("b", false).put("z", null)
                .put("o", Json.object().put("min", 0.5)).toString();
        assertThat(line).doesNotContain("\n").contains("\"big\":10000000").contains("\"nan\":null")
                .contains("\\u0001");
        Map<String, Object> m = Json.parseObject(line);
        assertThat(m).containsEntry("s", "a\"b\\c\nd\u0001").containsEntry("n", BigDecimal.valueOf(20))
                .containsEntry("d", new BigDecimal("0.125")).containsEntry("b", false).containsEntry("z", null);
        assertThat(m.get("o")).isEqualTo(Map.of("min", new BigDecimal("0.5")));
    }
}
