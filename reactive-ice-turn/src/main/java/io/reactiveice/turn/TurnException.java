package io.reactiveice.turn;

import java.net.InetSocketAddress;

/**
 * Why a TURN allocation could not be made or was lost
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7.3">RFC 8656 section 7.3</a>): every
 * subtype names the server.
 */
public abstract sealed class TurnException extends RuntimeException
        permits TurnAuthenticationException, TurnRefusedException, TurnTimeoutException, TurnProtocolException,
        TurnTlsException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress server;

    TurnException(InetSocketAddress server, String message) {
        super(message);
        this.server = server;
    }

    /** The TURN server the request went to. */
    public InetSocketAddress server() {
        return server;
    }
}
