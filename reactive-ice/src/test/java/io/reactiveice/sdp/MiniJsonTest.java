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

/** The package's small JSON reader and writer (RFC 8259), beyond what IceCandidateInit needs today. */
class MiniJsonTest {

    @Test
    void readsEveryKindOfValue() {
        Object v = MiniJson.parse("{\"s\":\"x\",\"n\":-1.5E+2,\"z\":0,\"t\":true,\"f\":false,\"nul\":null,"
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
        assertThat(MiniJson.parse("{\"a\":1,\"a\":2}")).isEqualTo(Map.of("a", new BigDecimal("2")));
    }

    @Test
    void scalarsStandAloneToo() {
        assertThat(MiniJson.parse(" \"\" ")).isEqualTo("");
        assertThat(MiniJson.parse("null")).isNull();
        assertThat(MiniJson.parse("-0")).isEqualTo(new BigDecimal("-0"));
    }

    @Test
    void nestingIsBoundedSoTheReaderCannotOverflowItsStack() {
        String ok = "[".repeat(MiniJson.MAX_DEPTH) + "]".repeat(MiniJson.MAX_DEPTH);
        assertThat(MiniJson.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(MiniJson.MAX_DEPTH + 1) + "]".repeat(MiniJson.MAX_DEPTH + 1);
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

    @Test
    void writerEscapesEveryControlAndRoundTrips() {
        char[] all = new char[0x90];
        for (int i = 0; i < all.length; i++) {
            all[i] = (char) i;
        }
        String s = new String(all) + "\u2028\uD83D\uDE00";
        Map<String, Object> members = new LinkedHashMap<>();
        members.put(s, s);
        members.put("n", 7);
        members.put("b", true);
        members.put("z", null);
        String json = MiniJson.writeObject(members);
        assertThat(json).doesNotContainPattern("[\\x00-\\x1f]").startsWith("{\"\\u0000\\u0001");
        Map<String, Object> expected = new LinkedHashMap<>(members);
        expected.put("n", new BigDecimal(7));
        assertThat(MiniJson.parse(json)).isEqualTo(expected);
        StringBuilder sb = new StringBuilder();
        MiniJson.writeString(sb, "\"\\/\b\f\n\r\t\u001f");
        assertThat(sb).hasToString("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u001f\"");
    }

    private static void assertRejected(String json, String token, String messagePart) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> MiniJson.parse(json));
        assertThat(e).as("parse(%s) must throw", Arrays.toString(json.toCharArray())).isNotNull();
        assertThat(e.field()).isEqualTo("json");
        assertThat(e.token()).isEqualTo(token);
        assertThat(e.getMessage()).contains(messagePart);
    }
}
