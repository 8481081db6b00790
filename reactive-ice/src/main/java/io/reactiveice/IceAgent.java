package io.reactiveice;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.AnnouncedAddress;
import io.reactiveice.candidate.HostAddressPolicy;
import io.reactiveice.internal.agent.CoreConfig;
import io.reactiveice.internal.agent.RecoveryConfig;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.MdnsResolver;
import io.reactiveice.transport.MdnsResponder;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.LoggerFactory;
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
    /** How long the controlling agent waits for a better pair before nominating (shared by every session). */
    private static final Duration NOMINATION_DELAY = Duration.ofMillis(200);

    /** The longest randomized consent interval, in consent intervals (RFC 7675 section 5.1: 0.8 to 1.2). */
    private static final double MAX_CONSENT_JITTER = 1.2;

    private final Settings s;
    private volatile SessionOptions sessionOptions; // see sessionOptions()

    /** Every setting; each {@link IceAgent} holds its own copy and never changes it. */
    private static final class Settings implements Cloneable {
        IceRole role = IceRole.CONTROLLING;
        List<IceServer> iceServers = List.of();
        HostAddressPolicy hostPolicy = HostAddressPolicy.defaults();
        List<InetAddress> hostAddresses;
        List<AnnouncedAddress> announced = List.of();
        int portMin;
        int portMax;
        Duration pacing = Duration.ofMillis(50);
        Duration consentInterval = Duration.ofSeconds(5);
        Duration consentTimeout = Duration.ofSeconds(30);
        Duration disconnectedTimeout = Duration.ofMillis(7_500);
        int maxPairs = 100;
        int maxRemoteCandidates = 100;
        TransportPolicy transportPolicy = TransportPolicy.ALL;
        Scheduler scheduler = Schedulers.parallel();
        boolean schedulerSet;
        RandomGenerator random = new SecureRandom();
        IceCredentials credentials;
        PacketTransport transport = PacketTransport.udp();
        boolean transportSet;
        SharedUdpPort sharedPort;
        SharedTcpPort sharedTcpPort;
        RetransmissionSchedule gatherSchedule = new RetransmissionSchedule(Duration.ofMillis(500), 4, 4, null);
        String software;
        RelayAllocator relays;
        boolean lite;
        boolean udp = true;
        boolean tcp;
        boolean useCandidateOnConsent;
        boolean renomination;
        MdnsResolver mdns;
        MdnsResponder mdnsNames;
        boolean monitorNetwork = true;
        Duration monitorInterval = Duration.ofSeconds(1);
        NetworkMonitor monitor;
        RecoveryPolicy recovery = RecoveryPolicy.RENOMINATE;
        Duration restartInterval = RecoveryConfig.OFF.restartInterval();
        Duration maxRestartInterval = RecoveryConfig.OFF.maxRestartInterval();
        IceMetrics metrics = IceMetrics.NONE;

        Settings copy() {
            try {
                return (Settings) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
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
        return new IceAgent(new Settings());
    }

    private IceAgent with(Consumer<Settings> change) {
        Settings copy = s.copy();
        change.accept(copy);
        return new IceAgent(copy);
    }

    /** The initial role; a role conflict may change it (RFC 8445 section 7.3.1.1). */
    public IceAgent role(IceRole role) {
        Objects.requireNonNull(role, "role");
        return with(c -> c.role = role);
    }

    /** STUN and TURN servers, as WebRTC's {@code iceServers}. */
    public IceAgent iceServers(List<IceServer> servers) {
        List<IceServer> copy = List.copyOf(Objects.requireNonNull(servers, "iceServers"));
        return with(c -> c.iceServers = copy);
    }

    /** Which interfaces and addresses become host candidates. */
    public IceAgent hostAddressPolicy(HostAddressPolicy policy) {
        Objects.requireNonNull(policy, "hostAddressPolicy");
        return with(c -> c.hostPolicy = policy);
    }

    /** Whether loopback addresses become host candidates (off by default, on in tests). */
    public IceAgent includeLoopback(boolean on) {
        return hostAddressPolicy(s.hostPolicy.withLoopback(on));
    }

    /**
     * Exactly these local addresses, instead of enumerating interfaces: e.g. {@code 127.0.0.1} in tests,
     * or the one address of a server.
     *
     * @throws IceConfigException naming {@code hostAddresses} if empty, or if a {@link #sharedPort} is
     *     set and they are not exactly its address
     */
    public IceAgent hostAddresses(List<InetAddress> addresses) {
        List<InetAddress> copy = List.copyOf(Objects.requireNonNull(addresses, "hostAddresses"));
        if (copy.isEmpty()) {
            throw new IceConfigException("hostAddresses", "hostAddresses must not be empty");
        }
        if (s.sharedPort != null) {
            requireSharedPortAddress(copy, s.sharedPort);
        }
        return with(c -> c.hostAddresses = copy);
    }

    /**
     * Addresses to advertise for local ones, for a service behind a one-to-one NAT (a cloud VM, a
     * Kubernetes node, Docker): a socket bound to an announced address's {@code local} is signalled
     * as its {@code announced} address with the same port, as the host candidate or as a
     * server-reflexive one beside it ({@link AnnouncedAddress}); no STUN server is needed. Also for a
     * {@link #sharedPort}'s address. Local addresses without an announcement are signalled as they are.
     *
     * @throws IceConfigException naming {@code announcedAddresses} if two announce for the same local address
     */
    public IceAgent announcedAddresses(List<AnnouncedAddress> addresses) {
        List<AnnouncedAddress> copy = List.copyOf(Objects.requireNonNull(addresses, "announcedAddresses"));
        for (int i = 0; i < copy.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (copy.get(i).local().equals(copy.get(j).local())) {
                    throw new IceConfigException("announcedAddresses", "announcedAddresses has two announcements for "
                            + copy.get(i).local().getHostAddress() + ": " + copy.get(j).announced().getHostAddress()
                            + " and " + copy.get(i).announced().getHostAddress());
                }
            }
        }
        return with(c -> c.announced = copy);
    }

    /** The local port range for host candidates, both ends included. */
    public IceAgent portRange(int min, int max) {
        if (min < 1 || max > 65_535 || min > max) {
            throw new IllegalArgumentException("portRange must satisfy 1 <= min <= max <= 65535 but was " + min + ".." + max);
        }
        return with(c -> {
            c.portMin = min;
            c.portMax = max;
        });
    }

    /** Ta, the pacing of new checks (RFC 8445 section 14.2; default 50 ms). */
    public IceAgent pacing(Duration ta) {
        positive("pacing", ta);
        return with(c -> c.pacing = ta);
    }

    /**
     * Consent freshness timing (RFC 7675 section 5.1: a check every 5 s, randomized to 0.8 to 1.2 times
     * that, consent lost after 30 s without a response) and when to report DISCONNECTED.
     *
     * @param interval how often the selected pair's consent is checked
     * @param timeout how long without a response before consent is lost (FAILED)
     * @param disconnectedAfter how long without a response before DISCONNECTED
     * @throws IceConfigException naming the field if a duration is not positive, if
     *     {@code disconnectedAfter} is not longer than the longest randomized interval (1.2 times
     *     {@code interval}: the state would go DISCONNECTED before the next check could be answered),
     *     or if {@code timeout} is shorter than {@code disconnectedAfter}
     */
    public IceAgent consent(Duration interval, Duration timeout, Duration disconnectedAfter) {
        positive("consentInterval", interval);
        positive("consentTimeout", timeout);
        positive("disconnectedTimeout", disconnectedAfter);
        long longestInterval = (long) (interval.toNanos() * MAX_CONSENT_JITTER);
        if (disconnectedAfter.toNanos() <= longestInterval) {
            throw new IceConfigException("disconnectedTimeout", "disconnectedTimeout must be longer than the longest"
                    + " randomized consent interval, 1.2 x consentInterval = " + Duration.ofNanos(longestInterval)
                    + " (RFC 7675 section 5.1), but was " + disconnectedAfter + ": DISCONNECTED would come before"
                    + " the next consent check could be answered");
        }
        if (timeout.compareTo(disconnectedAfter) < 0) {
            throw new IceConfigException("consentTimeout", "consentTimeout must not be shorter than"
                    + " disconnectedTimeout " + disconnectedAfter + " but was " + timeout);
        }
        return with(c -> {
            c.consentInterval = interval;
            c.consentTimeout = timeout;
            c.disconnectedTimeout = disconnectedAfter;
        });
    }

    /** The most candidate pairs (RFC 8445 section 6.1.2.5: 100) and remote candidates to keep. */
    public IceAgent limits(int maxPairs, int maxRemoteCandidates) {
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be at least 1 but was " + maxPairs);
        }
        if (maxRemoteCandidates < 1) {
            throw new IllegalArgumentException("maxRemoteCandidates must be at least 1 but was " + maxRemoteCandidates);
        }
        return with(c -> {
            c.maxPairs = maxPairs;
            c.maxRemoteCandidates = maxRemoteCandidates;
        });
    }

    /** {@code all} or {@code relay} candidates, as WebRTC's {@code iceTransportPolicy}. */
    public IceAgent transportPolicy(TransportPolicy policy) {
        Objects.requireNonNull(policy, "transportPolicy");
        return with(c -> c.transportPolicy = policy);
    }

    /**
     * The scheduler of every protocol timer (a virtual-time one in tests) and of the agent's serialized
     * context. Default: {@link Schedulers#parallel()}, except for sessions on a {@link #sharedPort shared
     * port}, which run on the port's event loop unless a scheduler is set here.
     */
    public IceAgent scheduler(Scheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return with(c -> {
            c.scheduler = scheduler;
            c.schedulerSet = true;
        });
    }

    /** The source of credentials, tie-breakers, transaction ids and jitter (seeded in tests). */
    public IceAgent random(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        return with(c -> c.random = random);
    }

    /** Our ufrag and password, instead of generated ones. */
    public IceAgent credentials(IceCredentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return with(c -> c.credentials = credentials);
    }

    /**
     * The network: real UDP by default; tests may pass a lossy or in-process one.
     *
     * @throws IceConfigException naming {@code packetTransport} if a {@link #sharedPort} is set: the
     *     session's sockets are then views of that port
     */
    public IceAgent packetTransport(PacketTransport transport) {
        Objects.requireNonNull(transport, "packetTransport");
        if (s.sharedPort != null) {
            throw new IceConfigException("packetTransport", "packetTransport cannot be combined with sharedPort "
                    + s.sharedPort + ": the session's sockets are views of that port");
        }
        return with(c -> {
            c.transport = transport;
            c.transportSet = true;
        });
    }

    /**
     * The retransmission schedule of STUN requests while gathering (default RTO 500 ms, 4 sends, done
     * after 5.5 s), so that an unreachable server delays end-of-candidates by that much at most.
     */
    public IceAgent gatherSchedule(RetransmissionSchedule schedule) {
        Objects.requireNonNull(schedule, "gatherSchedule");
        return with(c -> c.gatherSchedule = schedule);
    }

    /** Where relayed candidates come from for {@code turn:} servers (the TURN module provides one). */
    public IceAgent relayAllocator(RelayAllocator allocator) {
        Objects.requireNonNull(allocator, "relayAllocator");
        return with(c -> c.relays = allocator);
    }

    /**
     * An ICE-lite agent (RFC 8445 sections 2.5 and 6.1.1), as servers facing browsers run: host
     * candidates only (STUN and TURN servers are not used), always controlled, no checks of its own;
     * it answers the peer's checks and selects the pair the peer nominates with USE-CANDIDATE. Its
     * description must say {@code a=ice-lite} ({@link IceSession#isLite()}), and the peer must be a
     * full agent.
     *
     * @param lite whether to run as a lite agent (default: full)
     */
    public IceAgent lite(boolean lite) {
        return with(c -> c.lite = lite);
    }

    /**
     * Whether the agent gathers ICE-TCP host candidates too (<a href="https://www.rfc-editor.org/rfc/rfc6544">RFC
     * 6544</a>; default off): on each host address a passive one (a listening TCP socket the peer's active
     * candidates connect to) and, for a full agent, an active one (signalled with port 9; it connects to
     * the peer's passive candidates, one connection per pair). STUN and application data go over a pair's
     * connection in RFC 4571 frames, and a connection that closes fails its pair at once. TCP pairs rank
     * below every UDP pair of the same candidate types (section 4.2), so UDP is used where it works and
     * TCP where it is blocked. With a {@link #sharedTcpPort}, the passive candidate is that port's.
     *
     * @param tcp whether to gather TCP host candidates
     */
    public IceAgent tcpCandidates(boolean tcp) {
        return with(c -> c.tcp = tcp);
    }

    /**
     * Whether the agent gathers UDP candidates (default on): host, server-reflexive and relayed. Off with
     * {@link #tcpCandidates} on gives an agent that uses ICE-TCP only (as on a network that blocks UDP).
     *
     * @param udp whether to gather UDP candidates
     */
    public IceAgent udpCandidates(boolean udp) {
        return with(c -> c.udp = udp);
    }

    /**
     * Sessions take their passive ICE-TCP candidate from this shared TCP port (RFC 6544), as servers do
     * beside a {@link #sharedPort}: the port routes each connection to the session whose ufrag its first,
     * authentic Binding request names. Turns {@link #tcpCandidates} on. Its port number must differ
     * from the {@link #sharedPort}'s on the same address ({@link #start} fails otherwise).
     *
     * @param port a bound shared TCP port
     * @throws IceConfigException naming {@code sharedTcpPort} if the port is disposed
     */
    public IceAgent sharedTcpPort(SharedTcpPort port) {
        Objects.requireNonNull(port, "sharedTcpPort");
        if (port.isDisposed()) {
            throw new IceConfigException("sharedTcpPort", "sharedTcpPort " + port + " is disposed");
        }
        return with(c -> {
            c.sharedTcpPort = port;
            c.tcp = true;
        });
    }

    /**
     * A compatibility switch: as the controlling agent, put USE-CANDIDATE on consent checks too, for
     * lite peers that ignore checks without it (default off).
     */
    public IceAgent useCandidateOnConsent(boolean on) {
        return with(c -> c.useCandidateOnConsent = on);
    }

    /**
     * ICE renomination (<a href="https://datatracker.ietf.org/doc/draft-thatcher-ice-renomination/">draft-thatcher-ice-renomination</a>),
     * as libwebrtc and pion/ice implement it (default off). When on, the session's
     * {@link IceSession#localParameters() parameters} offer the {@code ice-options} token
     * {@code renomination}, and the agent follows a controlling peer's NOMINATION attribute: the pair
     * nominated with the highest counter is selected, whatever its priority. When the peer's parameters
     * ({@link IceSession#setRemoteParameters}) offer it too, the agent as the controlling side moves
     * the selected pair to a better one that succeeds later (a direct pair after a relayed one was
     * selected, say) with the next counter; both sides emit the new pair on
     * {@link IceSession#selectedPairs()}. Without the peer's token nothing changes on the wire.
     *
     * @param on whether to offer and follow renomination
     */
    public IceAgent renomination(boolean on) {
        return with(c -> c.renomination = on);
    }

    /**
     * Puts the session on a port it shares with other sessions, instead of sockets of its own: its
     * host candidate is the port's address, checks reach it by its ufrag and data by the peer's
     * address. Usually together with {@link #lite(boolean)} on a server. Each session on the port
     * needs a ufrag of its own (generated ones are); {@link #start()} fails with an
     * {@link IceConfigException} naming {@code credentials} otherwise, and naming {@code sharedPort}
     * if the port has been disposed by then.
     *
     * <p>Unless {@link #scheduler(Scheduler)} is set, the session runs on the port's event loop: a check
     * is answered on the thread that received it, with no hand-off to another thread and back. Its
     * subscribers ({@code states()}, {@code selectedPairs()}, ...) are then called on that loop too, so
     * they must not block: a blocked subscriber would hold up every session on the port.
     *
     * @param port a bound shared port
     * @throws IceConfigException naming {@code sharedPort} if the port is disposed, {@code hostAddresses}
     *     if host addresses other than the port's are set, or {@code packetTransport} if one is set
     */
    public IceAgent sharedPort(SharedUdpPort port) {
        Objects.requireNonNull(port, "sharedPort");
        if (port.isDisposed()) {
            throw new IceConfigException("sharedPort", "sharedPort " + port + " is disposed");
        }
        if (s.hostAddresses != null) {
            requireSharedPortAddress(s.hostAddresses, port);
        }
        if (s.transportSet) {
            throw new IceConfigException("packetTransport", "packetTransport cannot be combined with sharedPort "
                    + port + ": the session's sockets are views of that port");
        }
        return with(c -> c.sharedPort = port);
    }

    private static void requireSharedPortAddress(List<InetAddress> addresses, SharedUdpPort port) {
        InetAddress own = port.localAddress().getAddress();
        if (!addresses.equals(List.of(own))) {
            throw new IceConfigException("hostAddresses", "hostAddresses must be exactly the shared port's address "
                    + own.getHostAddress() + " but were " + addresses.stream().map(InetAddress::getHostAddress).toList());
        }
    }

    /**
     * Resolves the peer's mDNS host candidates ({@code <uuid>.local}, as browsers signal them) with
     * multicast DNS through one interface. Without it (the default) such candidates are dropped
     * quietly, and the peer is still found as a peer-reflexive candidate when its checks arrive.
     *
     * @param resolver the resolver, e.g. {@code MdnsResolver.on(serverAddress)}
     */
    public IceAgent mdnsResolver(MdnsResolver resolver) {
        Objects.requireNonNull(resolver, "mdnsResolver");
        return with(c -> c.mdns = resolver);
    }

    /**
     * Signals our host candidates under {@code <uuid>.local} names that this responder answers for,
     * instead of their addresses, as browsers do to keep local addresses private. The checks still
     * use the addresses; a peer that cannot resolve the names finds us as peer-reflexive.
     *
     * @param responder a running responder on the interface of the host addresses
     */
    public IceAgent publishMdnsNames(MdnsResponder responder) {
        Objects.requireNonNull(responder, "publishMdnsNames");
        return with(c -> c.mdnsNames = responder);
    }

    /**
     * Whether the session follows changes of the local addresses (issue 13; default on): a
     * {@link NetworkMonitor} polls the usable addresses (the {@link #hostAddressPolicy} filters) every
     * {@link #networkMonitorInterval interval}, one monitor per JVM however many sessions. When an
     * address disappears, the candidates on it (host, and the server-reflexive ones of its socket) are
     * removed, their pairs fail, its socket closes, and if it carried the selected pair the agent moves
     * to the best remaining valid pair at once ({@link IceSession#selectedPairs()}); when one appears,
     * host and server-reflexive candidates are gathered on it (and a relayed one if the session has
     * none), paired and checked. What the application signals: {@link IceSession#candidateChanges()}.
     *
     * <p>Sessions with {@link #hostAddresses} or a {@link #sharedPort} are never monitored: their
     * addresses are fixed. Nor are {@link #lite lite} agents unless a {@link #networkMonitor} is given.
     *
     * @param on whether to monitor the local addresses
     */
    public IceAgent monitorNetwork(boolean on) {
        return with(c -> c.monitorNetwork = on);
    }

    /** How often the default {@link NetworkMonitor} enumerates the interfaces (default 1 s). */
    public IceAgent networkMonitorInterval(Duration interval) {
        positive("networkMonitorInterval", interval);
        return with(c -> c.monitorInterval = interval);
    }

    /**
     * The source of local address changes, instead of the interfaces: e.g. {@link NetworkMonitor#of}
     * fed by a test. Its first change gives the session's host addresses, as enumeration would; it
     * monitors a lite agent too. Ignored with {@link #hostAddresses} or a {@link #sharedPort}, and
     * when {@link #monitorNetwork} is off.
     */
    public IceAgent networkMonitor(NetworkMonitor monitor) {
        Objects.requireNonNull(monitor, "networkMonitor");
        return with(c -> c.monitor = monitor);
    }

    /**
     * What the agent does on its own when no valid pair is left after a network change (issue 13):
     * {@link RecoveryPolicy#RENOMINATE} (the default) moves and renominates only, which needs no
     * signalling; {@link RecoveryPolicy#RESTART} also restarts ICE (RFC 8445 section 9) when that cannot
     * save the session, and the application signals the new credentials from
     * {@link IceSession#restarts()} and the candidates from {@link IceSession#localCandidates()}, as for
     * the first connection. The exact sequence of events is on {@link IceSession#restarts()}.
     *
     * @param policy the policy
     */
    public IceAgent recovery(RecoveryPolicy policy) {
        Objects.requireNonNull(policy, "recovery");
        return with(c -> c.recovery = policy);
    }

    /**
     * How often the agent may restart on its own ({@link RecoveryPolicy#RESTART}; default 2 s, up to
     * 30 s): at least {@code interval} after the previous automatic restart, doubled after each one that
     * did not lead to a selected pair, up to {@code max}, so that a flapping network does not storm the
     * signalling. {@code interval} is also how long a valid backup (consent failover) or, with
     * renomination, a pair that may still succeed, is given before the first restart.
     *
     * @param interval the least time between two automatic restarts
     * @param max the most the interval grows to
     * @throws IceConfigException naming {@code restartInterval} if it is not positive, or
     *     {@code maxRestartInterval} if it is shorter than {@code interval}
     */
    public IceAgent restartInterval(Duration interval, Duration max) {
        Objects.requireNonNull(interval, "restartInterval");
        Objects.requireNonNull(max, "maxRestartInterval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IceConfigException("restartInterval", "restartInterval must be positive but was " + interval);
        }
        if (max.compareTo(interval) < 0) {
            throw new IceConfigException("maxRestartInterval", "maxRestartInterval must not be shorter than"
                    + " restartInterval " + interval + " but was " + max);
        }
        return with(c -> {
            c.restartInterval = interval;
            c.maxRestartInterval = max;
        });
    }

    /**
     * Where every session of this configuration reports its state changes, times to connect and to
     * the first selected pair, failures with their reason, and its counts of checks, datagrams and
     * bytes ({@link IceMetrics}; {@link IceMetrics#NONE}, nothing, by default), in the style of Reactor
     * Netty's {@code metrics(true, ...)}: e.g. {@code metrics(MicrometerIceMetrics.create(registry))}
     * (Micrometer is an optional dependency; without metrics no Micrometer class is loaded). The
     * counts are those the session keeps for {@link IceSession#stats()} anyway: the data path does
     * nothing more with metrics on.
     *
     * @param metrics the recorder
     */
    public IceAgent metrics(IceMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        return with(c -> c.metrics = metrics);
    }

    /**
     * Binds the sockets and starts gathering; the session is returned as soon as it exists. A
     * configuration mistake that no builder method could see fails here with an
     * {@link IceConfigException} naming the setting (a {@link #sharedPort} disposed in the meantime,
     * or a ufrag another session on it has); a failed start leaves nothing bound. The first start in
     * a JVM also warms the check path in memory on {@link Schedulers#boundedElastic()}, so that the
     * first connectivity checks do not wait for class loading (see {@code FirstCheckWarmup}).
     */
    public Mono<IceSession> start() {
        return Mono.defer(() -> {
            boolean anyTurn = s.iceServers.stream().anyMatch(IceServer::isTurn);
            if (!s.udp && !s.tcp) {
                return Mono.error(new IceConfigException("udpCandidates",
                        "udpCandidates is off and tcpCandidates is off: the agent would have no candidate at all"));
            }
            if (s.sharedTcpPort != null && s.sharedTcpPort.isDisposed()) {
                return Mono.error(new IceConfigException("sharedTcpPort", "sharedTcpPort " + s.sharedTcpPort
                        + " is disposed"));
            }
            if (s.sharedTcpPort != null && s.sharedPort != null
                    && s.sharedTcpPort.localAddress().equals(s.sharedPort.localAddress())) {
                // a local candidate's base is its address: one UDP and one TCP base on the same address
                // and port would be one base to the core
                return Mono.error(new IceConfigException("sharedTcpPort", "sharedTcpPort " + s.sharedTcpPort
                        + " has the address of sharedPort " + s.sharedPort.localAddress()
                        + ": bind the shared TCP port on another port number"));
            }
            if (s.lite && s.transportPolicy == TransportPolicy.RELAY) {
                return Mono.error(new IllegalStateException(
                        "transportPolicy relay cannot be used by a lite agent, which has host candidates only"));
            }
            if (s.transportPolicy == TransportPolicy.RELAY && (s.relays == null || !anyTurn)) {
                return Mono.error(new IllegalStateException("transportPolicy relay needs a turn: server in iceServers"
                        + " and a relayAllocator (the TURN module provides one)"));
            }
            if (anyTurn && s.relays == null) {
                LoggerFactory.getLogger(IceAgent.class).warn(
                        "turn: servers are ignored without a relayAllocator (the TURN module provides one)");
            }
            IceCredentials creds = s.credentials != null ? s.credentials : IceCredentials.generate(s.random);
            CoreConfig core = new CoreConfig(s.role, s.random.nextLong(), s.pacing, RetransmissionSchedule.UDP_DEFAULT,
                    s.consentInterval, s.consentTimeout, s.disconnectedTimeout, NOMINATION_DELAY, s.maxPairs,
                    s.maxRemoteCandidates, s.software).withLite(s.lite).withUseCandidateOnConsent(s.useCandidateOnConsent)
                    .withRenomination(s.renomination);
            FirstCheckWarmup.startOnce(core, Schedulers.boundedElastic()); // the first session of a JVM only
            RecoveryConfig recovery = RecoveryConfig.of(s.recovery == RecoveryPolicy.RESTART, s.restartInterval,
                    s.maxRestartInterval);
            IceSession session = new IceSession(core, recovery, creds, sessionOptions());
            return session.start().doOnError(e -> session.dispose()).thenReturn(session);
        });
    }

    /**
     * The settings every session of this configuration runs with, made by the first {@link #start()}
     * and shared by the rest: they are the same for each, and an idle session's heap counts.
     */
    private SessionOptions sessionOptions() {
        SessionOptions o = sessionOptions;
        if (o == null) {
            SharedUdpPort shared = s.sharedPort;
            List<InetAddress> hosts = shared == null ? s.hostAddresses : List.of(shared.localAddress().getAddress());
            // one route per remote candidate the core may keep, and one per server it asks
            PacketTransport transport = shared == null ? s.transport
                    : shared.transport(s.maxRemoteCandidates + s.iceServers.size());
            Scheduler scheduler = shared == null || s.schedulerSet || shared.sessionScheduler() == null ? s.scheduler
                    : shared.sessionScheduler();
            o = new SessionOptions(s.iceServers, s.hostPolicy, hosts, shared == null ? s.portMin : 0,
                    shared == null ? s.portMax : 0, s.maxRemoteCandidates, s.transportPolicy, scheduler, s.random,
                    transport, s.gatherSchedule, s.relays, s.lite, s.mdns, s.mdnsNames, monitor(hosts, scheduler),
                    s.announced, s.udp, s.tcp, s.sharedTcpPort, s.metrics);
            sessionOptions = o; // a race makes two equal ones: harmless
        }
        return o;
    }

    /** The monitor of a session on {@code hosts} (fixed ones, or {@code null}), or {@code null} for none. */
    private NetworkMonitor monitor(List<InetAddress> hosts, Scheduler scheduler) {
        if (!s.monitorNetwork || hosts != null) {
            return null;
        }
        if (s.monitor != null) {
            return s.monitor;
        }
        return s.lite ? null : NetworkMonitor.system(s.hostPolicy, s.monitorInterval, scheduler);
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + d);
        }
    }
}
