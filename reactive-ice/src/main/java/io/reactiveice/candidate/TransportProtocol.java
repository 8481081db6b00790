package io.reactiveice.candidate;

import java.util.Locale;

/** The transport of a candidate: UDP, or TCP per RFC 6544. */
public enum TransportProtocol {
    /** UDP. */
    UDP,
    /** TCP (RFC 6544). */
    TCP;

    /** The SDP token, {@code udp} or {@code tcp}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
