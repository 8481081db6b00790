package io.reactiveice.turn;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A TURN request got no acceptable response within its retransmission schedule
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>).
 */
public final class TurnTimeoutException extends TurnException {
    private static final long serialVersionUID = 1L;

    private final int sends;

    /**
     * A timeout.
     *
     * @param server the server
     * @param request the request, e.g. {@code Refresh}
     * @param sends how many times it was sent
     * @param elapsed how long the transaction waited
     */
    public TurnTimeoutException(InetSocketAddress server, String request, int sends, Duration elapsed) {
        super(server, "no answer from TURN server " + server + " to " + request + " after " + sends + " sends and "
                + elapsed.toMillis() + " ms");
        this.sends = sends;
    }

    /** How many times the request was sent. */
    public int sends() {
        return sends;
    }
}
