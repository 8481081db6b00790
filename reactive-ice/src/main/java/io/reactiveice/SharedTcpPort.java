package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.internal.tcp.FramedStream;
import io.reactiveice.internal.transport.ByteBufViews;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.NettyInbound;
import reactor.netty.tcp.TcpServer;

/**
 * One TCP port shared by any number of ICE sessions for their passive ICE-TCP candidate
 * (<a href="https://www.rfc-editor.org/rfc/rfc6544">RFC 6544</a>), beside a {@link SharedUdpPort}, as
 * servers facing browsers on networks that block UDP use it: a connection is routed to a session by the
 * local ufrag of the first frame on it, which must be a Binding request whose MESSAGE-INTEGRITY matches
 * that session's password (RFC 8445 section 7.3); from then on every frame on it is that session's, and
 * what the session sends to the connection's remote address goes out on it.
 *
 * <p>What is refused is closed and counted, and nothing outlives its connection: a connection whose
 * first frame does not come within {@link #FIRST_FRAME_TIMEOUT} ({@link #timedOut()}), is not a
 * Binding request for a routed ufrag ({@link #unknownUfrag()}) or fails authentication
 * ({@link #unauthenticated()}), announces a first frame over {@value #FIRST_FRAME_LIMIT} bytes
 * ({@link #oversize()}), or comes from an IP address that holds as many connections as it may already
 * ({@value #MAX_CONNECTIONS_PER_ADDRESS} by default; {@link #refused()}).
 *
 * <pre>{@code
 * SharedTcpPort.bind(new InetSocketAddress("192.0.2.10", 443))
 *         .flatMap(tcp -> IceAgent.create().lite(true).sharedPort(udp).sharedTcpPort(tcp).start())
 *         .subscribe(session -> ...);
 * }</pre>
 */
public final class SharedTcpPort implements Disposable {
    /** How long a new connection may take to send its first, authentic Binding request. */
    public static final Duration FIRST_FRAME_TIMEOUT = Duration.ofSeconds(5);
    /** The largest first frame taken: a Binding request is a few hundred bytes at most. */
    public static final int FIRST_FRAME_LIMIT = 1_500;
    /** How many connections one remote IP address may hold at once by default (many browsers can share one NAT). */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 256;

    private final Scheduler clock;
    private final int maxPerAddress;
    private final ConcurrentHashMap<String, Route> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicLong> perAddress = new ConcurrentHashMap<>();
    private final AtomicLong authenticated = new AtomicLong();
    private final AtomicLong unknownUfrag = new AtomicLong();
    private final AtomicLong unauthenticated = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong oversize = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile DisposableServer server;
    private final PortDrops drops;

    /** A session's ufrag and the key its checks carry. */
    private record Route(SharedTcpPortSocket view, IntegrityKey key) {
    }

    private SharedTcpPort(Scheduler clock, int maxPerAddress, IceMetrics metrics) {
        this.clock = clock;
        this.maxPerAddress = maxPerAddress;
        this.drops = new PortDrops(metrics, "tcp", EnumSet.of(IceMetrics.DropReason.UNKNOWN_UFRAG,
                IceMetrics.DropReason.UNAUTHENTICATED, IceMetrics.DropReason.MALFORMED, IceMetrics.DropReason.TIMED_OUT,
                IceMetrics.DropReason.CONNECTION_LIMIT), this::dropped);
    }

    /** The count of one reason, for the metrics: connections closed for it. */
    private long dropped(IceMetrics.DropReason reason) {
        return switch (reason) {
            case UNKNOWN_UFRAG -> unknownUfrag();
            case UNAUTHENTICATED -> unauthenticated();
            case MALFORMED -> oversize();
            case TIMED_OUT -> timedOut();
            case CONNECTION_LIMIT -> refused();
            default -> 0;
        };
    }

    /**
     * Binds a shared TCP port, lazily, with its first-frame timer on {@link Schedulers#parallel()}.
     *
     * @param address the address to listen on (port 0: any); the passive candidate of every session on it
     * @return the port once it listens
     */
    public static Mono<SharedTcpPort> bind(InetSocketAddress address) {
        return bind(address, Schedulers.parallel(), MAX_CONNECTIONS_PER_ADDRESS);
    }

