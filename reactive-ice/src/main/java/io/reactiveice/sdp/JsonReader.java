package io.reactiveice.sdp;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, strict JSON reader (<a href="https://www.rfc-editor.org/rfc/rfc8259">RFC 8259</a>), so
 * that the library and its users need no JSON dependency to read the form browsers give candidates
 * in ({@link IceCandidateInit#parseJson}) or one-line JSON messages of their own.
 *
 * <p>Values are {@link Map} (insertion-ordered; a repeated name keeps the last value, as
 * JavaScript's {@code JSON.parse} does), {@link List}, {@link String}, {@link BigDecimal},
 * {@link Boolean} and {@code null}. It accepts exactly RFC 8259's grammar: no comments, no single
 * quotes, no leading zeros, white space only of its four kinds, nesting at most {@link #MAX_DEPTH}
 * deep. Every error is an {@link SdpParseException} for the field {@code json}, whose token is the
 * text from the offending character on (shortened) and whose message names the offset, or says
 * "at the end of the text".
 *
 * <p>It keeps no state: the methods may be called from any thread.
 */
public final class JsonReader {
    /** The deepest nesting of arrays and objects it reads; bounds the reader's recursion. */
    public static final int MAX_DEPTH = 64;
    private static final int TOKEN_CONTEXT = 16;

    private final String text;
    private int pos;

    private JsonReader(String text) {
        this.text = text;
    }

    /**
     * Reads one JSON value filling the whole text, white space around it allowed.
     *
     * @param text the JSON text
     * @return a {@link Map}, {@link List}, {@link String}, {@link BigDecimal}, {@link Boolean} or
     *     {@code null}
     * @throws SdpParseException for malformed JSON (field {@code json})
     */
    public static Object read(String text) {
        Objects.requireNonNull(text, "text");
        JsonReader reader = new JsonReader(text);
        reader.skipWhitespace();
        Object value = reader.value(0);
        reader.skipWhitespace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
    }

    /**
     * Reads one JSON object filling the whole text, white space around it allowed.
     *
     * @param text the JSON text
     * @return its members, in the order of the text
     * @throws SdpParseException for malformed JSON or a value that is not an object (field
     *     {@code json}; the token of the latter is the whole text, stripped)
     */
    public static Map<String, Object> readObject(String text) {
        Object value = read(text);
        if (!(value instanceof Map<?, ?>)) {
            String stripped = text.strip(); // not empty: a value was read
            throw new SdpParseException("json", stripped, "must be a JSON object at offset " + text.indexOf(stripped));
        }
        @SuppressWarnings("unchecked") // object() builds every Map as Map<String, Object>
        Map<String, Object> members = (Map<String, Object>) value;
        return members;
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
