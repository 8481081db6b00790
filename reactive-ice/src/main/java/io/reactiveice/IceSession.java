package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.CoreConfig;
import io.reactiveice.agent.IceAgentCore;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceEvent;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.LocalCandidate;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.NotUnicastException;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.gather.MdnsMessages;
import io.reactiveice.internal.runner.MachineRunner;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.transport.MdnsResolver;
import io.reactiveice.transport.MdnsResponder;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A running ICE agent for one data stream: what {@link IceAgent#start()} gives. It gathers and
 * trickles local candidates, takes the peer's credentials and candidates at any time, checks,
 * nominates, keeps the selected pair fresh, and carries application datagrams over it through
 * {@link #connect()}.
 *
 * <p>Every input goes through one serialized context: a worker of the configured {@link Scheduler},
 * which also runs every protocol timer. The protocol state lives in an {@link IceAgentCore} that
 * only this worker touches; other threads read immutable snapshots (the selected pair, the state).
 * Application data bypasses the worker entirely.
 */
public final class IceSession implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(IceSession.class);

    private final IceAgentCore core;
    private final SessionOptions options;
    private final MachineRunner<IceEvent> runner;
    private final String id;
    /**
     * The chunk size of the local candidates' replay buffer: a session has a handful of candidates, and
     * Reactor's default chunk (256 slots) would be most of an idle lite session's heap.
     */
    private static final int CANDIDATE_BATCH = 8;

    // Sized for the usual one socket and one valid remote: an idle session's maps are part of its footprint.
    private final Map<InetSocketAddress, PacketSocket> sockets = new ConcurrentHashMap<>(2);
    private final Sinks.Many<IceState> states = Sinks.many().replay().latest();
    private final Sinks.Many<CandidatePair> selectedPairs = Sinks.many().replay().latest();
    private final IceConnection connection;
    private final Gathering gathering;
    private volatile Sinks.Many<IceCandidate> localCandidates = Sinks.many().replay().all(CANDIDATE_BATCH);
    private volatile CandidatePair selected;
    private volatile IceState state = IceState.NEW;
    private volatile IceCredentials localCredentials;
    private final RemoteAdmission admission;
    private volatile Map<String, String> mdnsNames; // host address -> published name; only when publishing names
    private final AtomicBoolean closed = new AtomicBoolean();

    IceSession(CoreConfig config, IceCredentials credentials, SessionOptions options) {
        this.core = new IceAgentCore(config, credentials, options.random());
        this.options = options;
        this.runner = new MachineRunner<>(core, options.scheduler(), new Output(), credentials.ufrag());
        this.localCredentials = credentials;
        this.id = credentials.ufrag();
        this.connection = new IceConnection(this);
        this.admission = new RemoteAdmission(connection, options.scheduler(), runner.worker());
        this.gathering = new Gathering(this, options);
        states.tryEmitNext(IceState.NEW);
    }

    Mono<Void> start() {
        return gathering.bindHostSockets();
    }

    // ---- the public API ----------------------------------------------------------------------

    /** Our credentials, to signal to the peer (they change with {@link #restart()}). */
    public IceCredentials localCredentials() {
        return localCredentials;
    }

    /**
     * Our candidates, trickled as they are gathered; completes when gathering is done (RFC 8838
     * end-of-candidates). Replays to late subscribers. After {@link #restart()} a new generation starts.
     */
    public Flux<IceCandidate> localCandidates() {
        return localCandidates.asFlux();
    }

    /** Sets the peer's credentials; new ones after earlier ones mean the peer restarted ICE. */
    public void setRemoteCredentials(IceCredentials remote) {
        Objects.requireNonNull(remote, "remote");
        run(() -> core.setRemoteCredentials(now(), remote));
    }

    /**
     * Sets the peer's ICE parameters from its description: credentials, and whether it is an ICE-lite
     * agent, in which case a full agent takes the controlling role (RFC 8445 section 6.1.1).
     */
    public void setRemoteParameters(IceParameters remote) {
        Objects.requireNonNull(remote, "remote");
        IceCredentials credentials = new IceCredentials(remote.ufrag(), remote.pwd());
        run(() -> {
            if (remote.lite()) {
                core.setRemoteLite(now());
            }
            core.setRemoteCredentials(now(), credentials);
        });
    }

    /**
     * Our ICE parameters for a description: credentials and, for a lite agent, {@code ice-lite}
     * (RFC 8839 section 5.3); they change with {@link #restart()}.
     */
    public IceParameters localParameters() {
        IceCredentials c = localCredentials;
        return new IceParameters(c.ufrag(), c.pwd(), List.of("trickle"), isLite());
    }

    /** Whether this is an ICE-lite agent ({@link IceAgent#lite(boolean)}). */
    public boolean isLite() {
        return options.lite();
    }

    /**
     * Adds a peer's candidate, at any time (trickle ICE). An mDNS candidate ({@code <uuid>.local}) is
     * resolved first with the agent's {@link IceAgent#mdnsResolver resolver}; without one, or when
     * nobody answers in time, it is dropped quietly and the peer is found as peer-reflexive instead.
     * A name that resolves to an address that is not a unicast peer is dropped and counted.
     *
     * @throws NotUnicastException naming {@code address} or {@code port} when the candidate's IP
     *     address is not a unicast peer: port 0, unspecified, multicast or broadcast, also in
     *     IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 form (see {@link UnicastAddress}); no check is ever sent to it
     */
    public void addRemoteCandidate(IceCandidate candidate) {
        UnicastAddress.requireUnicast(Objects.requireNonNull(candidate, "candidate"));
        if (!candidate.hasIpAddress() && MdnsMessages.isMdnsName(candidate.address())) {
            MdnsResolver mdns = options.mdns();
            if (mdns == null) {
                log.debug("[{}] mDNS candidate {} dropped: no mdnsResolver", id, candidate.address());
                return;
            }
            mdns.resolve(candidate.address())
                    .switchIfEmpty(Mono.fromRunnable(() -> log.debug("[{}] mDNS candidate {} dropped: nobody answered",
                            id, candidate.address())))
                    .subscribe(ip -> {
                        log.debug("[{}] mDNS candidate {} is {}", id, candidate.address(), ip.getHostAddress());
                        if (!closed.get()) {
                            IceCandidate resolved = candidate.withAddress(ip.getHostAddress());
                            run(() -> core.addRemoteCandidate(now(), resolved)); // refuses a non-unicast answer
                        }
                    }, e -> log.debug("[{}] mDNS candidate {} dropped: {}", id, candidate.address(), e.toString()));
            return;
        }
        run(() -> core.addRemoteCandidate(now(), candidate));
    }

    /**
     * Adds a peer's candidate given as an SDP line (RFC 8839), with or without {@code a=} and
     * {@code candidate:}.
     *
     * @throws io.reactiveice.sdp.SdpParseException naming the malformed field, also
     *     {@code connection-address} or {@code port} when the address is not a unicast peer
     */
    public void addRemoteCandidate(String sdpLine) {
        addRemoteCandidate(CandidateLine.parse(sdpLine));
    }

    /** The peer signalled end-of-candidates (RFC 8838). */
    public void remoteEndOfCandidates() {
        run(() -> core.remoteEndOfCandidates(now()));
    }

    /** The selected pair: emitted when first nominated and again when it changes; ends when the agent fails or closes. */
    public Flux<CandidatePair> selectedPairs() {
        return selectedPairs.asFlux();
    }

    /** The transport state, as W3C {@code RTCIceTransportState}; replays the current one. */
    public Flux<IceState> states() {
        return states.asFlux();
    }

    /** The current state. */
    public IceState state() {
        return state;
    }

    /** The current role (it may change after a role conflict). */
    public IceRole role() {
        return core.role();
    }

    /** The selected pair now, or {@code null}. */
    public CandidatePair selectedPair() {
        return selected;
    }

    /**
     * The data connection: completes when a pair is selected, fails with {@link IceFailedException}
     * if the agent fails or closes first.
     */
    public Mono<IceConnection> connect() {
        return selectedPairs().next()
                .switchIfEmpty(Mono.error(() -> new IceFailedException("ICE " + state + " before a pair was selected")))
                .thenReturn(connection);
    }

    /**
     * ICE restart (RFC 8445 section 9): new credentials and a new generation of local candidates; the
     * old pair keeps carrying data until the new one is selected.
     *
     * @return the new credentials, to signal to the peer with the new candidates
     */
    public Mono<IceCredentials> restart() {
        IceCredentials fresh = IceCredentials.generate(options.random());
        Sinks.Many<IceCandidate> next = Sinks.many().replay().all(CANDIDATE_BATCH);
        return Mono.<IceCredentials>create(sink -> {
            boolean accepted = run(() -> {
                try {
                    routeOnSharedPorts(fresh);
                } catch (IceConfigException e) { // another session on the shared port has this ufrag
                    sink.error(e);
                    return;
                }
                localCredentials = fresh;
                Sinks.Many<IceCandidate> old = localCandidates;
                localCandidates = next;
                old.tryEmitComplete();
                core.restart(now(), fresh);
                gathering.replayTo(next);
                sink.success(fresh);
            });
            if (!accepted) {
                sink.error(new IllegalStateException("the session is disposed; it cannot restart"));
            }
        });
    }

    /**
     * Routes the new ufrag on every shared port, all or none: if one port refuses it, the ports that
     * took it already forget it again. Then each keeps only the new ufrag and the one before.
     */
    private void routeOnSharedPorts(IceCredentials fresh) {
        List<SharedPortSocket> routed = new ArrayList<>(1);
        try {
            for (PacketSocket socket : sockets.values()) {
                if (socket instanceof SharedPortSocket shared && shared.route(fresh)) {
                    routed.add(shared);
                }
            }
        } catch (IceConfigException e) {
            routed.forEach(shared -> shared.unroute(fresh.ufrag()));
            throw e;
        }
        for (PacketSocket socket : sockets.values()) {
            if (socket instanceof SharedPortSocket shared) {
                shared.keepNewestUfrags();
            }
        }
    }

    /** Closes the agent: every socket and timer is released; idempotent. */
    @Override
    public void dispose() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        gathering.dispose();
        MdnsResponder names = options.mdnsNames();
        Map<String, String> published = mdnsNames;
        if (names != null && published != null) {
            published.values().forEach(names::unpublish);
        }
        run(() -> {
            core.close();
            runner.drainOutput();
            sockets.values().forEach(PacketSocket::dispose);
            sockets.clear();
            localCandidates.tryEmitComplete();
            connection.close();
            runner.stop();
        });
    }

    @Override
    public boolean isDisposed() {
        return closed.get();
    }

    // ---- the serialized context ----------------------------------------------------------------

    /**
     * Runs an input on the session's {@link MachineRunner}, which then sends what the core wants sent
     * and re-arms the timer; returns {@code false}, dropping the input, once the session is disposed.
     */
    boolean run(Runnable input) {
        return runner.run(input);
    }

    long now() {
        return runner.now();
    }

    /** The core's output, on the worker. */
    private final class Output implements MachineRunner.Output<IceEvent> {
        // Snapshots first, then the datagrams, then the sinks: whoever reacts to an event sees the state
        // that goes with it, and the peer's data that our answer lets it send finds its address held.
        @Override
        public void snapshot(List<IceEvent> events) {
            for (IceEvent e : events) {
                if (e instanceof IceEvent.StateChanged s) {
                    state = s.state();
                } else if (e instanceof IceEvent.SelectedPairChanged p) {
                    selected = p.pair();
                }
            }
            admission.update(core);
        }

        @Override
        public void transmit(Transmit t) {
            PacketSocket socket = sockets.get(t.from());
            if (socket != null) {
                if (log.isTraceEnabled()) {
                    log.trace("[{}] send {} bytes {} -> {}", id, t.data().length, t.from(), t.to());
                }
                socket.send(Unpooled.wrappedBuffer(t.data()), t.to());
            }
        }

        @Override
        public void emit(IceEvent e) {
            onEvent(e);
        }
    }

    private void onEvent(IceEvent e) {
        if (e instanceof IceEvent.StateChanged s) {
            log.info("[{}] ICE state {}", id, s.state());
            states.tryEmitNext(s.state());
            if (s.state() == IceState.FAILED || s.state() == IceState.CLOSED) {
                selectedPairs.tryEmitComplete();
                if (s.state() == IceState.CLOSED) {
                    states.tryEmitComplete();
                }
            }
        } else if (e instanceof IceEvent.SelectedPairChanged p) {
            log.info("[{}] selected pair {}", id, p.pair());
            selectedPairs.tryEmitNext(p.pair());
        } else if (log.isDebugEnabled()) {
            log.debug("[{}] {}", id, e);
        }
    }

    // ---- used by Gathering and IceConnection ----------------------------------------------------

    /** A datagram arrived on the socket bound to {@code base}; runs on that socket's I/O thread. */
    void onPacket(InetSocketAddress base, ByteBuf data, InetSocketAddress sender) {
        int n = data.readableBytes();
        if (n == 0) {
            return;
        }
        if (data.getUnsignedByte(data.readerIndex()) < 4) { // RFC 7983: STUN
            byte[] bytes = new byte[n];
            data.getBytes(data.readerIndex(), bytes);
            run(() -> {
                if (!gathering.onStun(bytes, sender)) {
                    core.handleInput(now(), new Datagram(base, sender, ByteBuffer.wrap(bytes), 0, n));
                }
            });
        } else {
            connection.onData(data, sender);
        }
    }

    void addLocal(LocalCandidate candidate, boolean signal) {
        core.addLocalCandidate(now(), candidate);
        if (signal) {
            localCandidates.tryEmitNext(signalled(candidate.candidate()));
        }
    }

    /** The candidate as the peer sees it: a host candidate under its mDNS name when we publish names. */
    IceCandidate signalled(IceCandidate candidate) {
        MdnsResponder names = options.mdnsNames();
        if (names == null || candidate.type() != CandidateType.HOST || !candidate.hasIpAddress()) {
            return candidate;
        }
        if (mdnsNames == null) {
            mdnsNames = new ConcurrentHashMap<>(2);
        }
        String name = mdnsNames.computeIfAbsent(candidate.address(),
                a -> names.publish(candidate.socketAddress().getAddress()));
        return candidate.withAddress(name);
    }

    /** A local candidate can no longer be used (a lost TURN allocation): its pairs fail at once. */
    void localCandidateLost(InetSocketAddress base) {
        run(() -> core.localCandidateLost(now(), base));
    }

    void gatheringComplete() {
        core.localGatheringComplete(now());
        localCandidates.tryEmitComplete();
    }

    /**
     * Takes a bound socket into the session.
     *
     * @throws IceConfigException naming {@code credentials} when another session on the same shared
     *     port has our ufrag; the socket is then disposed
     */
    void register(PacketSocket socket) {
        if (socket instanceof SharedPortSocket shared) {
            shared.pin(this::isValidRemote);
            try {
                shared.route(localCredentials);
            } catch (IceConfigException e) {
                socket.dispose();
                throw e;
            }
        }
        sockets.put(socket.localAddress(), socket);
        if (closed.get()) { // disposed meanwhile: its close may have run before the put and missed this socket
            sockets.remove(socket.localAddress(), socket);
            socket.dispose();
        }
    }

    /**
     * Whether data from this address is delivered: the peer of the selected pair or of another valid
     * pair (RFC 8445 section 12.2); see {@link RemoteAdmission}.
     */
    boolean isValidRemote(InetSocketAddress sender) {
        CandidatePair p = selected;
        return p != null && p.remoteAddress().equals(sender) || admission.isValid(sender);
    }

    /**
     * Holds a datagram from the source of an authenticated check whose pair our own check has not
     * validated yet, until it is (see {@link RemoteAdmission}).
     *
     * @return whether it is held (retained)
     */
    boolean holdUntilValid(ByteBuf data, InetSocketAddress sender) {
        return admission.hold(data, sender);
    }

    RemoteAdmission admission() {
        return admission;
    }

    PacketSocket socket(InetSocketAddress base) {
        return sockets.get(base);
    }

    List<PacketSocket> sockets() {
        return List.copyOf(sockets.values());
    }

    String id() {
        return id;
    }
}
