package io.reactiveice.turn;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A STUN message the core wants sent to the TURN server.
 *
 * @param data the encoded message (owned by the receiver of this value)
 * @param to the server's address
 */
public record TurnTransmit(byte[] data, InetSocketAddress to) {
    /** Checks the fields. */
    public TurnTransmit {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(to, "to");
    }

    @Override
    public String toString() {
        return "TurnTransmit[" + data.length + " bytes to " + to + "]";
    }
}
