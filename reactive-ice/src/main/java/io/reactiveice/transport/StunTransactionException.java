package io.reactiveice.transport;

import java.net.InetSocketAddress;

/**
 * Why a STUN client transaction did not end in a success response: it timed out
 * ({@link StunTimeoutException}) or the server answered with an error
 * ({@link StunErrorResponseException}).
 */
public abstract sealed class StunTransactionException extends RuntimeException
        permits StunTimeoutException, StunErrorResponseException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress server;

    StunTransactionException(InetSocketAddress server, String message) {
        super(message);
        this.server = server;
    }

    /** The server the request went to. */
    public InetSocketAddress server() {
        return server;
    }
}
