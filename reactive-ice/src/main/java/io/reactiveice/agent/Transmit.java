package io.reactiveice.agent;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A datagram the agent core wants sent: from the local socket bound to {@code from}, to {@code to}.
 * The core never touches a socket; the shell (or a simulated network in tests) sends it.
 *
 * @param from the local base address (the socket to send from)
 * @param to the destination
 * @param data the bytes; the receiver of this value owns them
 */
public record Transmit(InetSocketAddress from, InetSocketAddress to, byte[] data) {
    /** Checks the fields. */
    public Transmit {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
    }
}
