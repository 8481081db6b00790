package io.reactiveice.candidate;

import java.util.Locale;

/** The {@code tcptype} of a TCP candidate (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-4.5">RFC 6544 section 4.5</a>). */
public enum TcpType {
    /** Opens connections, never accepts. */
    ACTIVE,
    /** Accepts connections, never opens. */
    PASSIVE,
    /** Simultaneous open. */
    SO;

    /** The SDP token: {@code active}, {@code passive} or {@code so}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type for a token, or {@code null}. */
    public static TcpType ofToken(String token) {
        for (TcpType t : values()) {
            if (t.token().equalsIgnoreCase(token)) {
                return t;
            }
        }
        return null;
    }
}
