package io.reactiveice;

import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    // Sized for the usual one socket: an idle session's maps are part of its footprint.
    private final Map<InetSocketAddress, PacketSocket> sockets = new ConcurrentHashMap<>(2);
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
        sockets.put(socket.localAddress(), socket);
        if (disposed) { // disposed meanwhile: disposeAll may have run before the put and missed this socket
            sockets.remove(socket.localAddress(), socket);
            socket.dispose();
        }
    }

    /** The socket bound to {@code base}, or {@code null}. */
    PacketSocket get(InetSocketAddress base) {
        return sockets.get(base);
    }

    /** The sockets now. */
    List<PacketSocket> all() {
        return List.copyOf(sockets.values());
    }

    /** Sends a transmit of the core through the socket of its base; dropped if there is none (any more). */
    void send(Transmit t) {
        PacketSocket socket = sockets.get(t.from());
        if (socket != null) {
            if (log.isTraceEnabled()) {
                log.trace("[{}] send {} bytes {} -> {}", id, t.data().length, t.from(), t.to());
            }
            socket.send(Unpooled.wrappedBuffer(t.data()), t.to());
        }
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
            for (PacketSocket socket : sockets.values()) {
                UfragRouting routing = UfragRouting.of(socket);
                if (routing.route(fresh)) {
                    routed.add(routing);
                }
            }
        } catch (IceConfigException e) {
            routed.forEach(routing -> routing.unroute(fresh.ufrag()));
            throw e;
        }
        for (PacketSocket socket : sockets.values()) {
            UfragRouting.of(socket).keepNewestUfrags();
        }
    }

    /** Disposes every socket, and every one added later. */
    void disposeAll() {
        disposed = true;
        sockets.values().forEach(PacketSocket::dispose);
        sockets.clear();
    }
}
