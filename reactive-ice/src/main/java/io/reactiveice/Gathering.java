package io.reactiveice;

import io.netty.buffer.Unpooled;
import io.reactiveice.agent.LocalCandidate;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.IpLiteral;
import io.reactiveice.gather.Foundations;
import io.reactiveice.gather.HostAddresses;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.StunTransaction;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
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
 * candidates are handed to the agent as soon as their socket is bound.
 */
final class Gathering {
    private static final Logger log = LoggerFactory.getLogger(Gathering.class);
    private static final SecureRandom IDS = new SecureRandom();

    private final IceSession session;
    private final SessionOptions options;
    private final Foundations foundations = new Foundations(); // used on the session's worker only
    private StunMessageReader reader; // likewise; made on the first response to a gathering transaction
    private final Map<TransactionId, Sinks.One<InetSocketAddress>> pending = new ConcurrentHashMap<>();
    private final List<LocalCandidate> gathered = new CopyOnWriteArrayList<>();
    private volatile boolean complete;
    private volatile Disposable reflexive;

    Gathering(IceSession session, SessionOptions options) {
        this.session = session;
        this.options = options;
    }

    /** Binds a socket per host address; completes when they are bound and handed to the agent. */
    Mono<Void> bindHostSockets() {
        Mono<List<InetAddress>> addresses = options.hostAddresses() != null ? Mono.just(options.hostAddresses())
                : Mono.fromCallable(() -> HostAddresses.enumerate(options.hostPolicy()))
                        .subscribeOn(Schedulers.boundedElastic());
        return addresses
                .flatMapMany(list -> Flux.fromIterable(list).index()
                        .concatMap(t -> bind(t.getT2(), 0).map(s -> new Bound(s, t.getT1().intValue()))))
                .collectList()
                .doOnNext(bound -> {
                    session.run(() -> bound.forEach(b -> add(host(b))));
                    reflexive = gatherReflexive(bound).subscribe();
                })
                .then();
    }

    private record Bound(PacketSocket socket, int index) {
    }

    private Mono<PacketSocket> bind(InetAddress address, int attempt) {
        int min = options.portMin();
        int span = min == 0 ? 1 : options.portMax() - min + 1;
        int port = min == 0 ? 0 : min + attempt;
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        return options.transport()
                .bind(new InetSocketAddress(address, port), (data, sender) -> {
                    InetSocketAddress b = base.get();
                    if (b != null) {
                        session.onPacket(b, data, sender);
                    }
                })
                .doOnNext(socket -> {
                    base.set(socket.localAddress());
                    session.register(socket);
                })
                .onErrorResume(e -> e instanceof IceConfigException ? Mono.error(e) // the configuration, not the port
                        : attempt + 1 < span ? bind(address, attempt + 1)
                        : Mono.error(new IllegalStateException("no free port for " + address.getHostAddress()
                                + (min == 0 ? "" : " in " + min + ".." + options.portMax()), e)));
    }

