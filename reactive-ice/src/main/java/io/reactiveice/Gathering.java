package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.agent.LocalCandidate;
import io.reactiveice.internal.gather.Foundations;
import io.reactiveice.internal.gather.HostAddresses;
import io.reactiveice.internal.transport.ServerResolver;
import io.reactiveice.transport.PacketSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Candidate gathering as pipelines (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1">RFC
 * 8445 section 5.1.1</a>): host addresses enumerated off the event loop, one socket bound per
 * address, then one Binding transaction per socket and STUN server for server-reflexive candidates.
 * An unreachable or unresolvable server costs at most its own transaction schedule and is logged; a
 * TURN server gets twice that schedule (its allocation takes two transactions, the challenge and the
 * authenticated request), so that end-of-candidates comes promptly without an uplink. Host
 * candidates are handed over as soon as their socket is bound.
 *
 * <p>Gathering produces values and hands them to its {@link Results}: the sockets it binds, the
 * datagrams they receive, the candidates (those the transport policy allows), a lost relayed
 * candidate, and the end of gathering. Candidates and the end are handed over on the session's
 * serialized context, which gathering is given as an {@link Executor}.
 */
final class Gathering {
    private static final Logger log = LoggerFactory.getLogger(Gathering.class);
    /** Server names are resolved off the event loop (STYLE.md: no DNS on a Netty thread). */
    private static final ServerResolver RESOLVER = ServerResolver.on(Schedulers.boundedElastic());

    /** What gathering produces, for its session to consume. */
    interface Results {
        /**
         * A socket is bound; on the thread that bound it.
         *
         * @throws IceConfigException if the session cannot take it (a shared port's ufrag clash); the
         *     socket is disposed then and the gathering fails
         */
        void socketBound(PacketSocket socket);

        /** A datagram arrived on the socket bound to {@code base}; on that socket's I/O thread. */
        void received(InetSocketAddress base, ByteBuf data, InetSocketAddress sender);

        /** A candidate is gathered; on the session's serialized context. */
        void candidateGathered(LocalCandidate candidate);

        /** A relayed candidate can no longer be used (its allocation is lost); on any thread. */
        void candidateLost(InetSocketAddress base);

        /** Gathering is complete (RFC 8838 end-of-candidates); on the session's serialized context. */
        void gatheringComplete();
    }

    private final SessionOptions options;
    private final String id;
    private final Executor serial;
    private final Results results;
    private final BindingRequests bindings; // null without STUN servers (most lite sessions): a session's heap counts
    private volatile Disposable reflexive;

    /**
     * @param id names the session in log lines
     * @param serial the session's serialized context, where candidates are made and handed over
     */
    Gathering(SessionOptions options, String id, Executor serial, Results results) {
        this.options = options;
        this.id = id;
        this.serial = serial;
        this.results = results;
        this.bindings = !options.lite() && options.iceServers().stream().anyMatch(s -> !s.isTurn())
                ? new BindingRequests(id, serial, options.random(), options.gatherSchedule(), options.scheduler()) : null;
    }

    /** Binds a socket per host address; completes when they are bound and handed over. */
    Mono<Void> bindHostSockets() {
        Mono<List<InetAddress>> addresses = options.hostAddresses() != null ? Mono.just(options.hostAddresses())
                : Mono.fromCallable(() -> HostAddresses.enumerate(options.hostPolicy()))
                        .subscribeOn(Schedulers.boundedElastic());
        return addresses
                .flatMapMany(list -> Flux.fromIterable(list).index()
                        .concatMap(t -> bind(t.getT2(), 0).map(s -> new Bound(s, t.getT1().intValue()))))
                .collectList()
                .doOnNext(bound -> {
                    serial.execute(() -> bound.forEach(b -> add(host(b))));
                    reflexive = gatherReflexive(bound).subscribe();
                })
                .then();
    }

    /** On the serialized context: whether a STUN message answers one of our Binding transactions. */
    boolean onStun(byte[] bytes, InetSocketAddress sender) {
        return bindings != null && bindings.onResponse(bytes, sender);
    }

    /** Stops what is still being gathered. */
    void dispose() {
        Disposable d = reflexive;
        if (d != null) {
            d.dispose();
        }
    }

    private record Bound(PacketSocket socket, int index) {
    }

    private Mono<PacketSocket> bind(InetAddress address, int attempt) {
        int min = options.portMin();
        int span = min == 0 ? 1 : options.portMax() - min + 1;
        int port = min == 0 ? 0 : min + attempt;
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        return options.transport()
                .bind(new InetSocketAddress(address, port), receiver(base))
                .doOnNext(socket -> {
                    base.set(socket.localAddress());
                    results.socketBound(socket);
                })
                .onErrorResume(e -> e instanceof IceConfigException ? Mono.error(e) // the configuration, not the port
                        : attempt + 1 < span ? bind(address, attempt + 1)
                        : Mono.error(new IllegalStateException("no free port for " + address.getHostAddress()
                                + (min == 0 ? "" : " in " + min + ".." + options.portMax()), e)));
    }

    /** Hands what a socket receives over with its base, once the socket is bound and its base known. */
    private PacketSocket.Receiver receiver(AtomicReference<InetSocketAddress> base) {
        return (data, sender) -> {
            InetSocketAddress b = base.get();
            if (b != null) {
                results.received(b, data, sender);
            }
        };
    }

