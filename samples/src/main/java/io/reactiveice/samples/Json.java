package io.reactiveice.samples;

import io.reactiveice.sdp.JsonReader;
import java.math.BigDecimal;

/**
 * The writer of the peer protocol's one-object-per-line messages (JSON,
 * <a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a>): flat or nested objects on one
 * line. They are read with the library's reader, {@link JsonReader#readObject}.
 */
final class Json {

    private Json() {
    }

    /** A new, empty object to fill with {@link Writer#put}. */
    static Writer object() {
        return new Writer();
    }

    /** One JSON object, written member by member in the order given. */
    static final class Writer {
        private final StringBuilder out = new StringBuilder(128).append('{');
        private boolean first = true;

        private Writer() {
        }

        /**
         * Adds a member: a string, a number, a boolean, {@code null}, or a nested {@link Writer}.
         *
         * @param name the member name
         * @param value its value
         * @return this writer
         */
        Writer put(String name, Object value) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, name);
            out.append(':');
            write(value);
            return this;
        }

        private void write(Object value) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                quote(out, s);
            } else if (value instanceof Boolean b) {
                out.append(b.booleanValue());
            } else if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                out.append(Double.isFinite(d) ? BigDecimal.valueOf(d).toPlainString() : "null");
            } else if (value instanceof Number n) {
                out.append(n instanceof BigDecimal bd ? bd.toPlainString() : n.toString());
            } else if (value instanceof Writer w) {
                out.append(w);
            } else {
                throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
            }
        }

        @Override
        public String toString() {
            return out + "}";
        }
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