    private LocalCandidate host(Bound b) {
        InetSocketAddress base = b.socket().localAddress();
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), HostAddresses.localPreference(b.index()), 1);
        String foundation = foundations.of("host", base.getAddress(), null, "udp");
        return new LocalCandidate(IceCandidate.udp(foundation, 1, priority, base, CandidateType.HOST), base);
    }

    /** Hands a candidate to the agent and signals it; with transport policy relay, only relayed ones count. */
    private void add(LocalCandidate c) {
        boolean use = options.transportPolicy() == TransportPolicy.ALL || c.candidate().type() == CandidateType.RELAYED;
        if (use) {
            gathered.add(c);
            session.addLocal(c, true);
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
                .flatMap(server -> resolve(server)
                        .flatMapMany(address -> Flux.fromIterable(bound)
                                .filter(b -> sameFamily(b.socket().localAddress().getAddress(), address.getAddress()))
                                .flatMap(b -> binding(b, server, address)))
                        .onErrorResume(e -> {
                            log.warn("[{}] STUN server {} gave no candidate: {}", session.id(), server, e.toString());
                            return Mono.empty();
                        }))
                .then()
                .and(relayed.then())
                .doFinally(signal -> session.run(() -> {
                    complete = true;
                    session.gatheringComplete();
                }));
    }

    /** A relayed candidate through the relay allocator (the TURN client). */
    private Mono<Void> relay(IceServer server) {
        AtomicReference<InetSocketAddress> base = new AtomicReference<>();
        return options.relays().allocate(server, (data, sender) -> {
                    InetSocketAddress b = base.get();
                    if (b != null) {
                        session.onPacket(b, data, sender);
                    }
                })
                .timeout(options.gatherSchedule().total().multipliedBy(2),
                        Mono.error(() -> new TimeoutException("no allocation within "
                                + options.gatherSchedule().total().multipliedBy(2).toMillis()
                                + " ms, twice the gathering schedule")), options.scheduler())
                .doOnNext(socket -> {
                    base.set(socket.localAddress());
                    session.register(socket);
                    socket.lost().subscribe(cause -> {
                        log.warn("[{}] relayed candidate {} lost: {}", session.id(), socket.localAddress(),
                                cause.toString());
                        session.localCandidateLost(socket.localAddress());
                    });
                    session.run(() -> {
                        InetSocketAddress relayed = socket.localAddress();
                        // an allocator that learned no mapped address gives the relayed one as raddr
                        InetSocketAddress mapped = socket.mappedAddress() != null ? socket.mappedAddress() : relayed;
                        long priority = CandidatePriority.of(CandidateType.RELAYED.typePreference(),
                                HostAddresses.localPreference(0), 1);
                        String foundation = foundations.of("relay", relayed.getAddress(), server.toString(), "udp");
                        add(new LocalCandidate(new IceCandidate(foundation, 1,
                                io.reactiveice.candidate.TransportProtocol.UDP, priority,
                                relayed.getAddress().getHostAddress(), relayed.getPort(), CandidateType.RELAYED,
                                mapped.getAddress().getHostAddress(), mapped.getPort(), null, List.of()), relayed));
                    });
                })
                .onErrorResume(e -> {
                    log.warn("[{}] TURN server {} gave no relayed candidate: {}", session.id(), server, e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /** The server's address: a literal directly, a name through DNS off the event loop. */
    private Mono<InetSocketAddress> resolve(IceServer server) {
        InetAddress literal = IpLiteral.parse(server.host());
        if (literal != null) {
            return Mono.just(new InetSocketAddress(literal, server.port()));
        }
        return Mono.fromCallable(() -> new InetSocketAddress(InetAddress.getByName(server.host()), server.port()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Void> binding(Bound b, IceServer server, InetSocketAddress address) {
        return Mono.defer(() -> {
            TransactionId id = TransactionId.random(IDS);
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int n = new StunMessageWriter().begin(buffer, StunMethod.BINDING, StunClass.REQUEST, id).putFingerprint().finish();
            byte[] request = new byte[n];
            buffer.get(0, request, 0, n);
            Sinks.One<InetSocketAddress> response = Sinks.one();
            pending.put(id, response);
            return StunTransaction.run(address, () -> b.socket().send(Unpooled.wrappedBuffer(request), address),
                            response.asMono(), options.gatherSchedule(), options.scheduler())
                    .doFinally(signal -> pending.remove(id));
        }).doOnNext(mapped -> session.run(() -> {
            InetSocketAddress base = b.socket().localAddress();
            if (mapped.equals(base)) {
                return; // no NAT in between: the same as the host candidate
            }
            long priority = CandidatePriority.of(CandidateType.SERVER_REFLEXIVE.typePreference(),
                    HostAddresses.localPreference(b.index()), 1);
            String foundation = foundations.of("srflx", base.getAddress(), server.toString(), "udp");
            IceCandidate c = new IceCandidate(foundation, 1, io.reactiveice.candidate.TransportProtocol.UDP, priority,
                    mapped.getAddress().getHostAddress(), mapped.getPort(), CandidateType.SERVER_REFLEXIVE,
                    base.getAddress().getHostAddress(), base.getPort(), null, List.of());
            add(new LocalCandidate(c, base));
        })).onErrorResume(e -> {
            log.warn("[{}] STUN server {} via {}: {}", session.id(), server, b.socket().localAddress(), e.toString());
            return Mono.empty();
        }).then();
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }

    /** On the worker: whether a STUN message answers one of our gathering transactions. */
    boolean onStun(byte[] bytes, InetSocketAddress sender) {
        if (pending.isEmpty()) {
            return false; // e.g. every lite session, and every session once gathering is over
        }
        if (reader == null) {
            reader = new StunMessageReader();
        }
        if (!reader.tryRead(bytes, 0, bytes.length) || !reader.messageClass().isResponse()) {
            return false;
        }
        Sinks.One<InetSocketAddress> sink = pending.get(reader.transactionId());
        if (sink == null) {
            return false;
        }
        int i = reader.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS);
        if (reader.messageClass() == StunClass.SUCCESS_RESPONSE && i >= 0
                && (!reader.hasFingerprint() || reader.fingerprintMatches())) {
            try {
                sink.tryEmitValue(reader.xorAddress(i));
            } catch (RuntimeException malformed) {
                log.debug("[{}] malformed Binding response from {}", session.id(), sender);
            }
        }
        return true;
    }

    /** After a restart: the new generation of candidates is the same set, on the same sockets. */
    void replayTo(Sinks.Many<IceCandidate> sink) {
        gathered.forEach(c -> sink.tryEmitNext(session.signalled(c.candidate()))); // those the policy allows

        if (complete) {
            sink.tryEmitComplete();
        }
    }

    void dispose() {
        Disposable d = reflexive;
        if (d != null) {
            d.dispose();
        }
    }
}