    private LocalCandidate host(Bound b) {
        InetSocketAddress base = b.socket().localAddress();
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), HostAddresses.localPreference(b.index()), 1);
        String foundation = Foundations.of("host", base.getAddress(), null, "udp");
        return new LocalCandidate(IceCandidate.udp(foundation, 1, priority, base, CandidateType.HOST), base);
    }

    /** Hands a candidate over; with transport policy relay, only relayed ones count. */
    private void add(LocalCandidate c) {
        if (options.transportPolicy() == TransportPolicy.ALL || c.candidate().type() == CandidateType.RELAYED) {
            results.candidateGathered(c);
        }
    }

    /** Server-reflexive candidates: one Binding per socket and STUN server of the same family. */
    private Mono<Void> gatherReflexive(List<Bound> bound) {
        List<IceServer> stun = new ArrayList<>();
        List<IceServer> servers = options.lite() ? List.of() : options.iceServers(); // lite: host candidates only
        for (IceServer s : servers) {
            if (!s.isTurn() && "udp".equals(s.transport())) {
                stun.add(s);
            }
        }
        Flux<Void> relayed = Flux.fromIterable(options.relays() == null ? List.<IceServer>of() : servers)
                .filter(IceServer::isTurn)
                .flatMap(this::relay);
        return Flux.fromIterable(options.transportPolicy() == TransportPolicy.RELAY ? List.<IceServer>of() : stun)
                .flatMap(server -> RESOLVER.resolve(server.host(), server.port())
                        .flatMapMany(address -> Flux.fromIterable(bound)
                                .filter(b -> sameFamily(b.socket().localAddress().getAddress(), address.getAddress()))
                                .flatMap(b -> binding(b, server, address)))
                        .onErrorResume(e -> {
                            log.warn("[{}] STUN server {} gave no candidate: {}", id, server, e.toString());
                            return Mono.empty();
                        }))
                .then()
                .and(relayed.then())
                .doFinally(signal -> serial.execute(results::gatheringComplete));
    }

    /** A relayed candidate through the relay allocator (the TURN client). */
    private Mono<Void> relay(IceServer server) {
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        return options.relays().allocate(server, receiver(base))
                .timeout(options.gatherSchedule().total().multipliedBy(2),
                        Mono.error(() -> new TimeoutException("no allocation within "
                                + options.gatherSchedule().total().multipliedBy(2).toMillis()
                                + " ms, twice the gathering schedule")), options.scheduler())
                .doOnNext(socket -> {
                    base.set(socket.localAddress());
                    results.socketBound(socket);
                    socket.lost().subscribe(cause -> {
                        log.warn("[{}] relayed candidate {} lost: {}", id, socket.localAddress(), cause.toString());
                        results.candidateLost(socket.localAddress());
                    });
                    serial.execute(() -> add(relayed(socket, server)));
                })
                .onErrorResume(e -> {
                    log.warn("[{}] TURN server {} gave no relayed candidate: {}", id, server, e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private LocalCandidate relayed(RelayAllocator.RelayedSocket socket, IceServer server) {
        InetSocketAddress relayed = socket.localAddress();
        // an allocator that learned no mapped address gives the relayed one as raddr
        InetSocketAddress mapped = socket.mappedAddress() != null ? socket.mappedAddress() : relayed;
        long priority = CandidatePriority.of(CandidateType.RELAYED.typePreference(), HostAddresses.localPreference(0), 1);
        String foundation = Foundations.of("relay", relayed.getAddress(), server.toString(), "udp");
        return new LocalCandidate(new IceCandidate(foundation, 1, TransportProtocol.UDP, priority,
                relayed.getAddress().getHostAddress(), relayed.getPort(), CandidateType.RELAYED,
                mapped.getAddress().getHostAddress(), mapped.getPort(), null, List.of()), relayed);
    }

    private Mono<Void> binding(Bound b, IceServer server, InetSocketAddress address) {
        return bindings.mappedAddress(b.socket(), address)
                .doOnNext(mapped -> serial.execute(() -> {
                    InetSocketAddress base = b.socket().localAddress();
                    if (!mapped.equals(base)) { // else no NAT in between: the same as the host candidate
                        add(reflexive(b, server, mapped));
                    }
                }))
                .onErrorResume(e -> {
                    log.warn("[{}] STUN server {} via {}: {}", id, server, b.socket().localAddress(), e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private LocalCandidate reflexive(Bound b, IceServer server, InetSocketAddress mapped) {
        InetSocketAddress base = b.socket().localAddress();
        long priority = CandidatePriority.of(CandidateType.SERVER_REFLEXIVE.typePreference(),
                HostAddresses.localPreference(b.index()), 1);
        String foundation = Foundations.of("srflx", base.getAddress(), server.toString(), "udp");
        IceCandidate c = new IceCandidate(foundation, 1, TransportProtocol.UDP, priority,
                mapped.getAddress().getHostAddress(), mapped.getPort(), CandidateType.SERVER_REFLEXIVE,
                base.getAddress().getHostAddress(), base.getPort(), null, List.of());
        return new LocalCandidate(c, base);
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }
}
