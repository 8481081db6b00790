package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.reactiveice.internal.tcp.FramedStream;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/**
 * The socket of a passive ICE-TCP host candidate (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-5.1">RFC
 * 6544 section 5.1</a>): a listening TCP socket whose accepted connections carry RFC 4571 frames, seen by
 * the session as one datagram socket on the listening address. A frame from a connection is a datagram
 * from the connection's remote address (the peer's active candidate, learned as peer-reflexive by its
 * first check, section 7.2); a datagram sent to that address goes out on that connection, and to an
 * address with no connection it fails as unreachable, so the pair fails at once. A connection that
 * closes is reported ({@code lost}: base, remote) so its pair fails at once too (section 7.2.5.2.2's hard
 * error, as a lost route is for UDP).
 *
 * <p>At most {@value #MAX_CONNECTIONS_PER_ADDRESS} connections from one IP address at a time; more are
 * closed at once and counted ({@link #refused()}), as are connections closed for a frame over the limit
 * ({@link #oversize()}).
 */
final class TcpPassiveSocket implements PacketSocket {
    /** How many connections one remote IP address may hold open at once. */
    static final int MAX_CONNECTIONS_PER_ADDRESS = 16;

    private final Receiver receiver;
    private final BiConsumer<InetSocketAddress, InetSocketAddress> lost;
    private final Map<InetSocketAddress, FramedConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private volatile DisposableServer server;
    private volatile InetSocketAddress local;
    private volatile boolean disposed;

    private TcpPassiveSocket(Receiver receiver, BiConsumer<InetSocketAddress, InetSocketAddress> lost) {
        this.receiver = receiver;
        this.lost = lost;
    }

    /**
     * Listens on {@code address} (port 0: any), lazily.
     *
     * @param address the host candidate's address
     * @param receiver every frame of every connection, on the connection's event loop
     * @param lost told (base, remote) when a connection closes
     * @return the socket once it listens
     */
    static Mono<TcpPassiveSocket> listen(InetSocketAddress address, Receiver receiver,
            BiConsumer<InetSocketAddress, InetSocketAddress> lost) {
        return Mono.defer(() -> {
            TcpPassiveSocket socket = new TcpPassiveSocket(receiver, lost);
            return TcpServer.create().bindAddress(() -> address).childOption(ChannelOption.TCP_NODELAY, true)
                    .handle((in, out) -> {
                        Connection[] c = new Connection[1];
                        in.withConnection(x -> c[0] = x);
                        return socket.accepted(c[0], in);
                    })
                    .bind()
                    .map(server -> {
                        socket.server = server;
                        socket.local = (InetSocketAddress) server.address();
                        return socket;
                    });
        });
    }

    private Mono<Void> accepted(Connection connection, reactor.netty.NettyInbound in) {
        InetSocketAddress remote = (InetSocketAddress) connection.channel().remoteAddress();
        if (disposed || fromSameAddress(remote.getAddress()) >= MAX_CONNECTIONS_PER_ADDRESS) {
            refused.incrementAndGet();
            return Mono.empty(); // the handler ends: the connection closes
        }
        FramedConnection framed = new FramedConnection(connection, remote, FramedStream.MAX_FRAME);
        FramedConnection before = connections.put(remote, framed);
        if (before != null) {
            before.close();
        }
        connection.onDispose(() -> {
            if (framed.oversize()) {
                oversize.incrementAndGet();
            }
            if (connections.remove(remote, framed) && !disposed) {
                lost.accept(local, remote);
            }
        });
        return framed.read(in, receiver);
    }

    private int fromSameAddress(InetAddress address) {
        int n = 0;
        for (InetSocketAddress a : connections.keySet()) {
            n += a.getAddress().equals(address) ? 1 : 0;
        }
        return n;
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
        FramedRoutes.send(connections.get(to), data, onFailure, () -> "no TCP connection from " + to + " on " + local);
    }

    @Override
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        return FramedRoutes.sendAll(data, destination, connections::get, this);
    }

    /** How many connections are open now. */
    int connections() {
        return connections.size();
    }

    /** Connections closed at once because their IP address held {@value #MAX_CONNECTIONS_PER_ADDRESS} already. */
    long refused() {
        return refused.get();
    }

    /** Connections closed because they announced a frame over the limit. */
    long oversize() {
        return oversize.get();
    }

    @Override
    public void dispose() {
        disposed = true;
        DisposableServer s = server;
        if (s != null) {
            s.dispose();
        }
        connections.values().forEach(FramedConnection::close);
        connections.clear();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
