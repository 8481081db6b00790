package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * One session's view of a {@link SharedTcpPort}, its passive ICE-TCP candidate's socket: it receives
 * the frames of the connections the port routed to its ufrags, each from the connection's remote
 * address, and sends to such an address on that connection; to an address with no connection a send
 * fails as unreachable. A connection that closes is reported ({@code lost}: base, remote) so that its
 * pair fails at once, and leaves nothing behind.
 */
final class SharedTcpPortSocket extends UfragRoutedSocket {
    private final SharedTcpPort port;
    final PacketSocket.Receiver receiver;
    private final BiConsumer<InetSocketAddress, InetSocketAddress> lost;
    private final Map<InetSocketAddress, FramedConnection> connections = new ConcurrentHashMap<>(2);

    SharedTcpPortSocket(SharedTcpPort port, PacketSocket.Receiver receiver,
            BiConsumer<InetSocketAddress, InetSocketAddress> lost) {
        this.port = port;
        this.receiver = receiver;
        this.lost = lost;
    }

    /** The port routed an authenticated connection here; {@code false} if this view is disposed. */
    boolean connected(FramedConnection connection) {
        if (isDisposed()) {
            return false;
        }
        InetSocketAddress remote = connection.remote();
        FramedConnection before = connections.put(remote, connection);
        if (before != null && before != connection) {
            before.close();
        }
        connection.onClose(() -> {
            if (connections.remove(remote, connection) && !isDisposed()) {
                lost.accept(localAddress(), remote);
            }
        });
        return true;
    }

    @Override
    void portRoute(IceCredentials local) {
        port.route(local, this);
    }

    @Override
    void portUnroute(String ufrag) {
        port.unroute(ufrag, this);
    }

    @Override
    public void pin(Predicate<InetSocketAddress> valid) {
        // connections are the routes: each lives as long as it is open
    }

    @Override
    public InetSocketAddress localAddress() {
        return port.localAddress();
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        send(data, to, e -> { });
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to, Consumer<Throwable> onFailure) {
        FramedRoutes.send(connections.get(to), data, onFailure, () -> "no TCP connection from " + to + " on " + port);
    }

    /** A stream goes out on the connection with backpressure and batched flushes ({@link FramedRoutes#sendAll}). */
    @Override
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        return FramedRoutes.sendAll(data, destination, connections::get, this);
    }

    /** How many connections are routed here now. */
    int connections() {
        return connections.size();
    }

    @Override
    void release() {
        connections.values().forEach(FramedConnection::close);
        connections.clear();
    }
}
