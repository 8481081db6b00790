package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.internal.transport.ByteBufViews;
import io.reactiveice.internal.transport.SourceRateLimiter;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One UDP port shared by any number of ICE sessions, as servers facing many browsers use it
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-2.5">RFC 8445 section 2.5</a>, lite or
 * full): connectivity checks are routed by the local ufrag in USERNAME, everything else (responses,
 * application data) by the remote address a session has answered or sent to.
 *
 * <p>A request for an unknown ufrag is dropped and counted, creating no state and no answer. A
 * request whose ufrag is routed and whose MESSAGE-INTEGRITY matches that session's password
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.3">RFC 8445 section 7.3</a>; the port
 * checks it before anything else) is authenticated and is never rate limited, so that a flood from
 * the same IP address as a real peer (a carrier-grade NAT, a campus) cannot delay that peer's
 * checks. Only the rest is rate limited per source IP (a token bucket, 100 per second with bursts of
 * 200 by default, over at most 100,000 tracked sources): a request with a known ufrag that fails
 * authentication, which the session answers with an error and learns nothing from. So the port
 * cannot be turned into a reflector, and a flooder spends only its own IP address's budget of error
 * answers.
 *
 * <p>Every address a session sends to (other than with an error response) is routed to it, so that
 * what comes back from there reaches it; a session keeps at most as many such routes as it may have
 * remote candidates ({@link IceAgent#limits}, plus one per ICE server), so that an authenticated peer
 * checking from ever new ports cannot grow the port's tables. Beyond that it forgets the route it
 * sent to least recently, never the peer of one of its valid pairs (the selected one included), so
 * that such checks cannot make the selected pair's data unroutable.
 *
 * <pre>{@code
 * SharedUdpPort.create().bindAddress(new InetSocketAddress("192.0.2.10", 3478)).bind()
 *         .flatMap(port -> IceAgent.create().lite(true).sharedPort(port).start())
 *         .subscribe(session -> ...);
 * }</pre>
 */
public final class SharedUdpPort implements Disposable {
    /**
     * The receive buffer a port asks for unless told otherwise ({@link SharedUdpPortConfig#receiveBuffer}), 4 MiB: one port takes every
     * session's checks, and the Linux default of 208 KiB overflowed with 10,000 sessions on two
     * cores (the kernel dropped checks while the JVM was busy, and a few sessions went DISCONNECTED
     * for one consent interval). Linux caps it at {@code net.core.rmem_max} without complaint; raise
     * that on a busy server.
     */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;

    private final Scheduler clock;
    private final SourceRateLimiter limiter;
    private final StunMessageReader reader = new StunMessageReader(); // the receive thread's only
    private final ConcurrentHashMap<String, Route> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, SharedPortSocket.RemoteRoute> byRemote = new ConcurrentHashMap<>();
    private final AtomicLong unknownUfrag = new AtomicLong();
    private final AtomicLong authenticated = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong unroutable = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final PortDrops drops;
    private final Sinks.Empty<Void> disposed = Sinks.empty();
    private volatile PacketSocket socket;
    /** The socket's event loop as a scheduler, or {@code null} if it has none; see {@link #sessionScheduler()}. */
    private volatile Scheduler loop;

    private SharedUdpPort(Scheduler clock, SourceRateLimiter limiter, IceMetrics metrics) {
        this.clock = clock;
        this.limiter = limiter;
        this.drops = new PortDrops(metrics, "udp", EnumSet.of(IceMetrics.DropReason.UNKNOWN_UFRAG,
                IceMetrics.DropReason.RATE_LIMITED, IceMetrics.DropReason.MALFORMED, IceMetrics.DropReason.UNROUTABLE),
                this::dropped);
    }

    /**
     * A configuration to bind a shared port with: 127.0.0.1 on an ephemeral port, real UDP with a
     * receive buffer of {@link #DEFAULT_RECEIVE_BUFFER}, error answers limited to 100 per second and
     * source IP with bursts of 200, on the clock of {@link Schedulers#parallel()}.
     *
     * @return the configuration; {@link SharedUdpPortConfig#bind()} binds it
     */
    public static SharedUdpPortConfig create() {
        return SharedUdpPortConfig.defaults();
    }

    /** Binds a port of this configuration (called by {@link SharedUdpPortConfig#bind()}). */
    static Mono<SharedUdpPort> bind(InetSocketAddress address, PacketTransport transport, Scheduler clock,
            SourceRateLimiter limiter, IceMetrics metrics) {
        SharedUdpPort port = new SharedUdpPort(clock, limiter, metrics);
        return transport.bind(address, port::onPacket).map(s -> {
            port.socket = s;
            port.loop = s.eventLoop().map(l -> Schedulers.fromExecutorService(l, "shared-port")).orElse(null);
            port.drops.bound();
            return port;
        });
    }

    /** The count of one reason, for the metrics. */
    private long dropped(IceMetrics.DropReason reason) {
        return switch (reason) {
            case UNKNOWN_UFRAG -> unknownUfrag();
            case RATE_LIMITED -> rateLimited();
            case MALFORMED -> malformed();
            case UNROUTABLE -> unroutable();
            default -> 0;
        };
    }

    /** The bound address: the host candidate of every session on this port. */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Requests dropped because no session has the ufrag in their USERNAME (or they had none). */
    public long unknownUfrag() {
        return unknownUfrag.get();
    }

    /**
     * Requests that passed authentication at the port (a routed ufrag and its session's
     * MESSAGE-INTEGRITY) and went to their session without rate limit.
     */
    public long authenticated() {
        return authenticated.get();
    }

    /**
     * Requests dropped because they failed authentication (a routed ufrag, but no or a wrong
     * MESSAGE-INTEGRITY) and their source IP exceeded its rate of such requests.
     */
    public long rateLimited() {
        return rateLimited.get();
    }

    /**
     * Datagrams that were well-formed STUN but not requests, or not STUN (RFC 7983: first byte over 3),
     * and came from an address no session has answered or sent to.
     */
    public long unroutable() {
        return unroutable.get();
    }

    /**
     * Datagrams that looked like STUN (RFC 7983: first byte 0 to 3) but were not a well-formed STUN
     * message, from an address no session has answered or sent to (from a session's peer they go to
     * that session, which drops and counts them).
     */
    public long malformed() {
        return malformed.get();
    }

    /** How many ufrags are routed now (a session has one, two during a restart). */
    public int routedUfrags() {
        return byUfrag.size();
    }

    /** How many remote addresses are routed now. */
    public int routedRemotes() {
        return byRemote.size();
    }

    /**
     * Where a session's sockets come from: each bind is a view of this port, which keeps at most
     * {@code maxRemotes} routes by remote address.
     */
    PacketTransport transport(int maxRemotes) {
        return (local, receiver) -> {
            if (isDisposed()) {
                return Mono.error(new IceConfigException("sharedPort", "sharedPort " + this + " is disposed;"
                        + " a session cannot start on it"));
            }
            if (!local.getAddress().equals(localAddress().getAddress())) {
                return Mono.error(new IceConfigException("hostAddresses", "hostAddresses must be the shared port's"
                        + " address " + localAddress().getAddress().getHostAddress() + " but include "
                        + local.getAddress().getHostAddress()));
            }
            return Mono.just(new SharedPortSocket(this, receiver, maxRemotes));
        };
    }

    /**
     * Where the sessions on this port run by default: the port's own event loop, which receives their
     * checks, so that a check is answered on the thread that read it, with no hand-off to another
     * thread and back (in the benchmark of many lite sessions that hand-off was about 40 % of the CPU
     * per answered request); {@code null} if the socket has no event loop.
     */
    Scheduler sessionScheduler() {
        return loop;
    }

    // ---- used by the views ---------------------------------------------------------------------

    /** A session's ufrag and the key its checks carry; the port checks MESSAGE-INTEGRITY with it. */
    private record Route(SharedPortSocket view, IntegrityKey key) {
    }

    /**
     * Routes checks for the ufrag to the view.
     *
     * @throws IceConfigException naming {@code credentials} if another session has this ufrag here
     */
    void route(IceCredentials local, SharedPortSocket view) {
        Route earlier = byUfrag.putIfAbsent(local.ufrag(), new Route(view, IntegrityKey.shortTerm(local.pwd())));
        if (earlier != null && earlier.view() != view) {
            throw new IceConfigException("credentials", "credentials: ufrag " + local.ufrag() + " is already used by"
                    + " another session on " + this + "; each session on a shared port needs a ufrag of its own");
        }
    }

    void unroute(String ufrag, SharedPortSocket view) {
        byUfrag.computeIfPresent(ufrag, (u, r) -> r.view() == view ? null : r);
    }

    /**
     * Routes what comes from {@code remote} to the view, or marks its route as used now: on every send,
     * so this costs one map lookup and no allocation when the route is there already.
     */
    void learn(InetSocketAddress remote, SharedPortSocket view) {
        SharedPortSocket.RemoteRoute route = byRemote.get(remote);
        if (route != null && route.view() == view) {
            view.used(route);
        } else {
            view.learned(remote);
        }
    }

    /** Called by the view, under its lock. */
    void putRoute(InetSocketAddress remote, SharedPortSocket.RemoteRoute route) {
        byRemote.put(remote, route);
    }

    void forget(InetSocketAddress remote, SharedPortSocket.RemoteRoute route) {
        byRemote.remove(remote, route);
    }

    PacketSocket socket() {
        return socket;
    }

    // ---- the receive path, on the socket's I/O thread -------------------------------------------

    /** Reads a STUN message in place (no view allocated per datagram); the reader is valid until the next. */
    private boolean tryRead(ByteBuf data, int n) {
        ByteBuffer view = ByteBufViews.readable(data);
        return reader.tryRead(view, view.position(), n);
    }

    private void onPacket(ByteBuf data, InetSocketAddress sender) {
        int n = data.readableBytes();
        boolean stun = n > 0 && data.getUnsignedByte(data.readerIndex()) < 4;
        boolean wellFormed = stun && tryRead(data, n);
        if (wellFormed && reader.messageClass() == StunClass.REQUEST) {
            onRequest(data, sender);
            return;
        }
        SharedPortSocket.RemoteRoute known = byRemote.get(sender);
        if (known != null) {
            known.view().receiver.onPacket(data, sender);
        } else if (stun && !wellFormed) {
            malformed.incrementAndGet();
        } else {
            unroutable.incrementAndGet();
        }
    }

    /**
     * A request the reader holds: authenticated first (one HMAC, cheaper than anything the session
     * would do with it), and only what fails is rate limited; an unknown ufrag is neither answered nor
     * stored, so it costs no token.
     */
    private void onRequest(ByteBuf data, InetSocketAddress sender) {
        Route route = byUfrag.get(localUfrag());
        if (route == null) {
            unknownUfrag.incrementAndGet();
            return;
        }
        if (reader.integrityMatches(route.key())) {
            authenticated.incrementAndGet();
        } else if (!limiter.tryAcquire(sender.getAddress(), clock.now(TimeUnit.NANOSECONDS))) {
            rateLimited.incrementAndGet();
            return;
        }
        route.view().receiver.onPacket(data, sender);
    }

    /** The local ufrag of the request the reader holds: USERNAME up to its colon, or "" without one. */
    private String localUfrag() {
        int i = reader.indexOf(StunAttributeType.USERNAME);
        if (i < 0) {
            return "";
        }
        String username = reader.string(i);
        int colon = username.indexOf(':');
        return colon < 0 ? username : username.substring(0, colon);
    }

    /** Closes the socket; the sessions on it can no longer send or receive. */
    @Override
    public void dispose() {
        PacketSocket s = socket;
        if (s != null) {
            s.dispose();
            drops.closed();
        }
        disposed.tryEmitEmpty();
    }

    @Override
    public boolean isDisposed() {
        PacketSocket s = socket;
        return s == null || s.isDisposed();
    }

    /**
     * Completes once {@link #dispose()} has closed the socket (for a Reactor Netty socket: has asked
     * its event loop to close the channel), never before.
     *
     * @return completes when the port is disposed
     */
    public Mono<Void> onDispose() {
        return disposed.asMono();
    }

    @Override
    public String toString() {
        return "SharedUdpPort[" + (socket == null ? "unbound" : localAddress()) + ", " + byUfrag.size() + " ufrags]";
    }
}
