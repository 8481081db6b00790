package io.reactiveice.turn;

import io.reactiveice.IceMetrics;
import io.reactiveice.IceServer;
import io.reactiveice.RelayAllocator;
import io.reactiveice.internal.transport.ServerResolver;
import io.reactiveice.internal.turn.RelaySession;
import io.reactiveice.internal.turn.RelayedSocketAdapter;
import io.reactiveice.internal.turn.SendIds;
import io.reactiveice.internal.turn.TurnAllocation;
import io.reactiveice.internal.turn.TurnAllocationConfig;
import io.reactiveice.internal.turn.TurnRelayHandle;
import io.reactiveice.internal.turn.TurnStreamSocket;
import io.reactiveice.internal.turn.TurnStreams;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A TURN client over UDP, TCP and TLS (<a href="https://www.rfc-editor.org/rfc/rfc8656">RFC 8656</a>) as the
 * agent's {@link RelayAllocator}, and as a standalone way to get a relay ({@link #open(IceServer)}).
 * Immutable: every fluent call returns a new instance. Every timer runs on the configured
 * {@link Scheduler}, so tests drive it in virtual time.
 *
 * <pre>{@code
 * TurnRelayAllocator.create()
 *         .open(IceServer.parse("turn:192.0.2.1:3478", "alice", "secret"))
 *         .flatMap(relay -> relay.permit(peer)
 *                 .then(relay.send(peer, Flux.just(Unpooled.copiedBuffer("hi", US_ASCII))))
 *                 .thenMany(relay.receive().take(1))
 *                 .doOnNext(d -> { ...; d.content().release(); })
 *                 .then(relay.close()))             // deletes the allocation; dispose() does it without waiting
 *         .subscribe();
 * }</pre>
 */
public final class TurnRelayAllocator implements RelayAllocator {
    /** Server names resolve off the event loop, where blocking DNS belongs. */
    private static final ServerResolver RESOLVER = ServerResolver.on(Schedulers.boundedElastic());

    private final Scheduler scheduler;
    private final PacketTransport transport;
    private final InetSocketAddress localAddress;
    private final RetransmissionSchedule schedule;
    private final Supplier<RandomGenerator> random;
    private final Requested requested;
    private final TurnStreams streams;
    private final IceMetrics metrics;

    private TurnRelayAllocator(Scheduler scheduler, PacketTransport transport, InetSocketAddress localAddress,
            RetransmissionSchedule schedule, Supplier<RandomGenerator> random, Requested requested) {
        this(scheduler, transport, localAddress, schedule, random, requested, TurnStreams.DEFAULT, IceMetrics.NONE);
    }

    private TurnRelayAllocator(Scheduler scheduler, PacketTransport transport, InetSocketAddress localAddress,
            RetransmissionSchedule schedule, Supplier<RandomGenerator> random, Requested requested,
            TurnStreams streams, IceMetrics metrics) {
        this.scheduler = scheduler;
        this.transport = transport;
        this.localAddress = localAddress;
        this.schedule = schedule;
        this.random = random;
        this.requested = requested;
        this.streams = streams;
        this.metrics = metrics;
    }

    /** A client on real UDP sockets bound to the wildcard address, on {@link Schedulers#parallel()}. */
    public static TurnRelayAllocator create() {
        return new TurnRelayAllocator(Schedulers.parallel(), PacketTransport.udp(), new InetSocketAddress(0),
                RetransmissionSchedule.UDP_DEFAULT, SecureRandom::new, Requested.DEFAULT);
    }

    /** The scheduler of every timer and of each allocation's serialized context. */
    public TurnRelayAllocator scheduler(Scheduler scheduler) {
        return new TurnRelayAllocator(Objects.requireNonNull(scheduler, "scheduler"), transport, localAddress,
                schedule, random, requested, streams, metrics);
    }

    /** Where sockets come from (in tests, an in-process network). */
    public TurnRelayAllocator packetTransport(PacketTransport transport) {
        return new TurnRelayAllocator(scheduler, Objects.requireNonNull(transport, "packetTransport"), localAddress,
                schedule, random, requested, streams, metrics);
    }

    /**
     * The local address each allocation's socket binds to (port 0 picks one). With the wildcard (the
     * default), an allocation the agent makes binds the first of the agent's host addresses of the
     * server's family instead ({@link #allocate(IceServer, List, PacketSocket.Receiver)}).
     */
    public TurnRelayAllocator localAddress(InetSocketAddress local) {
        return new TurnRelayAllocator(scheduler, transport, Objects.requireNonNull(local, "localAddress"), schedule,
                random, requested, streams, metrics);
    }

