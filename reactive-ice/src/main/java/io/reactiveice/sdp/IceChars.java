package io.reactiveice.sdp;

/**
 * The {@code ice-char} rule of <a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC 8839
 * section 5.1</a>: {@code ALPHA / DIGIT / "+" / "/"}, ASCII only.
 */
final class IceChars {
    private IceChars() {
    }

    static boolean isIceChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isIceChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks {@code min*max ice-char}.
     *
     * @throws SdpParseException naming {@code field}, hiding the value if {@code secret}
     */
    static String require(String field, String value, int min, int max, boolean secret) {
        if (value.length() < min || value.length() > max || !isIceChars(value)) {
            String reason = "must be " + min + ".." + max + " ice-chars (ALPHA / DIGIT / \"+\" / \"/\")";
            throw secret ? SdpParseException.secret(field, value, reason) : new SdpParseException(field, value, reason);
        }
        return value;
    }
}
