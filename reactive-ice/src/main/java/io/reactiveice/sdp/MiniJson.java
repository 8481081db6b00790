package io.reactiveice.sdp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON (<a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a>) for
 * {@link IceCandidateInit}: a strict reader of any JSON text and a writer of flat objects, so that
 * the library needs no JSON dependency.
 *
 * <p>Read values are {@link Map} (insertion-ordered; a repeated name keeps the last value, as
 * JavaScript's {@code JSON.parse} does), {@link List}, {@link String}, {@link BigDecimal},
 * {@link Boolean} and {@code null}. Syntax errors are {@link SdpParseException}s for the field
 * {@code json}, whose token is the text from the offending character on (shortened).
 */
final class MiniJson {
    /** Deeper nesting than any RTCIceCandidateInit needs; bounds the reader's recursion. */
    static final int MAX_DEPTH = 64;
    private static final int TOKEN_CONTEXT = 16;

    private final String text;
    private int pos;

    private MiniJson(String text) {
        this.text = text;
    }

    /** Reads one JSON value filling the whole text, white space around it allowed. */
    static Object parse(String text) {
        MiniJson reader = new MiniJson(text);
        reader.skipWhitespace();
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
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

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("expected a value");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    yield number();
                }
                throw error("expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name in quotes");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            members.put(name, value(depth));
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return members;
            }
            expect(',');
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // '['
        List<Object> items = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return items;
        }
        while (true) {
            skipWhitespace();
            items.add(value(depth));
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return items;
            }
            expect(',');
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("a control character must be escaped in a string");
            }
            if (c == '\\') {
                sb.append(escape());
            } else {
                sb.append(c);
                pos++;
            }
        }
    }

    /** One escape sequence at {@code pos}; a {@code \}{@code uXXXX} gives one UTF-16 unit, so pairs join. */
    private char escape() {
        if (pos + 1 >= text.length()) {
            throw error("unterminated escape");
        }
        char e = text.charAt(pos + 1);
        pos += 2;
        return switch (e) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4();
            default -> {
                pos -= 2;
                throw error("unknown escape");
            }
        };
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            pos -= 2;
            throw error("\\u needs four hex digits");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos + i), 16);
            if (d < 0 || text.charAt(pos + i) > 'f') {
                pos -= 2;
                throw error("\\u needs four hex digits");
            }
            v = v << 4 | d;
        }
        pos += 4;
        return (char) v;
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected digits");
        }
        if (peek() == '.') {
            pos++;
            if (!digits()) {
                throw error("expected digits after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected digits in the exponent");
            }
        }
        try {
            return new BigDecimal(text.substring(start, pos));
        } catch (NumberFormatException e) { // an exponent beyond an int
            pos = start;
            throw error("number out of range");
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value");
        }
        pos += word.length();
        return value;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH);
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    /** The character at {@code pos}, or NUL at the end (NUL cannot stand unquoted in JSON). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private SdpParseException error(String reason) {
        String token = pos >= text.length() ? "" : text.substring(pos, Math.min(text.length(), pos + TOKEN_CONTEXT));
        String where = pos >= text.length() ? " at the end of the text" : " at offset " + pos;
        return new SdpParseException("json", token, reason + where);
    }
}
