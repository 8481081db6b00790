package io.reactiveice.transport;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A STUN transaction got no valid response within its retransmission schedule
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>).
 */
public final class StunTimeoutException extends StunTransactionException {
    private static final long serialVersionUID = 1L;

    private final int sends;
    private final Duration elapsed;

    /**
     * A timeout.
     *
     * @param server the server
     * @param sends how many times the request was sent
     * @param elapsed how long the transaction waited in all
     */
    public StunTimeoutException(InetSocketAddress server, int sends, Duration elapsed) {
        super(server, "no STUN response from " + server + " after " + sends + " sends and " + elapsed.toMillis() + " ms");
        this.sends = sends;
        this.elapsed = elapsed;
    }

    /** How many times the request was sent. */
    public int sends() {
        return sends;
    }

    /** How long the transaction waited in all. */
    public Duration elapsed() {
        return elapsed;
    }
}
