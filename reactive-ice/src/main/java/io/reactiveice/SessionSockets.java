package io.reactiveice;

import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's sockets by base address (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1">RFC
 * 8445 section 5.1.1</a>): its own host sockets, its views of a shared port and its relayed sockets.
 * The core's transmits leave through the socket of their base; a socket that routes by ufrag
 * ({@link UfragRouting}) is told the session's ufrags, on registration and on restart.
 *
 * <p>Sockets are added from the threads that bind them and read from any thread; once
 * {@link #disposeAll() disposed}, a socket added late is disposed at once.
 */
final class SessionSockets {
    private static final Logger log = LoggerFactory.getLogger(SessionSockets.class);

    private final String id;
    private static final Object[] NONE = {};
    /**
     * The sockets, each after its base (its local address when added): base, socket, base, socket...;
     * replaced whole under {@code this}, read from any thread. An array rather than a map: a session
     * has one to a few sockets, and an idle session's heap counts.
     */
    private volatile Object[] sockets = NONE;
    private volatile boolean disposed;

    SessionSockets(String id) {
        this.id = id;
    }

    /**
     * Takes a bound socket: a socket that routes by ufrag routes {@code local}'s and pins the remote
     * addresses that {@code pinned} holds valid.
     *
     * @throws IceConfigException naming {@code credentials} when another session on the same shared
     *     port has our ufrag; the socket is then disposed
     */
    void add(PacketSocket socket, IceCredentials local, Predicate<InetSocketAddress> pinned) {
        UfragRouting routing = UfragRouting.of(socket);
        routing.pin(pinned);
        try {
            routing.route(local);
        } catch (IceConfigException e) {
            socket.dispose();
            throw e;
        }
        put(socket);
        if (disposed) { // disposed meanwhile: disposeAll may have run before the put and missed this socket
            remove(socket);
            socket.dispose();
        }
    }

    private synchronized void put(PacketSocket socket) {
        InetSocketAddress base = socket.localAddress();
        Object[] now = sockets;
        for (int i = 0; i < now.length; i += 2) {
            if (now[i].equals(base)) {
                Object[] replaced = now.clone();
                replaced[i + 1] = socket;
                sockets = replaced;
                return;
            }
        }
        Object[] grown = Arrays.copyOf(now, now.length + 2);
        grown[now.length] = base;
        grown[now.length + 1] = socket;
        sockets = grown;
    }

    private synchronized void remove(PacketSocket socket) {
        Object[] now = sockets;
        for (int i = 1; i < now.length; i += 2) {
            if (now[i] == socket) {
                Object[] shrunk = new Object[now.length - 2];
                System.arraycopy(now, 0, shrunk, 0, i - 1);
                System.arraycopy(now, i + 1, shrunk, i - 1, now.length - i - 1);
                sockets = shrunk;
                return;
            }
        }
    }

    /** Takes the socket bound to {@code base} out and disposes it (its address is gone); none: nothing. */
    void close(InetSocketAddress base) {
        PacketSocket socket = get(base);
        if (socket != null) {
            remove(socket);
            socket.dispose();
        }
    }

    /** The socket bound to {@code base}, or {@code null}. */
    PacketSocket get(InetSocketAddress base) {
        Object[] now = sockets;
        for (int i = 0; i < now.length; i += 2) {
            if (now[i].equals(base)) {
                return (PacketSocket) now[i + 1];
            }
        }
        return null;
    }

    /** The sockets now. */
    List<PacketSocket> all() {
        Object[] now = sockets;
        List<PacketSocket> all = new ArrayList<>(now.length / 2);
        for (int i = 1; i < now.length; i += 2) {
            all.add((PacketSocket) now[i]);
        }
        return all;
    }

    /**
     * Sends a transmit of the core through the socket of its base; dropped if there is none (any more).
     * {@code unreachable} is told, on the socket's I/O thread, if the send failed because the
     * destination cannot be reached from that base at all ({@link #unreachable(Throwable)}).
     */
    void send(Transmit t, Runnable unreachable) {
        PacketSocket socket = get(t.from());
        if (socket != null) {
            if (log.isTraceEnabled()) {
                log.trace("[{}] send {} bytes {} -> {}", id, t.data().length, t.from(), t.to());
            }
            socket.send(Unpooled.wrappedBuffer(t.data()), t.to(), cause -> {
                boolean hard = unreachable(cause);
                log.debug("[{}] send {} -> {} failed{}: {}", id, t.from(), t.to(), hard ? " (unreachable)" : "",
                        cause.toString());
                if (hard) {
                    unreachable.run();
                }
            });
        }
    }

    /**
     * Whether a failed send means that the destination cannot be reached from the socket's address,
     * the local equivalent of a hard ICMP error (RFC 8445 section 7.2.5.2.2): no route to its network
     * or host ({@code ENETUNREACH}, {@code EHOSTUNREACH}: the route went with a local address), or the
     * socket's own address is gone ({@code EADDRNOTAVAIL}, {@code EINVAL} from the route lookup). A
     * full buffer ({@code ENOBUFS}, {@code EAGAIN}) is not: that datagram is lost, the next may pass.
     */
    static boolean unreachable(Throwable cause) {
        if (cause instanceof java.net.NoRouteToHostException) {
            return true;
        }
        String m = cause.getMessage();
        return m != null && (m.contains("Network is unreachable") || m.contains("No route to host")
                || m.contains("Cannot assign requested address") || m.contains("Invalid argument"));
    }

    /**
     * Routes a restart's new ufrag on every socket that routes by ufrag, all or none: if one refuses
     * it, those that took it already forget it again. Then each keeps only the new ufrag and the one
     * before (RFC 8445 section 9).
     *
     * @throws IceConfigException naming {@code credentials} when another session on a shared port has it
     */
    void route(IceCredentials fresh) {
        List<UfragRouting> routed = new ArrayList<>(1);
        try {
            for (PacketSocket socket : all()) {
                UfragRouting routing = UfragRouting.of(socket);
                if (routing.route(fresh)) {
                    routed.add(routing);
                }
            }
        } catch (IceConfigException e) {
            routed.forEach(routing -> routing.unroute(fresh.ufrag()));
            throw e;
        }
        for (PacketSocket socket : all()) {
            UfragRouting.of(socket).keepNewestUfrags();
        }
    }

    /** Disposes every socket, and every one added later. */
    void disposeAll() {
        disposed = true;
        List<PacketSocket> all;
        synchronized (this) {
            all = all();
            sockets = NONE;
        }
        all.forEach(PacketSocket::dispose);
    }
}
