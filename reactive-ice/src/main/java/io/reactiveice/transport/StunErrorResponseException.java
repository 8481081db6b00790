package io.reactiveice.transport;

import io.reactiveice.stun.StunMessage;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The server answered a STUN request with an error response
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.8">RFC 8489 section 14.8</a>).
 */
public final class StunErrorResponseException extends StunTransactionException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final transient StunMessage response;

    /**
     * An error response.
     *
     * @param server the server
     * @param code the ERROR-CODE number, 300..699 (0 if the response carried none)
     * @param reason its reason phrase
     * @param response the whole response, for attributes such as REALM, NONCE or ALTERNATE-SERVER
     */
    public StunErrorResponseException(InetSocketAddress server, int code, String reason, StunMessage response) {
        super(server, "STUN error " + code + " (" + reason + ") from " + server);
        this.code = code;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.response = Objects.requireNonNull(response, "response");
    }

    /** The error code, e.g. 401 or 420. */
    public int code() {
        return code;
    }

    /** The reason phrase. */
    public String reason() {
        return reason;
    }

    /** The error response itself. */
    public StunMessage response() {
        return response;
    }
}