    /**
     * Binds a shared TCP port, lazily.
     *
     * @param address the address to listen on (port 0: any)
     * @param clock where the first-frame timer of each connection runs
     * @param maxConnectionsPerAddress how many connections one remote IP address may hold at once, at least 1
     * @return the port once it listens
     * @throws IllegalArgumentException naming {@code maxConnectionsPerAddress} if it is below 1
     */
    public static Mono<SharedTcpPort> bind(InetSocketAddress address, Scheduler clock, int maxConnectionsPerAddress) {
        return bind(address, clock, maxConnectionsPerAddress, IceMetrics.NONE);
    }

    /**
     * Binds a shared TCP port, lazily, that reports the connections it closes, by reason, to
     * {@code metrics} ({@link IceMetrics.PortCounters}: unknown ufrag, unauthenticated, malformed for an
     * oversize first frame, timed out, over the connection limit), read from the counts it keeps anyway.
     *
     * @param address the address to listen on (port 0: any)
     * @param clock where the first-frame timer of each connection runs
     * @param maxConnectionsPerAddress how many connections one remote IP address may hold at once, at least 1
     * @param metrics the recorder, e.g. {@code MicrometerIceMetrics.create(registry)}
     * @return the port once it listens
     * @throws IllegalArgumentException naming {@code maxConnectionsPerAddress} if it is below 1
     */
    public static Mono<SharedTcpPort> bind(InetSocketAddress address, Scheduler clock, int maxConnectionsPerAddress,
            IceMetrics metrics) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1 but was "
                    + maxConnectionsPerAddress);
        }
        return Mono.defer(() -> {
            SharedTcpPort port = new SharedTcpPort(clock, maxConnectionsPerAddress, metrics);
            return TcpServer.create().bindAddress(() -> address).childOption(ChannelOption.TCP_NODELAY, true)
                    .handle((in, out) -> {
                        Connection[] c = new Connection[1];
                        in.withConnection(x -> c[0] = x);
                        return port.accepted(c[0], in);
                    })
                    .bind()
                    .map(server -> {
                        port.server = server;
                        port.drops.bound();
                        return port;
                    });
        });
    }

    /** The address listened on: the passive ICE-TCP candidate of every session on this port. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.address();
    }

    /** Connections routed to a session by an authentic first Binding request. */
    public long authenticated() {
        return authenticated.get();
    }

    /** Connections closed because their first frame was not a Binding request for a routed ufrag. */
    public long unknownUfrag() {
        return unknownUfrag.get();
    }

    /** Connections closed because their first Binding request failed MESSAGE-INTEGRITY. */
    public long unauthenticated() {
        return unauthenticated.get();
    }

    /** Connections closed because no first frame came within {@link #FIRST_FRAME_TIMEOUT}. */
    public long timedOut() {
        return timedOut.get();
    }

    /** Connections closed because they announced a first frame over {@value #FIRST_FRAME_LIMIT} bytes. */
    public long oversize() {
        return oversize.get();
    }

    /** Connections closed at once: their IP address held as many as it may already. */
    public long refused() {
        return refused.get();
    }

    /** How many connections are open now, routed or not. */
    public long openConnections() {
        long n = 0;
        for (AtomicLong c : perAddress.values()) {
            n += c.get();
        }
        return n;
    }

    /** How many ufrags are routed (two per session at most: the current one and the one before a restart). */
    public int routedUfrags() {
        return byUfrag.size();
    }

    // ---- a connection, on its event loop -------------------------------------------------------

    /** A connection not routed yet: its reader and timer live until its first frame, not longer. */
    private final class Unrouted implements io.reactiveice.transport.PacketSocket.Receiver {
        private final FramedConnection framed;
        private final Disposable timer;
        private StunMessageReader reader = new StunMessageReader();
        private SharedTcpPortSocket view;

        Unrouted(FramedConnection framed) {
            this.framed = framed;
            this.timer = Mono.delay(FIRST_FRAME_TIMEOUT, clock).subscribe(x -> {
                if (view == null && !framed.isClosed()) {
                    timedOut.incrementAndGet();
                    framed.close();
                }
            });
        }

        @Override
        public void onPacket(ByteBuf data, InetSocketAddress sender) {
            SharedTcpPortSocket routed = view;
            if (routed != null) {
                routed.receiver.onPacket(data, sender);
                return;
            }
            Route route = authentic(data);
            if (route == null) {
                framed.close();
                return;
            }
            timer.dispose();
            reader = null;
            framed.limit(FramedStream.MAX_FRAME);
            view = route.view();
            authenticated.incrementAndGet();
            if (route.view().connected(framed)) {
                route.view().receiver.onPacket(data, sender);
            } else {
                framed.close();
            }
        }

        /** The route of an authentic Binding request, or {@code null} (counted) for anything else. */
        private Route authentic(ByteBuf data) {
            ByteBuffer bytes = ByteBufViews.readable(data);
            if (!reader.tryRead(bytes, bytes.position(), data.readableBytes()) || reader.messageClass() != StunClass.REQUEST) {
                unknownUfrag.incrementAndGet();
                return null;
            }
            int i = reader.indexOf(StunAttributeType.USERNAME);
            String username = i < 0 ? "" : reader.string(i);
            int colon = username.indexOf(':');
            Route route = byUfrag.get(colon < 0 ? username : username.substring(0, colon));
            if (route == null) {
                unknownUfrag.incrementAndGet();
                return null;
            }
            if (!reader.integrityMatches(route.key())) {
                unauthenticated.incrementAndGet();
                return null;
            }
            return route;
        }
    }

    private Mono<Void> accepted(Connection connection, NettyInbound in) {
        InetSocketAddress remote = (InetSocketAddress) connection.channel().remoteAddress();
        AtomicLong count = perAddress.computeIfAbsent(remote.getAddress(), a -> new AtomicLong());
        if (count.incrementAndGet() > maxPerAddress) {
            release(remote.getAddress(), count);
            refused.incrementAndGet();
            return Mono.empty(); // the handler ends: the connection closes
        }
        FramedConnection framed = new FramedConnection(connection, remote, FIRST_FRAME_LIMIT);
        Unrouted state = new Unrouted(framed);
        connection.onDispose(() -> {
            state.timer.dispose();
            release(remote.getAddress(), count);
            if (framed.oversize()) {
                oversize.incrementAndGet();
            }
        });
        return framed.read(in, state);
    }

    private void release(InetAddress address, AtomicLong count) {
        if (count.decrementAndGet() <= 0) {
            perAddress.remove(address, count); // a later connection may have made a new counter: not that one
        }
    }

    // ---- used by the views -----------------------------------------------------------------------

    /**
     * A session's view of this port, routing what its ufrags' connections carry to {@code receiver}.
     *
     * @param lost told (base, remote) when one of its connections closes
     */
    SharedTcpPortSocket view(io.reactiveice.transport.PacketSocket.Receiver receiver,
            java.util.function.BiConsumer<InetSocketAddress, InetSocketAddress> lost) {
        return new SharedTcpPortSocket(this, receiver, lost);
    }

    /**
     * Routes connections whose first check names the ufrag to the view.
     *
     * @throws IceConfigException naming {@code credentials} if another session has this ufrag here
     */
    void route(IceCredentials local, SharedTcpPortSocket view) {
        Route earlier = byUfrag.putIfAbsent(local.ufrag(), new Route(view, IntegrityKey.shortTerm(local.pwd())));
        if (earlier != null && earlier.view() != view) {
            throw new IceConfigException("credentials", "credentials: ufrag " + local.ufrag() + " is already used by"
                    + " another session on " + this + "; each session on a shared port needs a ufrag of its own");
        }
    }

    void unroute(String ufrag, SharedTcpPortSocket view) {
        byUfrag.computeIfPresent(ufrag, (u, r) -> r.view() == view ? null : r);
    }

    /** Stops listening and closes every connection. */
    @Override
    public void dispose() {
        DisposableServer s = server;
        if (s != null) {
            s.dispose();
            drops.closed();
        }
    }

    @Override
    public boolean isDisposed() {
        DisposableServer s = server;
        return s == null || s.isDisposed();
    }

    @Override
    public String toString() {
        DisposableServer s = server;
        return "SharedTcpPort[" + (s == null ? "unbound" : s.address()) + ", " + byUfrag.size() + " ufrags]";
    }
}
