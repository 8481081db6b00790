package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one JSON reader (RFC 8259) of the library and its samples: what IceCandidateInit needs, and
 * the peer program's one-object-per-line messages.
 */
class JsonReaderTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = JsonReader.read("{\"s\":\"x\",\"n\":-1.5E+2,\"z\":0,\"t\":true,\"f\":false,\"nul\":null,"
                + "\"a\":[1,[],{}],\"o\":{\"k\":\"v\"}}");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("n", new BigDecimal("-1.5E+2"));
        expected.put("z", BigDecimal.ZERO);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("nul", null);
        expected.put("a", List.of(BigDecimal.ONE, List.of(), Map.of()));
        expected.put("o", Map.of("k", "v"));
        assertThat(v).isEqualTo(expected);
        List<Object> names = new ArrayList<>(((Map<?, ?>) v).keySet());
        assertThat(names).containsExactly("s", "n", "z", "t", "f", "nul", "a", "o");
    }

    @Test
    void aRepeatedNameKeepsTheLastValueAsJavaScriptDoes() {
        assertThat(JsonReader.read("{\"a\":1,\"a\":2}")).isEqualTo(Map.of("a", new BigDecimal("2")));
    }

    @Test
    void scalarsStandAloneToo() {
        assertThat(JsonReader.read(" \"\" ")).isEqualTo("");
        assertThat(JsonReader.read("null")).isNull();
        assertThat(JsonReader.read("-0")).isEqualTo(new BigDecimal("-0"));
    }

    @Test
    void nestingIsBoundedSoTheReaderCannotOverflowItsStack() {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.read(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(JsonReader.MAX_DEPTH + 1) + "]".repeat(JsonReader.MAX_DEPTH + 1);
        assertRejected(deep, "[" + "]".repeat(15), "nested deeper than 64 at offset 64");
        assertRejected("{\"a\":".repeat(100_000), "{\"a\":{\"a\":{\"a\":{", "nested deeper than 64 at offset 320");
    }

    @Test
    void syntaxErrorsGiveTheOffendingTextAndOffset() {
        assertRejected("{\"a\":\"x", "", "unterminated string at the end of the text");
        assertRejected("\"a\nb\"", "\nb\"", "a control character must be escaped in a string at offset 2");
        assertRejected("\"\\u12G4\"", "\\u12G4\"", "\\u needs four hex digits at offset 1");
        assertRejected("\"\\u12\"", "\\u12\"", "\\u needs four hex digits at offset 1");
        assertRejected("\"\\u\u0661\u0662\u0663\u0664\"", "\\u\u0661\u0662\u0663\u0664\"", "\\u needs four hex digits");
        assertRejected("\"\\", "\\", "unterminated escape at offset 1");
        assertRejected("tru", "tru", "expected a value at offset 0");
        assertRejected("-", "", "expected digits at the end of the text");
        assertRejected("1.", "", "expected digits after the decimal point");
        assertRejected("1e", "", "expected digits in the exponent");
        assertRejected("+1", "+1", "expected a value");
        assertRejected("1e99999999999", "1e99999999999", "number out of range at offset 0");
        assertRejected("{\"a\" 1}", "1}", "expected ':' at offset 5");
        assertRejected("[1 2]", "2]", "expected ',' at offset 3");
        assertRejected("{1:2}", "1:2}", "expected a member name in quotes");
        assertRejected("\u00a0{}", "\u00a0{}", "expected a value"); // only JSON's four white-space characters
    }

    // ---- the peer program's line protocol (these three were the samples' JsonTest) -------------

    @Test
    void readsEveryKindOfValueAndKeepsMemberOrder() {
        Map<String, Object> m = JsonReader.readObject(
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
        Map<String, Object> m = JsonReader.readObject("{\"s\":\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u2028\"}");
        assertThat(m.get("s")).isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9\u2028");
    }

    @Test
    void rejectsWhatIsNotOneObjectNamingTheOffset() {
        for (String bad : new String[] {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x",
            "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"a\":\"\n\"}", "{\"a\":1.2.3}", "{a:1}"}) {
            SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> JsonReader.readObject(bad));
            assertThat(e).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThat(e.field()).as(bad).isEqualTo("json");
            assertThat(e.getMessage()).as(bad).containsPattern(" at (offset \\d+|the end of the text)$");
        }
        assertThat(catchThrowableOfType(SdpParseException.class,
                () -> JsonReader.readObject("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}")))
                .hasMessageContaining("nested deeper than 64");
        assertThat(catchThrowableOfType(SdpParseException.class, () -> JsonReader.readObject(" [] ")))
                .hasMessageEndingWith("must be a JSON object at offset 1");
    }

    private static void assertRejected(String json, String token, String messagePart) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> JsonReader.read(json));
        assertThat(e).as("parse(%s) must throw", Arrays.toString(json.toCharArray())).isNotNull();
        assertThat(e.field()).isEqualTo("json");
        assertThat(e.token()).isEqualTo(token);
        assertThat(e.getMessage()).contains(messagePart);
    }
}