    /** The retransmission schedule of every request (RFC 8489 section 6.2.1). */
    public TurnRelayAllocator schedule(RetransmissionSchedule schedule) {
        return new TurnRelayAllocator(scheduler, transport, localAddress,
                Objects.requireNonNull(schedule, "schedule"), random, requested, streams, metrics);
    }

    /**
     * The source of transaction ids: of every request, and the seed of the Send indications' ids
     * (seeded in tests; a new {@code SecureRandom} per allocation by default).
     */
    public TurnRelayAllocator random(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return new TurnRelayAllocator(scheduler, transport, localAddress, schedule, () -> random, requested, streams,
                metrics);
    }

    /** The LIFETIME to ask for, or {@code null} for the server's default. */
    public TurnRelayAllocator lifetime(Duration lifetime) {
        return new TurnRelayAllocator(scheduler, transport, localAddress, schedule, random,
                requested.withLifetime(lifetime), streams, metrics);
    }

    /**
     * The family of relayed addresses to ask for (REQUESTED-ADDRESS-FAMILY, RFC 8656 section 7.1):
     * {@code INET6} for IPv6 relays. By default the attribute is left out and servers relay IPv4. A
     * server that cannot relay the family refuses with 440, a {@link TurnRefusedException}.
     *
     * @param family {@code INET} or {@code INET6}
     */
    public TurnRelayAllocator addressFamily(ProtocolFamily family) {
        Objects.requireNonNull(family, "addressFamily");
        if (family != StandardProtocolFamily.INET && family != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("addressFamily must be INET or INET6 but was " + family);
        }
        return new TurnRelayAllocator(scheduler, transport, localAddress, schedule, random,
                new Requested(requested.lifetime(), family, requested.dontFragment()), streams, metrics);
    }

    /**
     * Asks the server to set the DF bit on what it relays to peers (DONT-FRAGMENT in the Allocate
     * request and in Send indications, RFC 8656 sections 7.1 and 11.1), for path MTU discovery. A
     * server that does not support it answers 420; the allocation is then made without it
     * ({@link TurnAllocation#dontFragment()} tells).
     *
     * @param dontFragment whether to ask
     */
    public TurnRelayAllocator dontFragment(boolean dontFragment) {
        return new TurnRelayAllocator(scheduler, transport, localAddress, schedule, random,
                new Requested(requested.lifetime(), requested.family(), dontFragment), streams, metrics);
    }

    /**
     * The retransmission schedule of every request over TCP and TLS: one send, then a wait
     * (RFC 8489 section 6.2.2; {@link RetransmissionSchedule#RELIABLE_DEFAULT}, 39.5 s, by default).
     */
    public TurnRelayAllocator streamSchedule(RetransmissionSchedule schedule) {
        Objects.requireNonNull(schedule, "streamSchedule");
        if (!schedule.isReliable()) {
            throw new IllegalArgumentException("streamSchedule must be reliable (one send) but was " + schedule);
        }
        return new TurnRelayAllocator(scheduler, transport, localAddress, this.schedule, random, requested,
                streams.schedule(schedule), metrics);
    }

    /**
     * Trusts exactly these certificates for {@code turns:} servers instead of the JDK's trust store
     * (for tests and private deployments with a self-signed certificate). The server's certificate
     * must still name the host or IP address in the URI (RFC 8656 section 3.1, RFC 6125).
     *
     * @param certificates the certificates to trust, at least one
     */
    public TurnRelayAllocator trustedCertificates(X509Certificate... certificates) {
        return new TurnRelayAllocator(scheduler, transport, localAddress, schedule, random, requested,
                streams.trusting(certificates), metrics);
    }

    /**
     * Where the allocations report ({@link IceMetrics}; {@link IceMetrics#NONE}, nothing, by default):
     * each one made, each one ended (deleted, expired or lost), and each Allocate that failed with
     * its error code, e.g. {@code metrics(MicrometerIceMetrics.create(registry))}.
     *
     * @param metrics the recorder
     */
    public TurnRelayAllocator metrics(IceMetrics metrics) {
        return new TurnRelayAllocator(scheduler, transport, localAddress, schedule, random, requested, streams,
                Objects.requireNonNull(metrics, "metrics"));
    }

    /** The relayed candidate's allocation, seen by the agent as a socket whose datagrams go to {@code receiver}. */
    @Override
    public Mono<RelayedSocket> allocate(IceServer server, PacketSocket.Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        return session(server, receiver::onPacket, List.of()).map(RelayedSocketAdapter::new);
    }

    /**
     * The relayed candidate's allocation through the first of {@code locals} of the server's family:
     * its socket (or connection) binds that address unless {@link #localAddress} names one of its own,
     * so the candidate leaves with that address ({@link RelayedSocket#clientAddress()}).
     */
    @Override
    public Mono<RelayedSocket> allocate(IceServer server, List<InetAddress> locals, PacketSocket.Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(locals, "locals");
        return session(server, receiver::onPacket, locals).map(RelayedSocketAdapter::new);
    }

