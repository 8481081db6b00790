package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.GatheringError;
import io.reactiveice.candidate.AnnouncedAddress;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.agent.LocalCandidate;
import io.reactiveice.internal.gather.Foundations;
import io.reactiveice.internal.gather.HostAddresses;
import io.reactiveice.internal.tcp.TcpPriority;
import io.reactiveice.internal.transport.ServerResolver;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.StunErrorResponseException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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
 *
 * <p>With a {@link NetworkMonitor} (issue 13, continual gathering) the host addresses are the
 * monitor's first change, and gathering goes on: an address that appears gets a socket, a host and
 * server-reflexive candidates (and a relayed one when the session has no live relay); one that
 * disappears makes its host socket's candidates, and a relay whose mapped address it was, lost
 * ({@link Results#candidateLost}). Changes are handled one after the other, in the monitor's order.
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

        /**
         * The candidates on {@code base} can no longer be used (a relay's allocation is lost, or the
         * local address of a host socket disappeared): removed, their pairs failed, the socket closed;
         * on any thread.
         */
        void candidateLost(InetSocketAddress base);

        /**
         * A datagram to {@code remote} from {@code base} can no longer be delivered at all: the TCP
         * connection of that pair closed or could not be opened; on any thread.
         */
        void unreachable(InetSocketAddress base, InetSocketAddress remote);

        /** Gathering is complete (RFC 8838 end-of-candidates); on the session's serialized context. */
        void gatheringComplete();

        /** A STUN or TURN server gave no candidate; on the session's serialized context. */
        void gatheringError(GatheringError error);
    }

    private final SessionOptions options;
    private final String id;
    private final Executor serial;
    private final Results results;
    private final BindingRequests bindings; // null without STUN servers (most lite sessions): a session's heap counts
    private volatile Disposable reflexive;
    // with a monitor only (null without, a session's heap counts): what goes on gathering, the host
    // sockets by address and the live relays, read when an address disappears
    private volatile Disposable.Composite continual;
    private List<Bound> hosts;
    private List<RelayAllocator.RelayedSocket> relays;

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

    /**
     * Binds a socket per host address; completes when they are bound and handed over. With a monitor,
     * the addresses are its first change, and later ones keep gathering until {@link #dispose()}.
     */
    Mono<Void> bindHostSockets() {
        if (options.hostAddresses() == null && options.monitor() != null) {
            return watch(options.monitor());
        }
        Mono<List<InetAddress>> addresses = options.hostAddresses() != null ? Mono.just(options.hostAddresses())
                : Mono.fromCallable(() -> HostAddresses.enumerate(options.hostPolicy()))
                        .subscribeOn(Schedulers.boundedElastic());
        return addresses.flatMap(this::initial);
    }

    private Mono<Void> initial(List<InetAddress> list) {
        return bindUdp(list, list)
                .flatMap(bound -> bindTcp(list, list, bound, true).doOnNext(tcp -> {
                    if (hosts != null) {
                        hosts.addAll(bound);
                        hosts.addAll(tcp);
                    }
                    serial.execute(() -> {
                        bound.forEach(this::addHost);
                        tcp.forEach(this::addTcpHost);
                    });
                    reflexive = gatherReflexive(bound, true)
                            .doFinally(signal -> serial.execute(results::gatheringComplete)).subscribe();
                }))
                .then();
    }

    /** A UDP socket on each of {@code addresses} (none without UDP), each with its index in {@code order}. */
    private Mono<List<Bound>> bindUdp(List<InetAddress> addresses, List<InetAddress> order) {
        if (!options.udp()) {
            return Mono.just(List.of());
        }
        return Flux.fromIterable(addresses).concatMap(a -> bind(a, 0).map(s -> new Bound(s, order.indexOf(a)))).collectList();
    }

    /**
     * With ICE-TCP, on each of {@code addresses} a passive TCP socket and, for a full agent, an active one
     * (RFC 6544 section 5.1); none without. A passive socket's port differs from the UDP socket's on its
     * address ({@code udp}), so that every base names one socket.
     */
    private Mono<List<Bound>> bindTcp(List<InetAddress> addresses, List<InetAddress> order, List<Bound> udp,
            boolean first) {
        if (!options.tcp()) {
            return Mono.just(List.of());
        }
        SharedTcpPort shared = options.sharedTcp();
        return Flux.fromIterable(addresses).concatMap(a -> {
            int index = order.indexOf(a);
            Mono<Bound> passive = shared == null ? listen(a, udp, 0).map(s -> new Bound(s, index))
                    : first && index == 0 ? Mono.fromCallable(() -> new Bound(view(shared), 0)) // the port's, once
                    : Mono.empty();
            if (options.lite()) { // a lite agent opens nothing: passive only
                return passive;
            }
            AtomicReference<InetSocketAddress> base = new AtomicReference<>();
            TcpActiveSocket active = new TcpActiveSocket(a, receiver(base), results::unreachable);
            base.set(active.localAddress());
            return passive.concatWith(Mono.fromCallable(() -> {
                results.socketBound(active);
                return new Bound(active, index);
            }));
        }).collectList();
    }

    /** This session's view of the shared TCP port, registered (its ufrag routed) like a socket bound. */
    private PacketSocket view(SharedTcpPort shared) {
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        SharedTcpPortSocket view = shared.view(receiver(base), results::unreachable);
        base.set(view.localAddress());
        results.socketBound(view);
        return view;
    }

    private Mono<PacketSocket> listen(InetAddress address, List<Bound> udp, int attempt) {
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        return TcpPassiveSocket.listen(new InetSocketAddress(address, 0), receiver(base), results::unreachable)
                .flatMap(socket -> {
                    boolean clash = udp.stream().anyMatch(b -> b.socket().localAddress().equals(socket.localAddress()));
                    if (clash && attempt < 3) { // UDP and TCP ports are apart in the kernel, not in a base
                        socket.dispose();
                        return listen(address, udp, attempt + 1);
                    }
                    base.set(socket.localAddress());
                    results.socketBound(socket);
                    return Mono.just((PacketSocket) socket);
                });
    }

    /**
     * The TCP host candidate of a passive or active socket (RFC 6544 sections 4.2 and 4.5); with an
     * {@link AnnouncedAddress} for its address, as for UDP, that address in its place or beside it.
     */
    private void addTcpHost(Bound b) {
        InetSocketAddress base = b.socket().localAddress();
        TcpType type = b.socket() instanceof TcpActiveSocket ? TcpType.ACTIVE : TcpType.PASSIVE;
        int other = Math.max(0, TcpPriority.MAX_OTHER_PREFERENCE - b.index());
        AnnouncedAddress announcement = options.announcement(base.getAddress());
        boolean asHost = announcement != null && announcement.kind() == AnnouncedAddress.Kind.HOST;
        String address = (asHost ? announcement.announced() : base.getAddress()).getHostAddress();
        add(new LocalCandidate(new IceCandidate(Foundations.of("host", base.getAddress(), null, "tcp"), 1,
                TransportProtocol.TCP, TcpPriority.of(CandidateType.HOST, type, other, 1), address, base.getPort(),
                CandidateType.HOST, null, -1, type, List.of()), base));
        if (announcement != null && !asHost) {
            add(new LocalCandidate(new IceCandidate(Foundations.of("srflx", base.getAddress(), "announced "
                    + announcement.announced().getHostAddress(), "tcp"), 1, TransportProtocol.TCP,
                    TcpPriority.of(CandidateType.SERVER_REFLEXIVE, type, other, 1),
                    announcement.announced().getHostAddress(), base.getPort(), CandidateType.SERVER_REFLEXIVE,
                    base.getAddress().getHostAddress(), base.getPort(), type, List.of()), base, null, null));
        }
    }

    /** Gathers on the monitor's first change, then follows the others; completes once the first is bound. */
    private Mono<Void> watch(NetworkMonitor monitor) {
        Sinks.Empty<Void> started = Sinks.empty();
        hosts = new CopyOnWriteArrayList<>();
        relays = new CopyOnWriteArrayList<>();
        Disposable.Composite all = Disposables.composite();
        continual = all;
        boolean[] first = {true}; // read and written in the serial concatMap only
        all.add(monitor.changes().concatMap(change -> {
            if (first[0]) {
                first[0] = false;
                return initial(change.addresses()).doOnSuccess(v -> started.tryEmitEmpty());
            }
            return changed(change);
        }).subscribe(v -> { }, started::tryEmitError));
        return started.asMono();
    }

    /** An address change after the first: the gone ones are lost, the new ones gathered on. */
    private Mono<Void> changed(NetworkMonitor.Change change) {
        for (InetAddress gone : change.disappeared()) {
            log.info("[{}] local address {} disappeared", id, gone.getHostAddress());
            for (Bound b : hosts) {
                if (b.socket().localAddress().getAddress().equals(gone)) {
                    hosts.remove(b);
                    results.candidateLost(b.socket().localAddress());
                }
            }
            for (RelayAllocator.RelayedSocket r : relays) {
                if (gone.equals(r.clientAddress())
                        || r.mappedAddress() != null && r.mappedAddress().getAddress().equals(gone)) {
                    relays.remove(r);
                    results.candidateLost(r.localAddress());
                }
            }
        }
        return Flux.fromIterable(change.appeared())
                .doOnNext(a -> log.info("[{}] local address {} appeared", id, a.getHostAddress()))
                .concatMap(a -> bindUdp(List.of(a), change.addresses()).flatMap(udp -> bindTcp(List.of(a),
                        change.addresses(), udp, false).map(tcp -> List.of(udp, tcp)))
                        .onErrorResume(e -> {
                            log.warn("[{}] no socket on the new address {}: {}", id, a.getHostAddress(), e.toString());
                            return Mono.empty();
                        }))
                .collectList()
                .doOnNext(both -> {
                    List<Bound> bound = both.stream().flatMap(l -> l.get(0).stream()).toList();
                    List<Bound> tcp = both.stream().flatMap(l -> l.get(1).stream()).toList();
                    hosts.addAll(bound);
                    hosts.addAll(tcp);
                    serial.execute(() -> {
                        bound.forEach(this::addHost);
                        tcp.forEach(this::addTcpHost);
                    });
                    Disposable.Composite all = continual;
                    if (all != null && !bound.isEmpty()) {
                        all.add(gatherReflexive(bound, relays.isEmpty()).subscribe());
                    }
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
        Disposable.Composite all = continual;
        if (all != null) {
            all.dispose();
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

    /**
     * The host candidate of a socket; with an {@link AnnouncedAddress} for its address, that address
     * with the socket's port in its place ({@code HOST}) or as a server-reflexive candidate beside it.
     */
    private void addHost(Bound b) {
        InetSocketAddress base = b.socket().localAddress();
        AnnouncedAddress announcement = options.announcement(base.getAddress());
        InetSocketAddress announced = announcement == null ? null : new InetSocketAddress(announcement.announced(), base.getPort());
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), HostAddresses.localPreference(b.index()), 1);
        String foundation = Foundations.of("host", base.getAddress(), null, "udp");
        boolean asHost = announcement != null && announcement.kind() == AnnouncedAddress.Kind.HOST;
        add(new LocalCandidate(IceCandidate.udp(foundation, 1, priority, asHost ? announced : base, CandidateType.HOST),
                base));
        if (announcement != null && !asHost) {
            add(reflexive(b, "announced " + announcement.announced().getHostAddress(), announced, null));
        }
    }

    /** Hands a candidate over; with transport policy relay, only relayed ones count. */
    private void add(LocalCandidate c) {
        if (options.transportPolicy() == TransportPolicy.ALL || c.candidate().type() == CandidateType.RELAYED) {
            results.candidateGathered(c);
        }
    }

    /**
     * Server-reflexive candidates: one Binding per socket and STUN server of the same family; and the
     * relayed ones if {@code withRelays}.
     */
    private Mono<Void> gatherReflexive(List<Bound> bound, boolean withRelays) {
        List<IceServer> stun = new ArrayList<>();
        List<IceServer> servers = options.lite() ? List.of() : options.iceServers(); // lite: host candidates only
        for (IceServer s : servers) {
            if (!s.isTurn() && "udp".equals(s.transport())) {
                stun.add(s);
            }
        }
        Flux<Void> relayed = Flux.fromIterable(options.relays() == null || !withRelays || !options.udp() ? List.<IceServer>of()
                : servers)
                .filter(IceServer::isTurn)
                .flatMap(server -> relay(server, bound.stream().map(b -> b.socket().localAddress().getAddress()).toList()));
        return Flux.fromIterable(options.transportPolicy() == TransportPolicy.RELAY ? List.<IceServer>of() : stun)
                .flatMap(server -> RESOLVER.resolve(server.host(), server.port())
                        .flatMapMany(address -> Flux.fromIterable(bound)
                                .filter(b -> sameFamily(b.socket().localAddress().getAddress(), address.getAddress()))
                                .flatMap(b -> binding(b, server, address)))
                        .onErrorResume(e -> {
                            log.warn("[{}] STUN server {} gave no candidate: {}", id, server, e.toString());
                            failed(server, e);
                            return Mono.empty();
                        }))
                .then()
                .and(relayed.then());
    }

    /** A relayed candidate through the relay allocator (the TURN client), from the first of {@code locals} it can use. */
    private Mono<Void> relay(IceServer server, List<InetAddress> locals) {
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        return options.relays().allocate(server, locals, receiver(base))
                .timeout(options.gatherSchedule().total().multipliedBy(2),
                        Mono.error(() -> new TimeoutException("no allocation within "
                                + options.gatherSchedule().total().multipliedBy(2).toMillis()
                                + " ms, twice the gathering schedule")), options.scheduler())
                .doOnNext(socket -> {
                    base.set(socket.localAddress());
                    results.socketBound(socket);
                    if (relays != null) {
                        relays.add(socket);
                    }
                    socket.lost().subscribe(cause -> {
                        log.warn("[{}] relayed candidate {} lost: {}", id, socket.localAddress(), cause.toString());
                        if (relays == null || relays.remove(socket)) {
                            results.candidateLost(socket.localAddress());
                        }
                    });
                    serial.execute(() -> add(relayed(socket, server)));
                })
                .onErrorResume(e -> {
                    log.warn("[{}] TURN server {} gave no relayed candidate: {}", id, server, e.toString());
                    failed(server, e);
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
                mapped.getAddress().getHostAddress(), mapped.getPort(), null, List.of()), relayed, url(server),
                relayProtocol(server));
    }

    private Mono<Void> binding(Bound b, IceServer server, InetSocketAddress address) {
        return bindings.mappedAddress(b.socket(), address)
                .doOnNext(mapped -> serial.execute(() -> {
                    InetSocketAddress base = b.socket().localAddress();
                    if (!mapped.equals(base)) { // else no NAT in between: the same as the host candidate
                        add(reflexive(b, server.toString(), mapped, url(server)));
                    }
                }))
                .onErrorResume(e -> {
                    log.warn("[{}] STUN server {} via {}: {}", id, server, b.socket().localAddress(), e.toString());
                    failed(server, e);
                    return Mono.empty();
                })
                .then();
    }

    /**
     * A server-reflexive candidate of {@code mapped} on {@code b}, learned from {@code server} (a STUN
     * server, whose {@code url} it keeps, or an announcement).
     */
    private LocalCandidate reflexive(Bound b, String server, InetSocketAddress mapped, String url) {
        InetSocketAddress base = b.socket().localAddress();
        long priority = CandidatePriority.of(CandidateType.SERVER_REFLEXIVE.typePreference(),
                HostAddresses.localPreference(b.index()), 1);
        String foundation = Foundations.of("srflx", base.getAddress(), server, "udp");
        IceCandidate c = new IceCandidate(foundation, 1, TransportProtocol.UDP, priority,
                mapped.getAddress().getHostAddress(), mapped.getPort(), CandidateType.SERVER_REFLEXIVE,
                base.getAddress().getHostAddress(), base.getPort(), null, List.of());
        return new LocalCandidate(c, base, url, null);
    }

    /**
     * A server's URI as W3C webrtc-stats' {@code url} has it, without its credentials:
     * {@code stun:host:port}, {@code turn:host:port?transport=tcp}, {@code turns:host:port}.
     */
    static String url(IceServer server) {
        String host = server.host().indexOf(':') >= 0 ? "[" + server.host() + "]" : server.host();
        boolean tcp = "tcp".equals(server.transport()) && !server.scheme().endsWith("s");
        return server.scheme() + ":" + host + ":" + server.port() + (tcp ? "?transport=tcp" : "");
    }

    /** How a relayed candidate's TURN server is reached, as W3C {@code relayProtocol}: {@code udp}, {@code tcp} or {@code tls}. */
    static String relayProtocol(IceServer server) {
        return server.scheme().equals("turns") ? "tls" : server.transport();
    }

    /** Tells the session that {@code server} gave no candidate, and why (W3C's icecandidateerror). */
    private void failed(IceServer server, Throwable e) {
        int code = e instanceof StunErrorResponseException s ? s.code() : 0;
        String cause = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        GatheringError error = new GatheringError(url(server), code, cause);
        serial.execute(() -> results.gatheringError(error));
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }
}
