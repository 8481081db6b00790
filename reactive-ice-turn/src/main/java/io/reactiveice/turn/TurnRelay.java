package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A live TURN allocation for services that only need a relay
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-3">RFC 8656 section 3</a>), from
 * {@link TurnRelayAllocator#open}: permit a peer, send it datagrams, receive what peers send to
 * {@link #relayedAddress()}. Datagrams go as Send indications until a channel is bound to the peer,
 * as ChannelData afterwards.
 *
 * <p>Lifecycle: {@link #close()} deletes the allocation on the server (a Refresh with LIFETIME 0,
 * RFC 8656 section 8) and completes once that is confirmed or given up; {@link #dispose()} is the same
 * close without waiting for it; {@link #onDispose()} completes when the relay is closed.
 */
public interface TurnRelay extends Disposable {

    /** The relayed transport address peers send to, from XOR-RELAYED-ADDRESS (RFC 8656 section 7.3). */
    InetSocketAddress relayedAddress();

    /** The address the server saw the Allocate come from, from XOR-MAPPED-ADDRESS (RFC 8656 section 7.3). */
    InetSocketAddress mappedAddress();

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
     * Sends one datagram to a peer (RFC 8656 sections 11 and 12): ChannelData once a channel is
     * bound, a Send indication before; a new peer's first datagram waits for its CreatePermission and
     * ChannelBind to be sent. Releases {@code data}.
     *
     * @param data the datagram
     * @param peer the peer
     */
    void send(ByteBuf data, InetSocketAddress peer);

    /**
     * Sends each buffer as one datagram, framed as {@link #send(ByteBuf, InetSocketAddress)} frames it,
     * with backpressure and in batches where the transport can; every buffer is released.
     *
     * @param data the datagrams
     * @param destination the peer of each
     * @return completes when all are handed to the socket
     */
    Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination);

    /**
     * Sends each buffer as one datagram to the peer ({@link #sendAll}); every buffer is released.
     *
     * @param peer the peer
     * @param data the datagrams
     * @return completes when all are handed to the socket
     */
    default Mono<Void> send(InetSocketAddress peer, Publisher<? extends ByteBuf> data) {
        Objects.requireNonNull(peer, "peer");
        return sendAll(data, b -> peer);
    }

    /**
     * What peers send to the relayed address (Data indications and ChannelData, RFC 8656 sections 11
     * and 12), one subscriber at a time; each {@link TurnDatagram#content()} must be released.
     * Completes when the relay closes.
     */
    Flux<TurnDatagram> receive();

    /** What happens to the allocation: refreshes, permissions, channels, loss, deletion. Hot. */
    Flux<TurnEvent> events();

    /**
     * Emits the cause once if the allocation is lost (a refresh refused or unanswered, or the
     * connection to the server closed); never for a relay that is merely closed.
     */
    Mono<Throwable> lost();

    /** How many datagrams from the server were dropped: malformed, unknown channel, not authentic. */
    long dropped();

    /**
     * Deletes the allocation (Refresh with LIFETIME 0, RFC 8656 section 8) and closes the socket.
     *
     * @return completes when the server confirmed the deletion (or it was given up after the schedule)
     */
    Mono<Void> close();

    /**
     * Completes when the relay is closed by {@link #close()} or {@link #dispose()} (a lost allocation
     * too is closed that way, to release its socket).
     */
    Mono<Void> onDispose();

    /** Starts {@link #close()} without waiting for it. */
    @Override
    void dispose();
}
