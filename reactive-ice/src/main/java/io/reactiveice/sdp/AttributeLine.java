package io.reactiveice.sdp;

/**
 * One SDP attribute line split into name and value
 * (<a href="https://www.rfc-editor.org/rfc/rfc8866#section-5.13">RFC 8866 section 5.13</a>):
 * {@code a=name:value} or {@code a=name}, with or without the {@code a=} prefix.
 *
 * @param name the attribute name, as written
 * @param value the value after the first colon, or {@code null} for a flag attribute
 */
record AttributeLine(String name, String value) {

    /**
     * The line without {@code a=} and without surrounding SP, HTAB, CR, LF or other ASCII controls
     * (a trailing CRLF, say); other white space is content and stays.
     */
    static String body(String line) {
        String s = line.trim();
        return s.startsWith("a=") ? s.substring(2).trim() : s;
    }

    static AttributeLine of(String line) {
        String s = body(line);
        int colon = s.indexOf(':');
        return colon < 0 ? new AttributeLine(s, null)
                : new AttributeLine(s.substring(0, colon), s.substring(colon + 1));
    }

    /** Attribute names compare case-insensitively: ABNF string literals do (RFC 5234 section 2.3). */
    boolean is(String attribute) {
        return name.equalsIgnoreCase(attribute);
    }
}
