package io.reactiveice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reactiveice.IceMetrics;
import io.reactiveice.agent.IceState;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The library's {@link IceMetrics} recorded into a Micrometer {@link MeterRegistry}, as Reactor
 * Netty's {@code metrics(true, ...)} records its own: hand the instance to {@code IceAgent.metrics},
 * {@code SharedUdpPortConfig.metrics}, {@code SharedTcpPort.bind(..., metrics)} and
 * {@code TurnRelayAllocator.metrics}.
 *
 * <pre>{@code
 * IceMetrics metrics = MicrometerIceMetrics.create(registry);
 * IceAgent agent = IceAgent.create().metrics(metrics);
 * }</pre>
 *
 * <p>The meters, each under {@value #PREFIX}, with only these tags:
 * <ul>
 *   <li>{@code reactive.ice.sessions} (gauge, {@code state}: new, checking, connected, completed,
 *       disconnected, failed): the sessions in each state now;
 *   <li>{@code reactive.ice.connect.time} (timer): from a session's start to its first CONNECTED;
 *   <li>{@code reactive.ice.first.selected.pair.time} (timer): from a session's start to its first
 *       selected pair;
 *   <li>{@code reactive.ice.checks.sent} (counter, {@code kind}: check, retransmission, consent),
 *       {@code reactive.ice.checks.answered} (responses to ours), {@code reactive.ice.checks.received}
 *       (the peer's, each answered);
 *   <li>{@code reactive.ice.session.failures} (counter, {@code reason}: the short name of the session's
 *       {@code IceFailureReason}, {@code IceFailureKind.codeOf}: no-remote-credentials, no-remote-candidates,
 *       no-local-candidates, gathering-failed, checks-failed, consent-lost), {@code reactive.ice.consent.losses}
 *       (counter, {@code reason}: timeout, peer-silent);
 *   <li>{@code reactive.ice.selected.pair.changes} (counter);
 *   <li>{@code reactive.ice.datagrams.sent}, {@code reactive.ice.datagrams.received} (counters) and
 *       {@code reactive.ice.data.sent}, {@code reactive.ice.data.received} (counters, bytes): application
 *       datagrams and their payload;
 *   <li>{@code reactive.ice.shared.port.drops} (counter, {@code transport}: udp, tcp; {@code reason}:
 *       unknown-ufrag, rate-limited, malformed, unroutable for UDP; unknown-ufrag, unauthenticated,
 *       malformed, timed-out, connection-limit for TCP);
 *   <li>{@code reactive.ice.turn.allocations.active} (gauge) and
 *       {@code reactive.ice.turn.allocation.failures} (counter, {@code code}: the STUN error code, or
 *       auth, timeout, tls, protocol, other).
 * </ul>
 * The counts of checks, datagrams, bytes and drops are those the sessions' statistics and the ports
 * keep anyway, read when the registry reads the meter: nothing is added on the data path.
 */
public final class MicrometerIceMetrics implements IceMetrics {
    /** The prefix of every meter's name. */
    public static final String PREFIX = "reactive.ice.";

    /**
     * The recorder of each registry. Weak both ways: the registry holds its recorder through the
     * meters (strong references), so the entry lasts exactly as long as the registry is in use.
     */
    private static final Map<MeterRegistry, WeakReference<MicrometerIceMetrics>> BY_REGISTRY = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final AtomicLong[] byState = new AtomicLong[IceState.values().length];
    private final Timer connectTime;
    private final Timer firstSelectedPairTime;
    private final Counter selectedPairChanges;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<String, Counter> consentLosses = new ConcurrentHashMap<>();
    private final Map<String, Counter> allocationFailures = new ConcurrentHashMap<>();
    private final AtomicLong allocations = new AtomicLong();
    private final LiveTotals<SessionCounters> sessions = new LiveTotals<>();
    private final LiveTotals<PortCounters> ports = new LiveTotals<>();

    private MicrometerIceMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (IceState s : IceState.values()) {
            byState[s.ordinal()] = new AtomicLong();
            if (s != IceState.CLOSED) { // a closed session is gone
                int state = s.ordinal();
                // held strongly by the registry: it keeps this recorder, and so create() finds it again
                Gauge.builder(PREFIX + "sessions", this, m -> m.byState[state].get()).strongReference(true)
                        .description("ICE sessions in each state").tag("state", tag(s)).register(registry);
            }
        }
        connectTime = Timer.builder(PREFIX + "connect.time")
                .description("Time from a session's start to its first CONNECTED state").register(registry);
        firstSelectedPairTime = Timer.builder(PREFIX + "first.selected.pair.time")
                .description("Time from a session's start to its first selected pair").register(registry);
        selectedPairChanges = Counter.builder(PREFIX + "selected.pair.changes")
                .description("Changes of a session's selected pair, the first selection included").register(registry);
        sessionCounter("checks.sent", "Connectivity and consent checks sent", null, SessionCounters::checksSent,
                "kind", "check");
        sessionCounter("checks.sent", "Connectivity and consent checks sent", null,
                SessionCounters::checkRetransmissions, "kind", "retransmission");
        sessionCounter("checks.sent", "Connectivity and consent checks sent", null, SessionCounters::consentChecksSent,
                "kind", "consent");
        sessionCounter("checks.answered", "Authenticated responses to our checks", null,
                SessionCounters::checksAnswered);
        sessionCounter("checks.received", "The peers' authenticated checks, each answered", null,
                SessionCounters::checksReceived);
        sessionCounter("datagrams.sent", "Application datagrams sent", null, SessionCounters::datagramsSent);
        sessionCounter("datagrams.received", "Application datagrams received", null, SessionCounters::datagramsReceived);
        sessionCounter("data.sent", "Application payload sent", "bytes", SessionCounters::bytesSent);
        sessionCounter("data.received", "Application payload received", "bytes", SessionCounters::bytesReceived);
        for (String transport : new String[] {"udp", "tcp"}) {
            for (DropReason reason : DropReason.values()) {
                if (counts(transport, reason)) {
                    LiveTotals<PortCounters>.Total total = ports.total(p -> transport.equals(p.transport())
                            && p.reasons().contains(reason) ? p.dropped(reason) : 0);
                    FunctionCounter.builder(PREFIX + "shared.port.drops", total, LiveTotals.Total::value)
                            .description("What shared ports dropped, by reason")
                            .tags("transport", transport, "reason", reason.tag()).register(registry);
                }
            }
        }
        Gauge.builder(PREFIX + "turn.allocations.active", this, m -> m.allocations.get()).strongReference(true)
                .description("TURN allocations made and not yet ended").register(registry);
    }

    /**
     * The recorder of {@code registry}: one per registry, made by the first call (its meters are
     * registered once, whoever asks again).
     *
     * @param registry where the meters go
     * @return the recorder, to hand to agents, shared ports and TURN allocators
     */
    public static MicrometerIceMetrics create(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (BY_REGISTRY) {
            WeakReference<MicrometerIceMetrics> known = BY_REGISTRY.get(registry);
            MicrometerIceMetrics m = known == null ? null : known.get();
            if (m == null) {
                m = new MicrometerIceMetrics(registry);
                BY_REGISTRY.put(registry, new WeakReference<>(m));
            }
            return m;
        }
    }

    /** The registry the meters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    private void sessionCounter(String name, String description, String unit, ToLongFunction<SessionCounters> count,
            String... tags) {
        // the counter holds its total weakly; this recorder holds it, and the registry this recorder
        FunctionCounter.builder(PREFIX + name, sessions.total(count), LiveTotals.Total::value)
                .description(description).baseUnit(unit).tags(tags).register(registry);
    }

    /** Whether a port of {@code transport} drops for {@code reason} at all (only those get a meter). */
    private static boolean counts(String transport, DropReason reason) {
        return switch (reason) {
            case UNKNOWN_UFRAG, MALFORMED -> true;
            case RATE_LIMITED, UNROUTABLE -> transport.equals("udp");
            case UNAUTHENTICATED, TIMED_OUT, CONNECTION_LIMIT -> transport.equals("tcp");
        };
    }

    private static String tag(IceState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    // ---- sessions

    @Override
    public void sessionStarted(SessionCounters counters) {
        byState[IceState.NEW.ordinal()].incrementAndGet();
        sessions.opened(counters);
    }

    @Override
    public void sessionStateChanged(IceState from, IceState to) {
        byState[from.ordinal()].decrementAndGet();
        if (to != IceState.CLOSED) {
            byState[to.ordinal()].incrementAndGet();
        }
    }

    @Override
    public void sessionConnected(Duration sinceStart) {
        connectTime.record(sinceStart);
    }

    @Override
    public void firstPairSelected(Duration sinceStart) {
        firstSelectedPairTime.record(sinceStart);
    }

    @Override
    public void selectedPairChanged() {
        selectedPairChanges.increment();
    }

    @Override
    public void sessionFailed(String reason) {
        counter(failures, "session.failures", "Sessions that failed, by reason", "reason", reason).increment();
    }

    @Override
    public void consentLost(String reason) {
        counter(consentLosses, "consent.losses", "Selected pairs that lost consent (RFC 7675)", "reason", reason)
                .increment();
    }

    @Override
    public void sessionClosed(SessionCounters counters) {
        sessions.closed(counters);
    }

    // ---- shared ports

    @Override
    public void sharedPortBound(PortCounters counters) {
        ports.opened(counters);
    }

    @Override
    public void sharedPortClosed(PortCounters counters) {
        ports.closed(counters);
    }

    // ---- TURN

    @Override
    public void relayAllocated() {
        allocations.incrementAndGet();
    }

    @Override
    public void relayReleased() {
        allocations.decrementAndGet();
    }

    @Override
    public void relayAllocationFailed(String code) {
        counter(allocationFailures, "turn.allocation.failures", "TURN Allocate requests that failed, by error code",
                "code", code).increment();
    }

    /** The counter of one tag value, made once: the values are a small fixed set. */
    private Counter counter(Map<String, Counter> cache, String name, String description, String key, String value) {
        Counter c = cache.get(value);
        if (c == null) {
            c = cache.computeIfAbsent(value, v -> Counter.builder(PREFIX + name).description(description).tag(key, v)
                    .register(registry));
        }
        return c;
    }

    @Override
    public String toString() {
        return "MicrometerIceMetrics[" + registry.getClass().getSimpleName() + "]";
    }
}
