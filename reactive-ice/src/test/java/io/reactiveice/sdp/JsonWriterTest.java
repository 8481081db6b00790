package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The package's writer of flat JSON objects (RFC 8259), for IceCandidateInit.toJson. */
class JsonWriterTest {

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
        String json = JsonWriter.writeObject(members);
        assertThat(json).doesNotContainPattern("[\\x00-\\x1f]").startsWith("{\"\\u0000\\u0001");
        Map<String, Object> expected = new LinkedHashMap<>(members);
        expected.put("n", new BigDecimal(7));
        assertThat(JsonReader.read(json)).isEqualTo(expected);
        StringBuilder sb = new StringBuilder();
        JsonWriter.writeString(sb, "\"\\/\b\f\n\r\t\u001f");
        assertThat(sb).hasToString("\"\\\"\\\\/\\b\\f\\n\\r\\t\\u001f\"");
    }
}
