package io.reactiveice.internal.sansio;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A datagram a {@link ProtocolMachine} wants sent: from the local socket bound to {@code from}, to
 * {@code to}. A machine never touches a socket; its runner (or a simulated network in tests) sends it.
 *
 * @param from the local base address (the socket to send from), or {@code null} for a machine that
 *     owns exactly one socket (a TURN allocation, whose socket is the connection to its server)
 * @param to the destination
 * @param data the bytes; the receiver of this value owns them
 */
public record Transmit(InetSocketAddress from, InetSocketAddress to, byte[] data) {
    /** Checks the fields. */
    public Transmit {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "Transmit[" + data.length + " bytes " + (from == null ? "" : from + " ") + "-> " + to + "]";
    }
}
