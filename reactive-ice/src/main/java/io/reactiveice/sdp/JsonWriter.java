package io.reactiveice.sdp;

import java.util.Map;

/**
 * The writer half of the package's JSON (<a href="https://www.rfc-editor.org/rfc/rfc8259">RFC
 * 8259</a>), for {@link IceCandidateInit#toJson}: flat objects only. {@link JsonReader} reads what it
 * writes.
 */
final class JsonWriter {

    private JsonWriter() {
    }

    /** Writes a flat object whose values are strings, numbers, booleans or {@code null}, in map order. */
    static String writeObject(Map<String, ?> members) {
        StringBuilder sb = new StringBuilder(160).append('{');
        for (Map.Entry<String, ?> e : members.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            writeString(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null || v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                writeString(sb, (String) v);
            }
        }
        return sb.append('}').toString();
    }

    /** Appends a JSON string: quotes, backslashes and controls escaped, everything else as is. */
    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
