package io.reactiveice;

import io.reactiveice.agent.CoreConfig;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.gather.HostAddressPolicy;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The immutable configuration of an ICE agent, in the style of Reactor Netty: every call returns a
 * new instance and nothing happens until {@link #start()} is subscribed.
 *
 * <pre>{@code
 * IceAgent.create()
 *         .role(IceRole.CONTROLLING)
 *         .iceServers(List.of(IceServer.parse("stun:stun.example.org")))
 *         .start()
 *         .flatMap(session -> {
 *             session.localCandidates().subscribe(c -> signal(c));   // trickle them to the peer
 *             return session.connect();
 *         })
 *         .flatMap(c -> c.send(Flux.just(payload)))
 *         .subscribe();
 * }</pre>
 */
public final class IceAgent {
    private final Settings s;

    /** Every setting, as one value. */
    private record Settings(IceRole role, List<IceServer> iceServers, HostAddressPolicy hostPolicy,
            List<InetAddress> hostAddresses, int portMin, int portMax, Duration pacing, Duration consentInterval,
            Duration consentTimeout, Duration disconnectedTimeout, int maxPairs, int maxRemoteCandidates,
            TransportPolicy transportPolicy, Scheduler scheduler, RandomGenerator random, IceCredentials credentials,
            PacketTransport transport, RetransmissionSchedule gatherSchedule, String software, RelayAllocator relays) {
    }

    private IceAgent(Settings s) {
        this.s = s;
    }

    /**
     * The defaults: controlling, no ICE servers, every up non-loopback interface, any port, Ta 50 ms,
     * consent every 5 s and lost after 30 s, 100 pairs, transport policy {@code all}, the parallel
     * scheduler, a secure random source, fresh credentials, real UDP sockets.
     */
    public static IceAgent create() {
        return new IceAgent(new Settings(IceRole.CONTROLLING, List.of(), HostAddressPolicy.defaults(), null, 0, 0,
                Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(7_500), 100, 100,
                TransportPolicy.ALL, Schedulers.parallel(), new SecureRandom(), null, PacketTransport.udp(),
                new RetransmissionSchedule(Duration.ofMillis(500), 4, 4, null), null, null));
    }

    private IceAgent with(Settings n) {
        return new IceAgent(n);
    }

    /** The initial role; a role conflict may change it (RFC 8445 section 7.3.1.1). */
    public IceAgent role(IceRole role) {
        Objects.requireNonNull(role, "role");
        return with(new Settings(role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** STUN and TURN servers, as WebRTC's {@code iceServers}. */
    public IceAgent iceServers(List<IceServer> servers) {
        List<IceServer> copy = List.copyOf(Objects.requireNonNull(servers, "iceServers"));
        return with(new Settings(s.role, copy, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** Which interfaces and addresses become host candidates. */
    public IceAgent hostAddressPolicy(HostAddressPolicy policy) {
        Objects.requireNonNull(policy, "hostAddressPolicy");
        return with(new Settings(s.role, s.iceServers, policy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** Whether loopback addresses become host candidates (off by default, on in tests). */
    public IceAgent includeLoopback(boolean on) {
        return hostAddressPolicy(s.hostPolicy.withLoopback(on));
    }

    /**
     * Exactly these local addresses, instead of enumerating interfaces: e.g. {@code 127.0.0.1} in tests,
     * or the one address of a server.
     */
    public IceAgent hostAddresses(List<InetAddress> addresses) {
        List<InetAddress> copy = List.copyOf(Objects.requireNonNull(addresses, "hostAddresses"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("hostAddresses must not be empty");
        }
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, copy, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** The local port range for host candidates, both ends included. */
    public IceAgent portRange(int min, int max) {
        if (min < 1 || max > 65_535 || min > max) {
            throw new IllegalArgumentException("portRange must satisfy 1 <= min <= max <= 65535 but was " + min + ".." + max);
        }
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, min, max, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** Ta, the pacing of new checks (RFC 8445 section 14.2; default 50 ms). */
    public IceAgent pacing(Duration ta) {
        positive("pacing", ta);
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, ta,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** Consent freshness timing (RFC 7675: 5 s, lost after 30 s) and when to report DISCONNECTED. */
    public IceAgent consent(Duration interval, Duration timeout, Duration disconnectedAfter) {
        positive("consentInterval", interval);
        positive("consentTimeout", timeout);
        positive("disconnectedTimeout", disconnectedAfter);
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                interval, timeout, disconnectedAfter, s.maxPairs, s.maxRemoteCandidates, s.transportPolicy,
                s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** The most candidate pairs (RFC 8445 section 6.1.2.5: 100) and remote candidates to keep. */
    public IceAgent limits(int maxPairs, int maxRemoteCandidates) {
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be at least 1 but was " + maxPairs);
        }
        if (maxRemoteCandidates < 1) {
            throw new IllegalArgumentException("maxRemoteCandidates must be at least 1 but was " + maxRemoteCandidates);
        }
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, maxPairs, maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** {@code all} or {@code relay} candidates, as WebRTC's {@code iceTransportPolicy}. */
    public IceAgent transportPolicy(TransportPolicy policy) {
        Objects.requireNonNull(policy, "transportPolicy");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates, policy,
                s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** The scheduler of every protocol timer (a virtual-time one in tests) and of the agent's serialized context. */
    public IceAgent scheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** The source of credentials, tie-breakers, transaction ids and jitter (seeded in tests). */
    public IceAgent random(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, random, s.credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** Our ufrag and password, instead of generated ones. */
    public IceAgent credentials(IceCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, credentials, s.transport, s.gatherSchedule, s.software, s.relays));
    }

    /** The network: real UDP by default; tests may pass a lossy or in-process one. */
    public IceAgent packetTransport(PacketTransport transport) {
        Objects.requireNonNull(transport, "packetTransport");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, transport, s.gatherSchedule, s.software, s.relays));
    }

    /**
     * The retransmission schedule of STUN requests while gathering (default RTO 500 ms, 4 sends, done
     * after 5.5 s), so that an unreachable server delays end-of-candidates by that much at most.
     */
    public IceAgent gatherSchedule(RetransmissionSchedule schedule) {
        Objects.requireNonNull(schedule, "gatherSchedule");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, schedule, s.software, s.relays));
    }

    /** Where relayed candidates come from for {@code turn:} servers (the TURN module provides one). */
    public IceAgent relayAllocator(RelayAllocator allocator) {
        Objects.requireNonNull(allocator, "relayAllocator");
        return with(new Settings(s.role, s.iceServers, s.hostPolicy, s.hostAddresses, s.portMin, s.portMax, s.pacing,
                s.consentInterval, s.consentTimeout, s.disconnectedTimeout, s.maxPairs, s.maxRemoteCandidates,
                s.transportPolicy, s.scheduler, s.random, s.credentials, s.transport, s.gatherSchedule, s.software,
                allocator));
    }

    /** Binds the sockets and starts gathering; the session is returned as soon as it exists. */
    public Mono<IceSession> start() {
        return Mono.defer(() -> {
            boolean anyTurn = s.iceServers.stream().anyMatch(IceServer::isTurn);
            if (s.transportPolicy == TransportPolicy.RELAY && (s.relays == null || !anyTurn)) {
                return Mono.error(new IllegalStateException("transportPolicy relay needs a turn: server in iceServers"
                        + " and a relayAllocator (the TURN module provides one)"));
            }
            if (anyTurn && s.relays == null) {
                org.slf4j.LoggerFactory.getLogger(IceAgent.class).warn(
                        "turn: servers are ignored without a relayAllocator (the TURN module provides one)");
            }
            IceCredentials creds = s.credentials != null ? s.credentials : IceCredentials.generate(s.random);
            CoreConfig core = new CoreConfig(s.role, s.random.nextLong(), s.pacing, RetransmissionSchedule.UDP_DEFAULT,
                    s.consentInterval, s.consentTimeout, s.disconnectedTimeout, Duration.ofMillis(200), s.maxPairs,
                    s.maxRemoteCandidates, s.software);
            IceSession session = new IceSession(core, creds, new SessionOptions(s.iceServers, s.hostPolicy,
                    s.hostAddresses, s.portMin, s.portMax, s.maxRemoteCandidates, s.transportPolicy, s.scheduler,
                    s.random, s.transport, s.gatherSchedule, s.relays));
            return session.start().thenReturn(session);
        });
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + d);
        }
    }
}
