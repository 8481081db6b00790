package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import io.reactiveice.RelayAllocator;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A live TURN allocation for services that only need a relay
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-3">RFC 8656 section 3</a>): permit a
 * peer, send it datagrams, receive what peers send to {@link #relayedAddress()}. Datagrams go as
 * Send indications until a channel is bound to the peer, as ChannelData afterwards. Disposing it
 * deletes the allocation on the server.
 */
public interface TurnRelay extends RelayAllocator.RelayedSocket {

    /** The relayed transport address peers send to (the same as {@link #localAddress()}). */
    default InetSocketAddress relayedAddress() {
        return localAddress();
    }

    /**
     * Whether the server sets the DF bit on what it relays to peers: asked for with
     * {@link TurnRelayAllocator#dontFragment(boolean)} and accepted by the server (RFC 8656 section 7.1).
     */
    boolean dontFragment();

    /**
     * Installs a permission for the peer's IP address (RFC 8656 section 9).
     *
     * @param peer the peer
     * @return completes when the server has installed it; a {@link TurnException} if it refused
     */
    Mono<Void> permit(InetSocketAddress peer);

    /**
     * What peers send to the relayed address, one subscriber at a time; each
     * {@link TurnDatagram#content()} must be released. Only for relays opened without a receiver.
     */
    Flux<TurnDatagram> receive();

    /**
     * Sends each buffer as one datagram to the peer, with backpressure, in batches where the
     * transport can ({@link #sendAll}); every buffer is released.
     *
     * @param peer the peer
     * @param data the datagrams
     * @return completes when all are handed to the socket
     */
    default Mono<Void> send(InetSocketAddress peer, Publisher<? extends ByteBuf> data) {
        Objects.requireNonNull(peer, "peer");
        return sendAll(data, b -> peer);
    }

    /** What happens to the allocation: refreshes, permissions, channels, loss, deletion. Hot. */
    Flux<TurnEvent> events();

    /**
     * Deletes the allocation (Refresh with LIFETIME 0) and closes the socket.
     *
     * @return completes when the server confirmed the deletion (or it was given up after the schedule)
     */
    Mono<Void> close();

    /** How many datagrams from the server were dropped: malformed, unknown channel, not authentic. */
    long dropped();
}
