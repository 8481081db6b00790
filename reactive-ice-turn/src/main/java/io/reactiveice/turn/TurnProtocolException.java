package io.reactiveice.turn;

import java.net.InetSocketAddress;

/**
 * The server broke the protocol in a way the client cannot work around: a success response
 * without XOR-RELAYED-ADDRESS, a second redirect, a challenge without REALM or NONCE
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7.3">RFC 8656 section 7.3</a>).
 */
public final class TurnProtocolException extends TurnException {
    private static final long serialVersionUID = 1L;

    /**
     * A protocol error.
     *
     * @param server the server
     * @param message what was wrong
     */
    public TurnProtocolException(InetSocketAddress server, String message) {
        super(server, "TURN server " + server + ": " + message);
    }
}
