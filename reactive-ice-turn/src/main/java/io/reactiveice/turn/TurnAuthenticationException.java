package io.reactiveice.turn;

import java.net.InetSocketAddress;

/**
 * The server did not accept the long-term credential: a 401 to a request that carried it, or 441
 * Wrong Credentials (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.2.5">RFC 8489
 * section 9.2.5</a>, <a href="https://www.rfc-editor.org/rfc/rfc8656#section-19">RFC 8656 section
 * 19</a>). The message names the server and the username, never the password.
 */
public final class TurnAuthenticationException extends TurnException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /**
     * An authentication failure.
     *
     * @param server the server
     * @param username the username that was refused
     * @param code the error code (401, 441), or 0 when the client refused the server's terms
     * @param reason what happened
     */
    public TurnAuthenticationException(InetSocketAddress server, String username, int code, String reason) {
        super(server, "TURN server " + server + " refused the credentials of user " + username
                + (code == 0 ? "" : " with " + code) + ": " + reason);
        this.code = code;
    }

    /** The error code: 401, 441, or 0 when the client gave up before asking. */
    public int code() {
        return code;
    }
}
