package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What every ICE-TCP socket does with a datagram (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-3">RFC
 * 6544 section 3</a>): it goes out as a frame on the open connection to its remote address, and with no
 * such connection it fails as unreachable, so its pair fails at once (RFC 8445 section 7.2.5.2.2's hard
 * error, as a lost route is for UDP). Written once for the passive, the active and the shared-port
 * sockets.
 */
final class FramedRoutes {
    private FramedRoutes() {
    }

    /**
     * Sends {@code data} on {@code connection}, or, if it is {@code null}, releases it and tells
     * {@code onFailure} of a {@link NoRouteToHostException} with the message {@code none} gives.
     */
    static void send(FramedConnection connection, ByteBuf data, Consumer<Throwable> onFailure, Supplier<String> none) {
        if (connection == null) {
            data.release();
            onFailure.accept(new NoRouteToHostException(none.get()));
            return;
        }
        connection.send(data, onFailure);
    }

    /**
     * A stream of datagrams from {@code socket}: if the first one's destination has an open connection
     * ({@code open} gives it, or {@code null}), the stream goes out on it with backpressure and batched
     * flushes ({@link FramedConnection#sendAll}), any datagram for another destination through
     * {@code socket.send}; else one by one through {@code socket.send}, erroring at the first that fails
     * at once (no connection). Every buffer is released.
     */
    static Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination,
            Function<InetSocketAddress, FramedConnection> open, PacketSocket socket) {
        return Flux.<ByteBuf>from(data).<Void>switchOnFirst((first, all) -> {
            FramedConnection c = first.hasValue() ? open.apply(destination.apply(first.get())) : null;
            if (c == null) {
                return all.<Void>handle((b, sink) -> {
                    Throwable[] failed = new Throwable[1]; // a failure told during send, i.e. at once
                    socket.send(b, destination.apply(b), e -> failed[0] = e);
                    if (failed[0] != null) {
                        sink.error(failed[0]);
                    }
                }).then();
            }
            InetSocketAddress to = c.remote();
            return c.sendAll(all.<ByteBuf>handle((b, sink) -> { // one operator per datagram, nothing allocated
                InetSocketAddress d = destination.apply(b);
                IllegalArgumentException tooLong;
                if (!to.equals(d)) {
                    socket.send(b, d);
                } else if ((tooLong = FramedConnection.tooLong(b)) == null) {
                    sink.next(b);
                } else {
                    b.release();
                    sink.error(tooLong);
                }
            }));
        }).then();
    }
}
