package io.reactiveice.samples.webflux;

import io.netty.buffer.ByteBuf;
import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.IceSession;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceStateChange;
import io.reactiveice.candidate.CandidateChange;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.sdp.DataChannelDescription;
import io.reactiveice.sdp.DataChannelDescription.Fingerprint;
import io.reactiveice.sdp.DataChannelDescription.Setup;
import io.reactiveice.sdp.IceCandidateInit;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.sdp.SdpParseException;
import io.reactiveice.stun.PacketKind;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * One browser tab's ICE session, behind the signalling WebSocket: it turns the page's messages into
 * calls on a reactive-ice agent and the agent's events into messages for the page. The page's
 * {@code RTCPeerConnection} has a data channel and nothing else, so the session descriptions are
 * {@link DataChannelDescription}s and trickled candidates are {@link IceCandidateInit} JSON.
 *
 * <p>Messages are JSON objects with a {@code type}. From the page: {@code offer} (with
 * {@code mode} and {@code sdp}: the browser offers), {@code call} (with {@code mode}: the service
 * offers), {@code answer}, {@code candidate} (an {@code RTCIceCandidateInit}; an empty
 * {@code candidate} is end-of-candidates), {@code restart} and {@code close}. To the page:
 * {@code hello}, {@code offer}, {@code answer}, {@code candidate}, {@code agent}, {@code state},
 * {@code selected}, {@code restart} (the page should restart ICE with a new offer),
 * {@code datagrams}, {@code stats} (the session's statistics once a second, {@link ServiceView}),
 * {@code failed} (why the session failed) and {@code error}.
 *
 * <p>An agent with {@code RecoveryPolicy.RESTART} may restart ICE on its own, when its network changed
 * and no path to the browser is left (the service's address replaced, say). Whoever made the first
 * offer keeps driving: when the browser offered, the service sends {@code restart} with a
 * {@code reason} and answers the page's new offer with the credentials it restarted with; when the
 * service offered, it sends a new {@code offer} with a {@code reason}. The reason is
 * {@code network-change} when one of the agent's addresses went away since the last restart, else
 * {@code path-lost}.
 *
 * <p>Nothing here does DTLS or SCTP: the browser's ICE transport connects, its DTLS transport
 * never does. The fingerprint is random, and what the browser sends over the pair (its DTLS
 * handshake, when it is the DTLS client) is counted and released.
 *
 * <p>{@link #handle} must be called for one message at a time, each after the previous one's
 * {@code Mono} completed (the WebSocket handler uses {@code concatMap}). An automatic restart reaches
 * this peer on the agent's worker instead; the fields it shares with the page's messages are volatile
 * or atomic, and it races only with the page's own Restart button.
 */
final class BrowserPeer {
    private static final Logger log = LoggerFactory.getLogger(BrowserPeer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Which kind of agent answers the browser. */
    enum Mode {
        /** A full agent: it gathers, checks and, when it offers, nominates. */
        FULL,
        /** An ICE-lite agent (RFC 8445 section 2.5): it only answers checks and is always controlled. */
        LITE;

        static Mode parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT));
        }

        String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final IceAgent agents;
    private final JsonMapper json;
    private final ServiceView view;
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable.Swap agentEvents = Disposables.swap();
    private final Disposable.Swap trickle = Disposables.swap();
    private final AtomicLong dtlsDatagrams = new AtomicLong();
    private final long sdpSessionId = RANDOM.nextLong() >>> 1;
    private final AtomicLong sdpVersion = new AtomicLong();
    /** Restarts this peer asked of the agent and whose {@code restarts()} emission is still to come. */
    private final AtomicInteger ownRestarts = new AtomicInteger();
    private final Fingerprint fingerprint;
    private volatile Mode mode = Mode.FULL;
    private volatile boolean serviceOffers;
    private volatile IceCredentials remote;
    /** Our credentials in the last description the page got. */
    private volatile IceCredentials signalled;
    /** The agent restarted on its own and asked the page for an offer, which is to be answered without another restart. */
    private volatile boolean awaitingOffer;
    /** One of the agent's candidates was withdrawn (its address went) since the last restart. */
    private volatile boolean addressChanged;
    private volatile String mid = "0";
    private volatile IceSession session;
    /** The session's first ufrag, which the library's log lines name it by. */
    private volatile String agentId;

    /**
     * A peer whose agents are made from this configuration (host addresses, ports, timers); the
     * role and the lite flag are set per session.
     */
    BrowserPeer(IceAgent agents, JsonMapper json) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.json = Objects.requireNonNull(json, "json");
        this.view = new ServiceView(json);
        byte[] digest = new byte[32];
        RANDOM.nextBytes(digest);
        this.fingerprint = Fingerprint.sha256(digest);
        ObjectNode hello = message("hello");
        hello.putArray("modes").add(Mode.FULL.token()).add(Mode.LITE.token());
        send(hello);
    }

    /** The messages for the page, in order; completes when the peer is closed. */
    Flux<String> outbound() {
        return outbound.asFlux();
    }

    /**
     * Handles one message of the page. A malformed or unexpected message is answered with an
     * {@code error} message; the returned {@code Mono} never fails.
     */
    Mono<Void> handle(String text) {
        return Mono.defer(() -> {
            JsonNode m = json.readTree(text);
            String type = m.path("type").asString("");
            log.debug("page: {}", type);
            return switch (type) {
                case "offer" -> onOffer(Mode.parse(m.path("mode").asString("full")), m.path("sdp").asString(""));
                case "call" -> onCall(Mode.parse(m.path("mode").asString("full")));
                case "answer" -> onAnswer(m.path("sdp").asString(""));
                case "candidate" -> onCandidate(candidateInit(m.path("candidate")));
                case "restart" -> onRestart();
                case "close" -> onClose();
                default -> Mono.error(new IllegalArgumentException("unknown message type '" + type + "'"));
            };
        }).onErrorResume(e -> {
            log.warn("page message failed: {}", e.toString());
            send(message("error").put("message", String.valueOf(e.getMessage())));
            return Mono.empty();
        });
    }

    /** Disposes the agent and completes {@link #outbound()}; idempotent. */
    void close() {
        trickle.dispose();
        agentEvents.dispose();
        IceSession s = session;
        if (s != null) {
            s.dispose();
        }
        outbound.tryEmitComplete();
    }

    // ---- the page's messages ------------------------------------------------------------------

    /** The browser offers: a first offer starts an agent; new credentials mean the browser restarted ICE. */
    private Mono<Void> onOffer(Mode requested, String sdp) {
        DataChannelDescription offer = DataChannelDescription.parse(sdp);
        IceCredentials offered = new IceCredentials(offer.ice().ufrag(), offer.ice().pwd());
        Mono<IceSession> ready;
        if (isLive() && (offered.equals(remote) || awaitingOffer)) {
            awaitingOffer = false; // the page's answer to our restart: the agent has its new credentials already
            ready = Mono.just(session);
        } else if (isLive()) {
            ready = ownRestart(session);
        } else {
            mode = session == null ? requested : mode;
            serviceOffers = false;
            ready = start(IceRole.CONTROLLED);
        }
        return ready.doOnNext(s -> {
            mid = offer.mid();
            useRemote(s, offer, offered);
            send(description("answer", s, offer.setup() == Setup.ACTIVE ? Setup.PASSIVE : Setup.ACTIVE));
            trickle(s);
        }).then();
    }

    /** The page asks the service to offer. */
    private Mono<Void> onCall(Mode requested) {
        if (session != null) {
            return Mono.error(new IllegalStateException("there is a session already: restart or reload the page"));
        }
        mode = requested;
        serviceOffers = true;
        return start(IceRole.CONTROLLING).doOnNext(this::offer).then();
    }

    private Mono<Void> onAnswer(String sdp) {
        IceSession s = session;
        if (!serviceOffers || s == null) {
            return Mono.error(new IllegalStateException("an answer, but the service made no offer"));
        }
        DataChannelDescription answer = DataChannelDescription.parse(sdp);
        useRemote(s, answer, new IceCredentials(answer.ice().ufrag(), answer.ice().pwd()));
        return Mono.empty();
    }

    private Mono<Void> onCandidate(IceCandidateInit init) {
        IceSession s = session;
        IceCredentials r = remote;
        if (s == null || r == null) {
            return Mono.error(new IllegalStateException("a candidate before the session description"));
        }
        if (init.usernameFragment() != null && !init.usernameFragment().equals(r.ufrag())) {
            log.debug("candidate of an earlier ICE generation ignored");
        } else if (awaitingOffer) {
            log.debug("candidate of the ICE generation before the agent's restart ignored");
        } else if (init.isEndOfCandidates()) {
            s.remoteEndOfCandidates();
        } else {
            s.addRemoteCandidate(init.candidate());
        }
        return Mono.empty();
    }

    /**
     * ICE restart, driven by whoever made the first offer, so that the roles stay as they were: the
     * service makes a new offer itself, or asks the page for one. A closed agent is replaced by a
     * new one, which is a restart to the browser too (new credentials, new candidates).
     */
    private Mono<Void> onRestart() {
        if (session == null) {
            return Mono.error(new IllegalStateException("nothing to restart: connect first"));
        }
        if (!serviceOffers) {
            send(message("restart"));
            return Mono.empty();
        }
        Mono<IceSession> ready = isLive() ? ownRestart(session) : start(IceRole.CONTROLLING);
        return ready.doOnNext(this::offer).then();
    }

    private Mono<Void> onClose() {
        IceSession s = session;
        if (s != null) {
            trickle.update(Disposables.disposed());
            s.dispose();
        }
        return Mono.empty();
    }

    // ---- the agent ----------------------------------------------------------------------------

    private boolean isLive() {
        IceSession s = session;
        return s != null && !s.isDisposed();
    }

    private Mono<IceSession> start(IceRole role) {
        IceAgent agent = mode == Mode.LITE ? agents.lite(true) : agents.role(role);
        return agent.start().doOnNext(s -> {
            session = s;
            agentId = s.localCredentials().ufrag();
            remote = null;
            awaitingOffer = false;
            addressChanged = false;
            ObjectNode info = message("agent").put("mode", mode.token()).put("role", s.role().name().toLowerCase(Locale.ROOT))
                    .put("ufrag", s.localCredentials().ufrag());
            send(info);
            agentEvents.update(Disposables.composite(
                    s.stateChanges().subscribe(this::stateChanged),
                    s.selectedPairs().subscribe(this::selected),
                    s.candidateChanges().subscribe(change -> addressChanged |= change instanceof CandidateChange.Removed),
                    s.restarts().subscribe(credentials -> restarted(s, credentials)),
                    view.stats(s, ServiceView.PERIOD, Schedulers.parallel()).subscribe(this::send),
                    s.connect().flatMapMany(IceConnection::receive).subscribe(this::datagram, e -> { })));
        });
    }

    /** A restart this peer asks for (the page's new offer, or its Restart button): this peer signals it itself. */
    private Mono<IceSession> ownRestart(IceSession s) {
        ownRestarts.incrementAndGet();
        // restarts() emits before the Mono does; a restart that never happened is not waited for
        return s.restart().doOnError(e -> ownRestarts.decrementAndGet()).thenReturn(s);
    }

    /**
     * On the agent's worker, for every {@code restarts()} emission: our own restarts and the peer's
     * (our credentials again) are signalled elsewhere; what is left is a restart the agent made on its
     * own ({@code RecoveryPolicy.RESTART}), which the side that made the first offer must renegotiate.
     */
    private void restarted(IceSession s, IceCredentials credentials) {
        if (credentials.equals(signalled) || ownRestarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        String reason = addressChanged ? "network-change" : "path-lost";
        addressChanged = false;
        log.info("[{}] the agent restarted ICE on its own ({}, new ufrag {}): {}", agentId, reason, credentials.ufrag(),
                serviceOffers ? "a new offer for the page" : "the page is asked for a new offer");
        if (serviceOffers) {
            offer(s, reason);
        } else if (!awaitingOffer) {
            awaitingOffer = true;
            send(message("restart").put("reason", reason).put("ufrag", credentials.ufrag()));
        } // else the page's offer is on its way, and is answered with the newest credentials
    }

    private void useRemote(IceSession s, DataChannelDescription description, IceCredentials credentials) {
        remote = credentials;
        s.setRemoteParameters(description.ice());
        description.candidates().forEach(s::addRemoteCandidate);
        if (description.endOfCandidates()) {
            s.remoteEndOfCandidates();
        }
    }

    private void offer(IceSession s) {
        offer(s, null);
    }

    /** A new offer, with the reason the agent restarted on its own, if it did. */
    private void offer(IceSession s, String reason) {
        mid = "0";
        ObjectNode offer = description("offer", s, Setup.ACTPASS);
        if (reason != null) {
            offer.put("reason", reason);
        }
        send(offer);
        trickle(s);
    }

    /** Sends the current generation of local candidates as they are gathered, then end-of-candidates. */
    private void trickle(IceSession s) {
        String ufrag = s.localCredentials().ufrag();
        trickle.update(s.localCandidates().subscribe(
                c -> candidate(new IceCandidateInit(c, mid, 0, ufrag)),
                e -> log.warn("gathering failed", e),
                () -> candidate(IceCandidateInit.endOfCandidates(mid, 0, ufrag))));
    }

    /** Our description: the session's ICE parameters ({@code ice-lite} for a lite agent), no candidates (they trickle). */
    private ObjectNode description(String type, IceSession s, Setup setup) {
        IceParameters ice = s.localParameters();
        signalled = new IceCredentials(ice.ufrag(), ice.pwd());
        String sdp = new DataChannelDescription(ice, mid, setup, fingerprint, List.of(), false)
                .format(sdpSessionId, sdpVersion.incrementAndGet());
        return message(type).put("sdp", sdp);
    }

    /** Our candidate for the page, in the library's JSON form, embedded as it is written (not read back). */
    private void candidate(IceCandidateInit init) {
        send(message("candidate").putRawValue("candidate", new RawValue(init.toJson())));
    }

    private void selected(CandidatePair pair) {
        IceCandidate local = pair.local();
        send(message("selected").put("pair", pair.toString())
                .put("local", CandidateLine.format(local))
                .put("remote", pair.remote().type().token() + " " + pair.remoteAddress().getAddress().getHostAddress()
                        + " " + pair.remoteAddress().getPort()));
    }

    /** The agent's new state and, on FAILED, why. */
    private void stateChanged(IceStateChange change) {
        send(message("state").put("state", change.state().name().toLowerCase(Locale.ROOT)));
        change.reason().ifPresent(reason -> send(view.failed(reason)));
    }

    /** What the browser sent over the pair: its DTLS handshake, which this sample does not answer. */
    private void datagram(ByteBuf data) {
        try {
            if (data.isReadable() && PacketKind.ofFirstByte(data.getByte(data.readerIndex())) == PacketKind.DTLS) {
                send(message("datagrams").put("dtls", dtlsDatagrams.incrementAndGet()));
            }
        } finally {
            data.release();
        }
    }

    // ---- messages -----------------------------------------------------------------------------

    /**
     * The page's {@code RTCIceCandidateInit}, from the members Jackson has read already: the JSON is
     * read once. A member of the wrong type is an {@link SdpParseException} naming it, as
     * {@link IceCandidateInit#parseJson} would give.
     */
    static IceCandidateInit candidateInit(JsonNode init) {
        if (!init.isObject()) {
            throw new SdpParseException("json", init.toString(), "must be a JSON object");
        }
        JsonNode candidate = init.path("candidate");
        if (!candidate.isMissingNode() && !candidate.isString()) {
            throw new SdpParseException("candidate", candidate.toString(), "must be a string");
        }
        return IceCandidateInit.fromMembers(candidate.asString(""), optionalString(init, "sdpMid"),
                optionalIndex(init.path("sdpMLineIndex")), optionalString(init, "usernameFragment"));
    }

    private static String optionalString(JsonNode init, String name) {
        JsonNode v = init.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new SdpParseException(name, v.toString(), "must be a string or null");
        }
        return v.stringValue();
    }

    private static Integer optionalIndex(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !v.canConvertToExactIntegral() || !v.canConvertToInt()) {
            throw new SdpParseException("sdpMLineIndex", v.toString(), "must be an integer 0..65535 or null");
        }
        return v.asInt(); // the range is checked by IceCandidateInit
    }

    private ObjectNode message(String type) {
        return json.createObjectNode().put("type", type);
    }

    /** Called from the WebSocket's thread and from the agent's; the sink takes one at a time. */
    private synchronized void send(ObjectNode message) {
        outbound.tryEmitNext(json.writeValueAsString(message));
    }
}
