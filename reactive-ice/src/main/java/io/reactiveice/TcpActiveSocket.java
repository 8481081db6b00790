package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.reactiveice.internal.tcp.FramedStream;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * The socket of an active ICE-TCP host candidate (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-5.1">RFC
 * 6544 section 5.1</a>), seen by the session as one datagram socket whose address is the host address
 * with port 9 (section 4.5: the real source port is the operating system's choice). The first datagram
 * to a remote address opens a connection to it from the host address (the check of an active pair,
 * section 7.1); datagrams wait, in order, until it is open, and then each goes out as one RFC 4571
 * frame. One connection per remote address, so one per pair. A connection that cannot be opened, or that
 * closes, is never opened again: its datagrams fail as unreachable and it is reported ({@code lost}:
 * base, remote), so its pair fails at once (section 7.2.5.2.2).
 */
final class TcpActiveSocket implements PacketSocket {
    /** The port an active candidate is signalled with (RFC 6544 section 4.5). */
    static final int DISCARD_PORT = 9;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetAddress address;
    private final InetSocketAddress local;
    private final Receiver receiver;
    private final BiConsumer<InetSocketAddress, InetSocketAddress> lost;
    private final Map<InetSocketAddress, Link> links = new ConcurrentHashMap<>();
    private volatile boolean disposed;

    /**
     * @param address the host address connections are opened from
     * @param receiver every frame of every connection, on the connection's event loop
     * @param lost told (base, remote) when a connection fails or closes
     */
    TcpActiveSocket(InetAddress address, Receiver receiver, BiConsumer<InetSocketAddress, InetSocketAddress> lost) {
        this.address = address;
        this.local = new InetSocketAddress(address, DISCARD_PORT);
        this.receiver = receiver;
        this.lost = lost;
    }

    /** One remote address's connection: opening (datagrams queued), open, or dead. */
    private final class Link {
        private final InetSocketAddress remote;
        private List<Object[]> queued = new ArrayList<>(); // {ByteBuf, Consumer<Throwable>}; guarded by this
        private FramedConnection open; // guarded by this
        private Throwable dead; // guarded by this

        Link(InetSocketAddress remote) {
            this.remote = remote;
        }

        void connect() {
            // newConnection: not pooled; a pool would cap connections to one address (e.g. a shared TCP port) at 500
            TcpClient.newConnection().bindAddress(() -> new InetSocketAddress(address, 0)).remoteAddress(() -> remote)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                    .handle((in, out) -> {
                        FramedConnection[] c = new FramedConnection[1];
                        in.withConnection(x -> {
                            c[0] = new FramedConnection(x, remote, FramedStream.MAX_FRAME);
                            x.onDispose(() -> end(new NoRouteToHostException("the TCP connection to " + remote
                                    + " closed")));
                        });
                        opened(c[0]);
                        return c[0].read(in, receiver);
                    })
                    .connect()
                    .subscribe(c -> { }, e -> end(new NoRouteToHostException("no TCP connection to " + remote + ": "
                            + e.getMessage())));
        }

        void send(ByteBuf data, Consumer<Throwable> onFailure) {
            FramedConnection c;
            Throwable failed;
            synchronized (this) {
                failed = dead;
                c = failed == null ? open : null;
                if (c == null && failed == null) {
                    queued.add(new Object[] {data, onFailure});
                    return;
                }
            }
            FramedRoutes.send(c, data, onFailure, () -> failed.getMessage());
        }

        /** The connection if it is open now, else {@code null} (opening, or dead). */
        synchronized FramedConnection openNow() {
            return dead == null ? open : null;
        }

        private void opened(FramedConnection c) {
            List<Object[]> waiting;
            boolean unwanted;
            synchronized (this) {
                unwanted = dead != null || disposed; // disposed while connecting: nothing may go out
                if (!unwanted) {
                    open = c;
                }
                waiting = queued;
                queued = List.of();
            }
            if (unwanted) {
                c.close();
                waiting.forEach(q -> ((ByteBuf) q[0]).release());
                return;
            }
            for (Object[] q : waiting) {
                @SuppressWarnings("unchecked")
                Consumer<Throwable> onFailure = (Consumer<Throwable>) q[1];
                c.send((ByteBuf) q[0], onFailure);
            }
        }

        private void end(Throwable cause) {
            List<Object[]> waiting;
            synchronized (this) {
                if (dead != null) {
                    return;
                }
                dead = cause;
                waiting = queued;
                queued = List.of();
            }
            for (Object[] q : waiting) {
                ((ByteBuf) q[0]).release();
                @SuppressWarnings("unchecked")
                Consumer<Throwable> onFailure = (Consumer<Throwable>) q[1];
                onFailure.accept(cause);
            }
            if (!disposed) {
                lost.accept(local, remote);
            }
        }

        synchronized void close() {
            if (open != null) {
                open.close();
            }
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        send(data, to, e -> { });
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to, Consumer<Throwable> onFailure) {
        if (disposed) {
            data.release();
            return;
        }
        Link[] made = new Link[1];
        Link link = links.computeIfAbsent(to, r -> made[0] = new Link(r));
        link.send(data, onFailure);
        if (made[0] != null) {
            made[0].connect();
        }
    }

    @Override
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        return FramedRoutes.sendAll(data, destination, to -> {
            Link link = links.get(to);
            return link == null ? null : link.openNow();
        }, this);
    }

    /** How many remote addresses this socket has opened (or tried to open) a connection to. */
    int links() {
        return links.size();
    }

    @Override
    public void dispose() {
        disposed = true;
        links.values().forEach(Link::close);
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
