package io.reactiveice.samples.webflux;

import io.reactiveice.IceSession;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceStats;
import io.reactiveice.agent.PairFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The service side's view of one session for the page, a small chrome://webrtc-internals: a
 * {@code stats} message per {@link IceSession#stats()} snapshot, with the W3C webrtc-stats names
 * ({@code RTCIceCandidatePairStats} per pair, the ICE part of {@code RTCTransportStats} for the session),
 * and a {@code failed} message with the reason when the session fails.
 *
 * <pre>
 * {"type":"stats","timestamp":..., "role":"controlled", "usernameFragment":"...", "iceState":"connected",
 *  "selectedCandidatePairId":"...", "selectedCandidatePairChanges":1,
 *  "candidatePairs":[{"id":"...", "local":{"candidateType":"host", "address":"192.0.2.10",
 *    "port":50000, "protocol":"udp"}, "remote":{...}, "selected":true,
 *    "state":"succeeded", "nominated":true, "currentRoundTripTime":0.0004, "totalRoundTripTime":0.01,
 *    "requestsSent":..., "requestsReceived":..., "responsesSent":..., "responsesReceived":...,
 *    "retransmissionsSent":..., "consentRequestsSent":..., "packetsSent":..., "packetsReceived":...,
 *    "bytesSent":..., "bytesReceived":...}, ...]}
 * </pre>
 */
final class ServiceView {
    /** How often the page gets a snapshot: about as often as chrome://webrtc-internals refreshes. */
    static final Duration PERIOD = Duration.ofSeconds(1);

    private final JsonMapper json;

    ServiceView(JsonMapper json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * A {@code stats} message every period, the first at once, until the session is disposed (its
     * {@code stats()} then fails, which ends the feed) or the subscription is cancelled. One snapshot
     * at a time: the next tick waits for the one before ({@code concatMap}); ticks that come while a
     * snapshot is under way are dropped, not queued.
     *
     * @param session the session
     * @param period how often
     * @param timer where the ticks run
     * @return the messages, emitted on {@code timer}
     */
    Flux<ObjectNode> stats(IceSession session, Duration period, Scheduler timer) {
        return Flux.interval(Duration.ZERO, period, timer)
                .onBackpressureDrop()
                .concatMap(tick -> session.stats(), 1)
                .publishOn(timer, 1) // the JSON off the session's worker (a shared port's event loop)
                .map(this::message)
                .onErrorResume(IllegalStateException.class, e -> Flux.empty());
    }

    /**
     * The {@code failed} message: the reason's short {@code code} and its {@code reason} for people, and
     * each pair that failed with its {@code cause}, e.g.
     * {@code {"type":"failed","code":"consent-lost","reason":"consent lost ...","pairs":[]}}.
     */
    ObjectNode failed(IceFailureReason reason) {
        ObjectNode failed = json.createObjectNode().put("type", "failed").put("code", reason.code())
                .put("reason", reason.message());
        ArrayNode pairs = failed.putArray("pairs");
        for (PairFailure p : reason.pairs()) {
            pairs.addObject().put("pair", p.pair().toString()).put("cause", p.cause().description());
        }
        return failed;
    }

    /** The {@code stats} message of one snapshot. */
    ObjectNode message(IceStats stats) {
        ObjectNode m = json.createObjectNode().put("type", "stats")
                .put("timestamp", stats.timestamp())
                .put("role", stats.role().name().toLowerCase(Locale.ROOT))
                .put("usernameFragment", stats.usernameFragment())
                .put("iceState", stats.iceState().name().toLowerCase(Locale.ROOT))
                .put("selectedCandidatePairId", stats.selectedCandidatePairId())
                .put("selectedCandidatePairChanges", stats.selectedCandidatePairChanges());
        ArrayNode pairs = m.putArray("candidatePairs");
        for (IceCandidatePairStats p : stats.candidatePairs()) {
            pairs.add(pair(stats, p));
        }
        return m;
    }

    private ObjectNode pair(IceStats stats, IceCandidatePairStats p) {
        ObjectNode pair = json.createObjectNode().put("id", p.id());
        pair.set("local", candidate(stats, p.localCandidateId()));
        pair.set("remote", candidate(stats, p.remoteCandidateId()));
        return pair.put("selected", p.id().equals(stats.selectedCandidatePairId()))
                .put("state", p.state().w3cName())
                .put("nominated", p.nominated())
                .put("currentRoundTripTime", p.currentRoundTripTime())
                .put("totalRoundTripTime", p.totalRoundTripTime())
                .put("requestsSent", p.requestsSent())
                .put("requestsReceived", p.requestsReceived())
                .put("responsesSent", p.responsesSent())
                .put("responsesReceived", p.responsesReceived())
                .put("retransmissionsSent", p.retransmissionsSent())
                .put("consentRequestsSent", p.consentRequestsSent())
                .put("packetsSent", p.packetsSent())
                .put("packetsReceived", p.packetsReceived())
                .put("bytesSent", p.bytesSent())
                .put("bytesReceived", p.bytesReceived());
    }

    /** The candidate's W3C {@code candidateType}, {@code address}, {@code port} and {@code protocol}. */
    private ObjectNode candidate(IceStats stats, String id) {
        ObjectNode c = json.createObjectNode().put("id", id);
        stats.candidate(id).ifPresent(s -> c.put("candidateType", s.candidateType().token()).put("address", s.address())
                .put("port", s.port()).put("protocol", s.protocol().token()));
        return c;
    }
}
