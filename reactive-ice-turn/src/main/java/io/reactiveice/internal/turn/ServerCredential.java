package io.reactiveice.internal.turn;

import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.turn.TurnException;
import java.net.InetSocketAddress;

/**
 * The server an allocation talks to and the long-term credential it signs with: learned from the 401
 * challenge (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.2">RFC 8489 section 9.2</a>),
 * renewed on a 438 Stale Nonce (a few times in a row at most), and replaced by one 300
 * ALTERNATE-SERVER (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7.3">RFC 8656 section
 * 7.3</a>, RFC 8489 section 10). Plain state owned by {@link TurnAllocation}.
 */
final class ServerCredential {
    private static final int MAX_STALE_NONCE_RETRIES = 3;

    private final TurnAllocationConfig config;
    private InetSocketAddress server;
    private boolean redirected;
    private LongTermAuth auth;
    private int staleNonceRetries;

    ServerCredential(TurnAllocationConfig config) {
        this.config = config;
        this.server = config.server();
    }

    /** Where requests go. */
    InetSocketAddress server() {
        return server;
    }

    /** The credential to sign requests with, or {@code null} before the first challenge. */
    LongTermAuth auth() {
        return auth;
    }

    /** Whether the response to a signed request carries a MESSAGE-INTEGRITY that verifies. */
    boolean verifies(StunMessageReader reader) {
        return auth != null && auth.verifies(reader);
    }

    /** A 401 to an unsigned request: the credential from its realm and nonce (a {@link TurnException} if unusable). */
    void challenged(StunMessageReader reader) throws TurnException {
        auth = LongTermAuth.fromChallenge(reader, server, config.username(), config.password());
    }

    /** A 438: whether the request may be retried with the response's new nonce, which is then in use. */
    boolean staleNonce(StunMessageReader reader) {
        LongTermAuth renewed;
        if (auth == null || staleNonceRetries >= MAX_STALE_NONCE_RETRIES || (renewed = auth.afterStaleNonce(reader)) == null) {
            return false;
        }
        auth = renewed;
        staleNonceRetries++;
        return true;
    }

    /** A request succeeded: the next stale nonce may be retried again. */
    void succeeded() {
        staleNonceRetries = 0;
    }

    /**
     * A 300 to the Allocate: follows its ALTERNATE-SERVER (a new server, no credential yet), once.
     *
     * @return why it is not followed, or {@code null} when it is
     */
    String redirect(StunMessageReader reader) {
        int index = reader.indexOf(StunAttributeType.ALTERNATE_SERVER);
        if (index < 0) {
            return "300 without ALTERNATE-SERVER";
        }
        if (redirected) {
            return "redirected a second time, to " + reader.address(index);
        }
        InetSocketAddress alternate = reader.address(index);
        String refused = TurnResponses.refusedAlternate(alternate, server);
        if (refused != null) {
            return "300 names an ALTERNATE-SERVER that " + refused;
        }
        redirected = true;
        server = alternate;
        auth = null;
        return null;
    }
}
