package io.reactiveice.turn;

import java.net.InetSocketAddress;

/**
 * The TLS handshake with a {@code turns:} server failed, most often because its certificate is not
 * trusted or does not name the server
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-3.1">RFC 8656 section 3.1</a>). The
 * cause is the {@link javax.net.ssl.SSLException} that TLS reported.
 */
public final class TurnTlsException extends TurnException {
    private static final long serialVersionUID = 1L;

    /**
     * A failed handshake.
     *
     * @param server the server
     * @param cause what TLS reported
     */
    public TurnTlsException(InetSocketAddress server, Throwable cause) {
        super(server, "TLS handshake with TURN server " + server + " failed: " + cause.getMessage());
        initCause(cause);
    }
}
