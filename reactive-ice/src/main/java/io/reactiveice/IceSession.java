package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceProtocolEvent;
import io.reactiveice.agent.IceStateChange;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStats;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.candidate.CandidateChange;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.NotUnicastException;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.agent.CoreConfig;
import io.reactiveice.internal.agent.IceAgentCore;
import io.reactiveice.internal.agent.IceEvent;
import io.reactiveice.internal.agent.LocalCandidate;
import io.reactiveice.internal.agent.RecoveryConfig;
import io.reactiveice.internal.runner.MachineRunner;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
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
 * only this worker touches; other threads read immutable snapshots (the selected pair, the state,
 * the role). Application data bypasses the worker entirely.
 *
 * <p>The session is a facade: its sockets live in a registry of their own, gathering produces
 * sockets and candidates that the session takes in, mDNS names are handled apart, and the events
 * reach their subscribers through a fan-out of their own.
 *
 * <p>Lifecycle: {@link #dispose()} closes without waiting, {@link #close()} closes and completes when
 * the session is fully closed, and {@link #onDispose()} completes then, whoever closed it.
 */
public final class IceSession implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(IceSession.class);
    // the parts: package-private for SessionWiring, the session's side of them
    final IceAgentCore core;
    private final SessionOptions options;
    private final MachineRunner<IceEvent> runner;
    private final String id;
    final SessionSockets sockets;
    final SessionEvents events;
    final LocalCandidates candidates = new LocalCandidates();
    final MdnsCandidates mdns;
    final IceConnection connection;
    final Gathering gathering;
    /** What the session tells its agent's {@link IceMetrics}; {@code null} without metrics. */
    final SessionMeters meters;
    private volatile IceCredentials localCredentials;
    private static final List<String> TRICKLE = List.of(IceParameters.TRICKLE);
    private static final List<String> TRICKLE_RENOMINATION = List.of(IceParameters.TRICKLE, IceParameters.RENOMINATION);
    private static final AtomicIntegerFieldUpdater<IceSession> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(IceSession.class, "closed");
    @SuppressWarnings("unused") // through CLOSED; a field, not an AtomicBoolean: an idle session's heap counts
    private volatile int closed;
    /** Before this instant (the runner's clock) no dropped datagram reaches the core ({@link #unknownDataSource}). */
    private volatile long nextUnknownSourceAt = Long.MIN_VALUE;
    /** At most one dropped datagram's source per this span reaches the core, 100 ms. */
    private static final long UNKNOWN_SOURCE_NANOS = 100_000_000L;
    // made by the first onDispose() call, under the events' monitor (most sessions are never asked: an
    // idle session's heap counts); released says the close is done, for an onDispose() called after it
    private Sinks.Empty<Void> disposed;
    private boolean released;

    IceSession(CoreConfig config, RecoveryConfig recovery, IceCredentials credentials, SessionOptions options) {
        this.core = new IceAgentCore(config, recovery, credentials, options.random());
        this.options = options;
        this.id = credentials.ufrag();
        SessionWiring wiring = new SessionWiring(this);
        this.runner = new MachineRunner<>(core, options.scheduler(), wiring, id);
        this.localCredentials = credentials;
        this.sockets = new SessionSockets(id);
        this.events = new SessionEvents(core.role());
        this.mdns = MdnsCandidates.of(options.mdns(), options.mdnsNames());
        this.connection = new IceConnection(wiring, options.scheduler(), runner.worker());
        this.gathering = new Gathering(options, id, this::run, wiring);
        this.meters = options.metrics() == IceMetrics.NONE ? null
                : new SessionMeters(options.metrics(), core, connection.traffic(), options.lite(), runner.now());
    }

    Mono<Void> start() {
        return gathering.bindHostSockets();
    }

    /** Our credentials, to signal to the peer (they change with {@link #restart()}). */
    public IceCredentials localCredentials() {
        return localCredentials;
    }

    /**
     * Our candidates, trickled as they are gathered; completes when gathering is done (RFC 8838
     * end-of-candidates). Replays to late subscribers. After a restart, ours or the peer's
     * ({@link #restarts()}), a new generation starts.
     */
    public Flux<IceCandidate> localCandidates() {
        return candidates.flux();
    }

    /**
     * Our credentials for each new ICE session (RFC 8445 section 9), from subscription on: the new ones
     * after {@link #restart()} or after a restart the agent made itself ({@link RecoveryPolicy#RESTART}),
     * and our unchanged ones when the peer restarted (its new credentials reached
     * {@link #setRemoteCredentials}), since the peer's new session needs them and our candidates again.
     * After each, {@link #localCandidates()} is the new generation: subscribe to it then, and signal the
     * credentials, its candidates and its end-of-candidates as for the first connection. Emitted on
     * the session's worker (on a {@link IceAgent#sharedPort shared port}, its event loop: do not block);
     * completes when the session closes. The first credentials are {@link #localCredentials()}.
     *
     * <p>The exact sequence of an automatic restart, here on agent A whose only address was replaced
     * (B without renomination):
     * <ol>
     *   <li>A's selected pair's address disappears: {@link CandidateChange.Removed} on
     *       {@link #candidateChanges()}, and {@link #states()} emits DISCONNECTED (no valid pair left);
     *   <li>an address appears and its host candidate is gathered (with no address at all, A waits for
     *       one; with a local candidate left, this step is skipped): A restarts in that instant, so that
     *       {@code restarts()} emits A's new credentials, after which {@link #localCandidates()} replays
     *       A's candidates now and completes (end-of-candidates); server-reflexive and relayed ones still
     *       being gathered on the new address come later on {@link #candidateChanges()};
     *   <li>A's application signals them to B; B's {@link #setRemoteCredentials} sees new credentials,
     *       B restarts too, and B's {@code restarts()} emits B's credentials, then B's candidates;
     *   <li>B's application signals them to A; both check the new session's pairs, the controlling side
     *       nominates, and {@link #selectedPairs()} emits the new pair on each side: CONNECTED, then
     *       COMPLETED.
     * </ol>
     * Until a new pair is selected the old one stays selected (silent or gone). If the peer does not
     * answer, A restarts again after the {@link IceAgent#restartInterval restart interval}, doubled each
     * time; if consent runs out first (30 s after the last answer), FAILED is final.
     */
    public Flux<IceCredentials> restarts() {
        return candidates.restarts();
    }

    /**
     * What changes in our candidates after gathering completed (issue 13), from subscription on: a
     * {@link CandidateChange.Added} for each candidate gathered after {@link #localCandidates()}
     * completed (on a local address that appeared, when the agent {@link IceAgent#monitorNetwork
     * monitors the network}), and a {@link CandidateChange.Removed} for each signalled candidate that
     * can no longer be used (its address disappeared, or its relay was lost), at any time. Completes
     * when the session closes. Candidates gathered while {@link #localCandidates()} is still open go
     * there, not here.
     *
     * <p>What to signal: RFC 8838 section 13 lets a peer ignore candidates after end-of-candidates
     * unless an ICE restart or an extension allows them. Whether or not the peer takes an
     * {@code Added} one, the agent pairs it with the peer's candidates and checks it, so the peer
     * learns it as peer-reflexive from those checks. Using it: with {@link IceAgent#renomination
     * renomination} on both sides the controlling agent moves to a new pair that is better than the
     * selected one, or to any valid pair once the selected pair's address is gone; without it the agent
     * nominates a new pair only when the selected pair's address is gone (as consent failover does; a
     * peer that refuses a second nomination needs {@link #restart()}). A {@code Removed} one needs no
     * signal: its pairs have failed on our side, and the peer's checks of them go unanswered. After
     * {@link #restart()} the new generation of {@link #localCandidates()} is the candidates now.
     */
    public Flux<CandidateChange> candidateChanges() {
        return candidates.changes();
    }

    /** Sets the peer's credentials; new ones after earlier ones mean the peer restarted ICE. */
    public void setRemoteCredentials(IceCredentials remote) {
        Objects.requireNonNull(remote, "remote");
        run(() -> core.setRemoteCredentials(now(), remote));
    }

    /**
     * Sets the peer's ICE parameters from its description: credentials, whether it supports
     * renomination ({@link IceAgent#renomination(boolean)}), and whether it is an ICE-lite agent, in
     * which case a full agent takes the controlling role (RFC 8445 section 6.1.1).
     */
    public void setRemoteParameters(IceParameters remote) {
        Objects.requireNonNull(remote, "remote");
        IceCredentials credentials = new IceCredentials(remote.ufrag(), remote.pwd());
        boolean renomination = remote.hasOption(IceParameters.RENOMINATION);
        run(() -> {
            core.setRemoteRenomination(now(), renomination);
            if (remote.lite()) {
                core.setRemoteLite(now());
            }
            core.setRemoteCredentials(now(), credentials);
        });
    }

    /**
     * Our ICE parameters for a description: credentials, the {@code ice-options} {@code trickle} and,
     * when {@link IceAgent#renomination(boolean) on}, {@code renomination}, and for a lite agent
     * {@code ice-lite} (RFC 8839 section 5.3); they change with {@link #restart()}.
     */
    public IceParameters localParameters() {
        IceCredentials c = localCredentials;
        List<String> iceOptions = core.renominationOffered() ? TRICKLE_RENOMINATION : TRICKLE;
        return new IceParameters(c.ufrag(), c.pwd(), iceOptions, isLite());
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
        boolean mdnsName = mdns.resolve(id, candidate, resolved -> {
            if (closed == 0) {
                run(() -> core.addRemoteCandidate(now(), resolved)); // refuses a non-unicast answer
            }
        });
        if (!mdnsName) {
            run(() -> core.addRemoteCandidate(now(), candidate));
        }
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

    /**
     * The selected pair: emitted when first nominated and again when it changes; ends when the agent
     * fails or closes. The same path can also be emitted again: when the peer's check came before its
     * candidate was signalled (usual with trickle), the pair's remote candidate is first the
     * peer-reflexive one the check taught the agent (RFC 8445 section 7.3.1.3); once that candidate is
     * signalled, the pair takes it, with its type, priority and foundation (<a
     * href="https://www.rfc-editor.org/rfc/rfc8838#section-11">RFC 8838 section 11</a>), and the new
     * snapshot is emitted, with the same base and remote address.
     */
    public Flux<CandidatePair> selectedPairs() {
        return events.selectedPairs();
    }

    /** The transport state, as W3C {@code RTCIceTransportState}; replays the current one. */
    public Flux<IceState> states() {
        return events.states();
    }

    /**
     * The transport state with, on FAILED, why ({@link IceFailureReason}); replays the current one,
     * as {@link #states()} does.
     */
    public Flux<IceStateChange> stateChanges() {
        return events.stateChanges();
    }

    /** Why the session failed, once it is FAILED; empty before and when it did not fail. */
    public Optional<IceFailureReason> failureReason() {
        return Optional.ofNullable(events.failureReason());
    }

    /**
     * Why the session failed: emits the reason when it becomes FAILED (at once if it is), completes
     * empty if it closes without failing.
     */
    public Mono<IceFailureReason> failure() {
        return stateChanges().filter(c -> c.reason().isPresent()).next().map(c -> c.reason().get());
    }

    /**
     * The session's protocol steps as they happen, for debugging tools (checks sent, responses, pair
     * states, nominations, consent lost, candidates added and removed), each with the time of the
     * session's scheduler. Nothing is built while nobody subscribes; a subscriber gets the steps from
     * when it joined (beyond {@value ProtocolEvents#BUFFER} waiting for the slowest one, newer steps
     * are dropped); completes when the session closes. Emitted on the session's worker: do not block.
     */
    public Flux<IceProtocolEvent> protocolEvents() {
        return events.protocolEvents(on -> run(() -> core.trace(now(), on)));
    }

    /** The current state. */
    public IceState state() {
        return events.state();
    }

    /**
     * The current role (it may change after a role conflict, RFC 8445 section 7.3.1.1): a snapshot that
     * the session's worker publishes with the state, after each input it ran.
     */
    public IceRole role() {
        return events.role();
    }

    /** The selected pair now, or {@code null}. */
    public CandidatePair selectedPair() {
        return events.selected();
    }

    /**
     * A snapshot of the session's statistics, shaped after W3C webrtc-stats ({@code getStats()}): each
     * candidate pair with its checks, responses, consent checks, round-trip times and application
     * datagrams, each candidate with its type, priority and server, and the session's role, ufrag, state
     * and selected pair. Nothing happens until the {@code Mono} is subscribed; each subscription takes
     * one snapshot, on the session's serialized context (the worker, after the inputs queued before it),
     * so the protocol counts are those of one instant; the data counts may leave out the datagrams in
     * flight then (see {@link IceCandidatePairStats}). Emitted on the session's worker (on a
     * {@link IceAgent#sharedPort shared port}, its event loop: do not block).
     *
     * @return the snapshot; an {@link IllegalStateException} once the session is disposed
     */
    public Mono<IceStats> stats() {
        return Mono.create(sink -> runner.run(() -> sink.success(core.stats(now(), runner.epochOffsetMillis(), connection::counters, relays())),
                () -> sink.error(new IllegalStateException("the session is disposed; it has no statistics"))));
    }

    /** On the worker: the allocations of the relayed sockets whose allocator tells them. */
    private List<RelayAllocationStats> relays() {
        List<RelayAllocationStats> out = new ArrayList<>(0);
        for (PacketSocket s : sockets.all()) {
            RelayAllocationStats a = s instanceof RelayAllocator.RelayedSocket r ? r.allocationStats() : null;
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The data connection: completes when a pair is selected, fails with {@link IceFailedException}
     * if the agent fails or closes first.
     */
    public Mono<IceConnection> connect() {
        return selectedPairs().next()
                .switchIfEmpty(Mono.error(() -> events.failed("ICE " + state() + " before a pair was selected")))
                .thenReturn(connection);
    }

    /**
     * ICE restart (RFC 8445 section 9): new credentials and a new generation of local candidates; the
     * old pair keeps carrying data until the new one is selected. Nothing happens until the
     * {@code Mono} is subscribed; each subscription restarts once, with credentials drawn then from the
     * agent's {@link IceAgent#random random source}.
     *
     * <p>The new credentials are emitted on {@link #restarts()} too, as after a restart the agent made
     * itself; an application that signals from there needs nothing of this {@code Mono} but to
     * subscribe.
     *
     * @return the new credentials, to signal to the peer with the new candidates; an
     *     {@link IceConfigException} naming {@code credentials} if another session on a shared port has
     *     the new ufrag, an {@link IllegalStateException} once the session is disposed
     */
    public Mono<IceCredentials> restart() {
        return Mono.create(sink -> {
            if (!run(() -> restartOnWorker(sink))) {
                sink.error(new IllegalStateException("the session is disposed; it cannot restart"));
            }
        });
    }

    private void restartOnWorker(MonoSink<IceCredentials> sink) {
        IceCredentials fresh;
        try {
            fresh = restartNow();
        } catch (IceConfigException e) { // another session on the shared port has this ufrag
            sink.error(e);
            return;
        }
        sink.success(fresh);
    }

    /**
     * On the worker: restarts with new credentials (routed first: a shared port refuses a ufrag another
     * session has, with an {@link IceConfigException}); the same candidates, complete if gathering is;
     * the new generation starts and {@link #restarts()} emits.
     */
    private IceCredentials restartNow() {
        IceCredentials fresh = IceCredentials.generate(options.random());
        sockets.route(fresh);
        localCredentials = fresh;
        core.restart(now(), fresh);
        if (candidates.gatheringComplete()) {
            core.localGatheringComplete(now());
        }
        candidates.nextGeneration(fresh);
        return fresh;
    }

    /** On the worker: the core asked for a restart ({@link RecoveryPolicy#RESTART}). */
    void restartAutomatically() {
        if (closed != 0) {
            return;
        }
        try {
            restartNow();
            log.info("[{}] ICE restarted by the agent: no valid pair left (new ufrag {})", id, localCredentials.ufrag());
        } catch (IceConfigException e) {
            log.warn("[{}] automatic ICE restart failed: {}", id, e.getMessage());
        }
    }

    /**
     * On the worker: the peer restarted ICE; its new session needs our credentials (unchanged) and
     * candidates again: a new generation, and {@link #restarts()} emits.
     */
    void peerRestarted() {
        if (closed != 0) {
            return;
        }
        if (candidates.gatheringComplete()) {
            core.localGatheringComplete(now());
        }
        candidates.nextGeneration(localCredentials);
    }

    /**
     * Closes the agent without waiting: gathering stops, published mDNS names are withdrawn, and on the
     * worker the core closes (CLOSED is emitted), every socket and timer is released; idempotent.
     * {@link #onDispose()} completes when that is done.
     */
    @Override
    public void dispose() {
        if (!CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        gathering.dispose();
        mdns.unpublishAll();
        if (!run(this::closeOnWorker)) { // the scheduler is gone: nothing else runs on the worker any more
            closeOnWorker();
        }
    }

    private void closeOnWorker() {
        core.close();
        runner.drainOutput();
        sockets.disposeAll();
        candidates.close();
        connection.close();
        if (meters != null) {
            meters.closed();
        }
        runner.stop();
        Sinks.Empty<Void> waiting;
        synchronized (events) { // a private monitor: users may lock the session itself
            released = true;
            waiting = disposed;
        }
        if (waiting != null) {
            waiting.tryEmitEmpty();
        }
    }

    /** Whether {@link #dispose()} or {@link #close()} was called (the close may still be under way). */
    @Override
    public boolean isDisposed() {
        return closed != 0;
    }

    /**
     * Completes when the session is fully closed, after {@link #dispose()} or {@link #close()}:
     * {@link IceState#CLOSED} has been emitted, {@link #states()} and {@link #localCandidates()} have
     * completed, and every socket is released. Replays to late subscribers; never errors.
     */
    public Mono<Void> onDispose() {
        synchronized (events) { // a private monitor: users may lock the session itself
            if (released) {
                return Mono.empty();
            }
            if (disposed == null) {
                disposed = Sinks.empty();
            }
            return disposed.asMono();
        }
    }

    /**
     * Closes the session and waits for it: {@link #dispose()} when subscribed, then completes with
     * {@link #onDispose()}.
     */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            dispose();
            return onDispose();
        });
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

    /**
     * On an I/O thread: application data from {@code sender}, the peer of no pair, arrived on
     * {@code base} and was dropped. The core may probe the source, a new NAT mapping of the peer's
     * perhaps ({@link IceAgentCore#unknownDataSource}); at most one such datagram per 100 ms goes to
     * the worker, so a flood from spoofed sources costs the worker nothing. A lite agent probes
     * nothing, so nothing goes.
     */
    void unknownDataSource(InetSocketAddress base, InetSocketAddress sender) {
        long now = now();
        if (isLite() || now < nextUnknownSourceAt) {
            return;
        }
        nextUnknownSourceAt = now + UNKNOWN_SOURCE_NANOS; // racing I/O threads may both pass: harmless
        run(() -> core.unknownDataSource(now(), base, sender));
    }

    /**
     * On the worker: the candidates on {@code base} are gone (its address disappeared, its relay was
     * lost): their pairs fail and the core moves off them, the peer-facing list drops them, the socket
     * closes.
     */
    void candidateLost(InetSocketAddress base) {
        core.localCandidateLost(now(), base);
        candidates.removed(base);
        sockets.close(base);
    }

    // ---- seams for the package's tests ---------------------------------------------------------

    /** The session's id, its first ufrag, as its log lines name it. */
    String id() {
        return id;
    }

    RemoteAdmission admission() {
        return connection.admission(); // not a field of its own: an idle session's heap counts
    }

    /** Takes a bound socket in, as gathering does. */
    void register(PacketSocket socket) {
        sockets.add(socket, localCredentials, connection::isValidRemote);
    }

    List<PacketSocket> sockets() {
        return sockets.all();
    }

    PacketSocket socket(InetSocketAddress base) {
        return sockets.get(base);
    }
}
