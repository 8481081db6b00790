package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A datagram a peer sent to the relayed address. The subscriber that receives it owns
 * {@code content} and must release it.
 *
 * @param peer who sent it
 * @param content the payload
 */
public record TurnDatagram(InetSocketAddress peer, ByteBuf content) {
    /** Checks the fields. */
    public TurnDatagram {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(content, "content");
    }
}
