package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One session's view of a {@link SharedTcpPort}, its passive ICE-TCP candidate's socket: it receives
 * the frames of the connections the port routed to its ufrags, each from the connection's remote
 * address, and sends to such an address on that connection; to an address with no connection a send
 * fails as unreachable. A connection that closes is reported ({@code lost}: base, remote) so that its
 * pair fails at once, and leaves nothing behind.
 */
final class SharedTcpPortSocket implements PacketSocket, UfragRouting {
    private static final String[] NO_UFRAGS = {};

    private final SharedTcpPort port;
    final PacketSocket.Receiver receiver;
    private final BiConsumer<InetSocketAddress, InetSocketAddress> lost;
    private final Map<InetSocketAddress, FramedConnection> connections = new ConcurrentHashMap<>(2);
    /** The ufrags routed here, oldest first: replaced whole under {@code this}, read from any thread. */
    private volatile String[] ufrags = NO_UFRAGS;
    private volatile boolean disposed;

    SharedTcpPortSocket(SharedTcpPort port, PacketSocket.Receiver receiver,
            BiConsumer<InetSocketAddress, InetSocketAddress> lost) {
        this.port = port;
        this.receiver = receiver;
        this.lost = lost;
    }

    /** The port routed an authenticated connection here; {@code false} if this view is disposed. */
    boolean connected(FramedConnection connection) {
        if (disposed) {
            return false;
        }
        InetSocketAddress remote = connection.remote();
        FramedConnection before = connections.put(remote, connection);
        if (before != null && before != connection) {
            before.close();
        }
        connection.onClose(() -> {
            if (connections.remove(remote, connection) && !disposed) {
                lost.accept(localAddress(), remote);
            }
        });
        return true;
    }

    @Override
    public boolean route(IceCredentials local) {
        String ufrag = local.ufrag();
        if (disposed || List.of(ufrags).contains(ufrag)) {
            return false;
        }
        port.route(local, this);
        addUfrag(ufrag);
        if (disposed) {
            unroute(ufrag);
            return false;
        }
        return true;
    }

    @Override
    public void unroute(String ufrag) {
        removeUfrag(ufrag);
        port.unroute(ufrag, this);
    }

    @Override
    public void keepNewestUfrags() {
        for (String[] now = ufrags; now.length > 2; now = ufrags) {
            removeUfrag(now[0]);
            port.unroute(now[0], this);
        }
    }

    @Override
    public void pin(Predicate<InetSocketAddress> valid) {
        // connections are the routes: each lives as long as it is open
    }

    private synchronized void addUfrag(String ufrag) {
        String[] now = Arrays.copyOf(ufrags, ufrags.length + 1);
        now[now.length - 1] = ufrag;
        ufrags = now;
    }

    private synchronized void removeUfrag(String ufrag) {
        List<String> now = new ArrayList<>(List.of(ufrags));
        if (now.remove(ufrag)) {
            ufrags = now.toArray(NO_UFRAGS);
        }
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
        FramedConnection c = connections.get(to);
        if (c == null) {
            data.release();
            onFailure.accept(new NoRouteToHostException("no TCP connection from " + to + " on " + port));
            return;
        }
        c.send(data, onFailure);
    }

    /** How many connections are routed here now. */
    int connections() {
        return connections.size();
    }

    @Override
    public void dispose() {
        disposed = true;
        for (String ufrag : ufrags) {
            unroute(ufrag);
        }
        connections.values().forEach(FramedConnection::close);
        connections.clear();
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
