package io.reactiveice.agent;

import java.util.Objects;

/**
 * Gathering from one STUN or TURN server failed (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.2">RFC 8445 section 5.1.1.2</a>), as W3C's
 * {@code RTCPeerConnectionIceErrorEvent} reports it: the server and why.
 *
 * @param url the server's URL, e.g. {@code turn:turn.example.org:3478?transport=udp}
 * @param errorCode the STUN error code the server answered (e.g. 401, 486), or 0 when there was no
 *     answer or none applies (a timeout, an unresolvable name)
 * @param cause what happened, for a human (e.g. "timeout after 7 requests", "486 Allocation Quota Reached")
 */
public record GatheringError(String url, int errorCode, String cause) {
    /** Checks the fields. */
    public GatheringError {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(cause, "cause");
    }

    @Override
    public String toString() {
        return url + ": " + cause;
    }
}