    /**
     * Allocates a relay whose datagrams are read with {@link TurnRelay#receive()}.
     *
     * @param server a {@code turn:} server (UDP, or TCP with {@code ?transport=tcp}) or a {@code turns:}
     *     server (TLS over TCP) with its credentials
     * @return the relay once the server made it; a {@link TurnException} if it refused or did not answer,
     *     a {@link TurnTlsException} if the TLS handshake failed
     */
    public Mono<TurnRelay> open(IceServer server) {
        return Mono.defer(() -> {
            TurnRelayHandle.Received received = new TurnRelayHandle.Received();
            return session(server, received, List.of()).map(received::handle);
        });
    }

    private Mono<RelaySession> session(IceServer server, RelaySession.Inbound inbound, List<InetAddress> locals) {
        Objects.requireNonNull(server, "server");
        if (!server.isTurn()) {
            return Mono.error(new IllegalArgumentException("server must be turn: or turns: but was " + server));
        }
        boolean tls = "turns".equals(server.scheme());
        if (!tls && !"udp".equals(server.transport()) && !"tcp".equals(server.transport())) {
            return Mono.error(new UnsupportedOperationException("turn: over " + server.transport()
                    + " is not supported; use udp or tcp"));
        }
        boolean stream = tls || "tcp".equals(server.transport());
        return RESOLVER.resolve(server.host(), server.port()).flatMap(address -> Mono.defer(() -> {
            RandomGenerator ids = random.get();
            SendIds sendIds = new SendIds(ids);
            TurnAllocation core = new TurnAllocation(new TurnAllocationConfig(address, server.username(),
                    server.credential(), requested.lifetime(), stream ? streams.schedule() : schedule,
                    requested.family(), requested.dontFragment()), ids);
            RelaySession session = new RelaySession(core, scheduler, inbound, sendIds);
            InetSocketAddress local = localFor(address, locals);
            Mono<PacketSocket> socket = stream
                    ? TurnStreamSocket.connect(local, address, tls ? streams.ssl() : null, session::onPacket,
                            session::onTransportClosed)
                    : transport.bind(local, session::onPacket);
            Mono<RelaySession> started = socket.doOnError(e -> session.abandon()).flatMap(session::start);
            return metrics == IceMetrics.NONE ? started : counted(started);
        }));
    }

    /** The allocation told to the metrics: made, and later ended; or failed, with its code. */
    private Mono<RelaySession> counted(Mono<RelaySession> started) {
        return started.doOnNext(s -> {
            metrics.relayAllocated();
            // ended: closed (deleted, or after a failure) or lost (the agent closes it later, a user may not)
            Mono.firstWithSignal(s.onDispose(), s.lost().then())
                    .subscribe(null, e -> metrics.relayReleased(), metrics::relayReleased);
        }).doOnError(e -> metrics.relayAllocationFailed(failureCode(e)));
    }

    /**
     * The short name of why an Allocate failed, for the metrics: the server's error code, or what
     * happened instead (one of a few fixed words: never an address or a message).
     */
    static String failureCode(Throwable e) {
        if (e instanceof TurnRefusedException r) {
            return Integer.toString(r.code());
        }
        if (e instanceof TurnAuthenticationException a) {
            return a.code() == 0 ? "auth" : Integer.toString(a.code());
        }
        if (e instanceof TurnTimeoutException) {
            return "timeout";
        }
        if (e instanceof TurnTlsException) {
            return "tls";
        }
        return e instanceof TurnProtocolException ? "protocol" : "other";
    }

    /**
     * The configured {@link #localAddress} if it names an address; else the first of {@code locals} of the
     * server's family, port 0; else the configured wildcard.
     */
    private InetSocketAddress localFor(InetSocketAddress server, List<InetAddress> locals) {
        if (!localAddress.getAddress().isAnyLocalAddress()) {
            return localAddress;
        }
        boolean v4 = server.getAddress() instanceof Inet4Address;
        for (InetAddress l : locals) {
            if ((l instanceof Inet4Address) == v4) {
                return new InetSocketAddress(l, localAddress.getPort());
            }
        }
        return localAddress;
    }

    @Override
    public String toString() {
        return "TurnRelayAllocator[" + localAddress + ", " + schedule + ", " + requested + "]";
    }

    /** What each Allocate asks for besides UDP relaying. */
    private record Requested(Duration lifetime, ProtocolFamily family, boolean dontFragment) {
        static final Requested DEFAULT = new Requested(null, null, false);

        Requested withLifetime(Duration newLifetime) {
            return new Requested(newLifetime, family, dontFragment);
        }
    }
}
