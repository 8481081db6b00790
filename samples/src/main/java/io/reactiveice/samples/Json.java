package io.reactiveice.samples;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Just enough JSON (<a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a>) for the peer
 * protocol's one-object-per-line messages: a reader that gives maps, lists, strings, numbers
 * ({@link BigDecimal}), booleans and {@code null}, and a writer of flat or nested objects on one line.
 */
final class Json {
    private static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Reads one JSON object.
     *
     * @param line the text of one line
     * @return its members, in order
     * @throws IllegalArgumentException naming the offset of what is malformed
     */
    static Map<String, Object> parseObject(String line) {
        Objects.requireNonNull(line, "line");
        Json reader = new Json(line);
        reader.space();
        if (reader.peek() != '{') {
            throw reader.error("expected an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) reader.value(0);
        reader.space();
        if (reader.pos != line.length()) {
            throw reader.error("unexpected text after the object");
        }
        return object;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
        space();
        char c = peek();
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> members = new LinkedHashMap<>();
        pos++;
        space();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            space();
            expect(':');
            members.put(name, value(depth + 1));
            space();
            if (peek() == '}') {
                pos++;
                return members;
            }
            expect(',');
        }
    }

    private List<Object> array(int depth) {
        List<Object> items = new ArrayList<>();
        pos++;
        space();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            items.add(value(depth + 1));
            space();
            if (peek() == ']') {
                pos++;
                return items;
            }
            expect(',');
        }
    }

    private String string() {
        StringBuilder out = new StringBuilder();
        pos++; // the opening quote
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            out.append(c == '\\' ? escape() : c);
        }
    }

    private char escape() {
        char e = next();
        switch (e) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                if (pos + 4 > text.length()) {
                    throw error("truncated \\u escape");
                }
                try {
                    char u = (char) Integer.parseInt(text.substring(pos, pos + 4), 16);
                    pos += 4;
                    return u;
                } catch (NumberFormatException ex) {
                    throw error("malformed \\u escape");
                }
            default:
                throw error("unknown escape \\" + e);
        }
    }

    private BigDecimal number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character");
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException ex) {
            pos = start;
            throw error("malformed number");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void space() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("malformed JSON at offset " + pos + ": " + what);
    }

    // ---- writing -------------------------------------------------------------------------------

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
