package io.reactiveice.samples;

import ch.qos.logback.classic.Level;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.IceSession;
import io.reactiveice.RecoveryPolicy;
import io.reactiveice.TransportPolicy;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceFailureKind;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceStateChange;
import io.reactiveice.candidate.HostAddressPolicy;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.sdp.JsonReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The peer program of the interop protocol ({@code shared/interop/PROTOCOL.md}): one ICE session
 * whose signalling, state changes and received datagrams are JSON lines on stdout, driven by JSON
 * lines on stdin, so that a small driver can pair reactive-ice with any other ICE implementation.
 * Logs go to stderr only. Exit codes: 0 after {@code close}, end of input or
 * {@code --exit-after-stats}; 1 when ICE failed or did not connect in time; 2 for a bad or
 * unsupported command line. With {@code --turn} it gathers a relayed candidate through the TURN
 * client of {@code reactive-ice-turn} (with {@code --relay-only}, nothing else), and before exiting
 * waits (bounded) until the server has deleted the allocation. With {@code --all-interfaces} the agent
 * enumerates the host addresses itself (every up non-loopback interface, at start; following changes
 * once the library monitors them). A {@code restart} line restarts ICE and prints the new
 * {@code credentials}, {@code candidate} and {@code end-of-candidates} lines for the driver to forward;
 * so does a restart the agent makes itself with {@code --auto-restart}, and the peer's restart (new
 * remote credentials) prints ours again, unchanged, with our candidates, for the peer's new session.
 * A {@code pair-stats} line prints the selected pair's statistics ({@link IceSession#stats()}).
 *
 * <pre>
 * java -jar samples/target/ice-peer.jar --controlled --echo
 * java -jar samples/target/ice-peer.jar --relay-only --turn 192.0.2.1:3478 --turn-user alice --turn-pass secret
 * </pre>
 */
public final class IcePeer {
    private static final Logger log = LoggerFactory.getLogger(IcePeer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final String NETTY_JFR = "io.netty.jfr.enabled";
    /** A line of the kind the driver sends most, parsed once while the agent starts (see {@link #warmStdinPath}). */
    private static final String WARM_LINE = "{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 2122260223 "
            + "192.0.2.1 9 typ host generation 0 ufrag warm network-id 1\"}";

    private final PeerOptions options;
    private final PeerOutput out;
    private final Scheduler scheduler = Schedulers.parallel();
    private final Sinks.One<Integer> exit = Sinks.one();
    private final Disposable.Composite tasks = Disposables.composite();
    private final PingMeasurement measurement;
    private final PeerRelays relays = new PeerRelays();
    private final Object sendLock = new Object();
    private final List<byte[]> pending = new ArrayList<>(); // guarded by sendLock, until connected
    private IceConnection connection; // guarded by sendLock
    private volatile IceSession session;
    private volatile long remoteCredentialsAt = Long.MIN_VALUE;
    private volatile boolean closing;
    private boolean connected; // guarded by this, like everything that prints state
    private boolean everConnected; // guarded by this
    private CandidatePair shownPair; // guarded by this

    private IcePeer(PeerOptions options, PeerOutput out) {
        this.options = options;
        this.out = out;
        this.measurement = options.send() > 0 ? new PingMeasurement(options, this::sendData, scheduler) : null;
    }

    /**
     * Runs the peer until {@code close}, the end of stdin, a failure, or the stats with
     * {@code --exit-after-stats}; then exits the JVM.
     *
     * @param args the options of the protocol's option table
     */
    public static void main(String[] args) {
        // Netty 4.2's allocator reports JFR events; their first buffer sets up JFR's event metadata,
        // which in a fresh JVM takes most of 100 ms, on the first check. A -D of the user's wins.
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err); // nothing but protocol lines may reach stdout, whatever a library prints
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.err.print(PeerOptions.USAGE);
            System.exit(0);
        }
        PeerOptions options;
        try {
            options = PeerOptions.parse(args);
        } catch (PeerOptions.UsageException e) {
            System.err.println("ice-peer: " + e.getMessage());
            System.err.print(PeerOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.verbose()) {
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.reactiveice")).setLevel(Level.DEBUG);
        }
        System.exit(new IcePeer(options, new PeerOutput(protocol)).run(System.in));
    }

    /**
     * The whole run as one pipeline: start the agent, read commands, wait for the exit code, close.
     * Its one wait is here, on the CLI's main thread, which is no event loop.
     */
    private int run(InputStream stdin) {
        warmStdinPath();
        Integer code = Mono.fromRunnable(() -> {
                    out.hello(version(), options);
                    out.state("gathering", null);
                })
                .then(start())
                .then(Mono.fromRunnable(() -> new StdinCommands(stdin, this::onCommand, () -> finish(0)).start()))
                .then(exit.asMono())
                .onErrorResume(e -> {
                    log.error("ice-peer failed", e);
                    return Mono.just(1);
                })
                .flatMap(c -> close().thenReturn(c))
                .block();
        return code == null ? 1 : code;
    }

    /**
     * Loads and runs the JSON reader of stdin once, on a thread of its own while the agent starts:
     * otherwise that happens on the remote credentials, the first line read, and counts in ice_ms.
     */
    private static void warmStdinPath() {
        Thread t = new Thread(() -> JsonReader.readObject(WARM_LINE), "ice-peer-warm");
        t.setDaemon(true);
        t.start();
    }

    private Mono<Void> start() {
        return Mono.defer(() -> {
            IceAgent agent = IceAgent.create()
                    .role(options.role())
                    .iceServers(options.iceServers());
            // --all-interfaces: the agent's own enumeration (every up non-loopback interface); it follows
            // addresses that come and go once the library monitors them (issue 13)
            agent = options.allInterfaces() ? agent.hostAddressPolicy(HostAddressPolicy.defaults())
                    : agent.hostAddresses(options.addresses());
            agent = agent.announcedAddresses(options.announced());
            if (options.usesTurn()) {
                agent = agent.relayAllocator(relays.allocator(options.trustedCertificates()));
            }
            if (options.relayOnly()) {
                agent = agent.transportPolicy(TransportPolicy.RELAY);
            }
            if (options.lite()) {
                agent = agent.lite(true);
            }
            if (options.autoRestart()) {
                agent = agent.recovery(RecoveryPolicy.RESTART);
            }
            if (options.tcp()) { // --tcp, --tcp-only: ICE-TCP host candidates (RFC 6544)
                agent = agent.tcpCandidates(true).udpCandidates(!options.tcpOnly());
            }
            return agent.start().timeout(START_TIMEOUT);
        }).doOnNext(this::started).then();
    }

    private void started(IceSession s) {
        session = s;
        out.credentials(s.localCredentials(), s.isLite());
        AtomicInteger gathered = new AtomicInteger();
        tasks.add(s.localCandidates().subscribe(c -> {
            gathered.incrementAndGet();
            out.candidate(c);
        }, e -> log.warn("gathering failed", e), () -> {
            if (!closing) {
                out.endOfCandidates();
                out.gathered(gathered.get());
                if (gathered.get() == 0 && options.relayOnly()) {
                    failWithoutCandidates();
                }
            }
        }));
        // every restart: ours (a restart message, or --auto-restart), or the peer's (our credentials then
        // are unchanged, but its new session needs them and our candidates again)
        tasks.add(s.restarts().subscribe(fresh -> signalSession(s, fresh)));
        tasks.add(s.stateChanges().subscribe(this::onState));
        tasks.add(s.selectedPairs().subscribe(this::onSelected));
        tasks.add(Mono.delay(options.timeout(), scheduler).subscribe(x -> onTimeout()));
    }

    /** Disposes the session, waits (bounded) until it is closed and the relays are deleted, writes the last line. */
    private Mono<Void> close() {
        return Mono.defer(() -> {
            closing = true;
            tasks.dispose();
            IceSession s = session;
            Mono<Void> closed = Mono.empty();
            if (s != null) {
                closed = s.close().timeout(CLOSE_TIMEOUT).onErrorResume(e -> Mono.empty());
            }
            return closed
                    .then(relays.deallocated(CLOSE_TIMEOUT)) // or the server keeps each allocation until its lifetime ends
                    .then(Mono.fromRunnable(out::closed));
        });
    }

    private void finish(int code) {
        exit.tryEmitValue(code);
    }

    // ---- agent to stdout ------------------------------------------------------------------------

    private synchronized void onState(IceStateChange change) {
        switch (change.state()) {
            case CHECKING -> out.state("checking", null);
            case CONNECTED, COMPLETED -> {
                if (!connected) {
                    connected = true;
                    out.state("connected", iceMs());
                    show(session.selectedPair());
                    if (!everConnected) {
                        everConnected = true;
                        tasks.add(session.connect().subscribe(this::onConnected,
                                e -> log.warn("no data connection: {}", e.toString())));
                    }
                }
            }
            case DISCONNECTED -> {
                connected = false;
                out.state("disconnected", null);
            }
            case FAILED -> {
                connected = false;
                IceFailureReason reason = change.reason().orElseThrow(); // FAILED always says why
                out.state("failed", iceMs(), reason.code(), reason.message());
                finish(1);
            }
            default -> {
                // NEW (after a restart) and CLOSED (written by close()) are not reported here
            }
        }
    }

    private synchronized void onSelected(CandidatePair pair) {
        if (connected) {
            show(pair);
        }
    }

    /**
     * A {@code selected} line for each snapshot of the selected pair that differs from the last one
     * shown: another pair, or the same path again once the peer signalled the remote candidate that a
     * check had taught the agent first as peer-reflexive ({@code remote_type} {@code prflx}, then the
     * signalled type; {@link io.reactiveice.IceSession#selectedPairs()}).
     */
    private void show(CandidatePair pair) {
        if (pair != null && !pair.equals(shownPair)) {
            shownPair = pair;
            out.selected(pair);
        }
    }

    /** Relay-only and the TURN server gave no relayed candidate (the warning on stderr says why): nothing can connect. */
    private synchronized void failWithoutCandidates() {
        if (!everConnected) {
            out.state("failed", iceMs(), IceFailureKind.GATHERING_FAILED.code(),
                    "--relay-only and the TURN server gave no relayed candidate");
            finish(1);
        }
    }

    private synchronized void onTimeout() {
        if (!everConnected) {
            out.state("failed", iceMs(), "timeout", "not connected after " + options.timeout().toMillis() / 1000.0 + " s");
            finish(1);
        }
    }

    private Double iceMs() {
        long at = remoteCredentialsAt;
        return at == Long.MIN_VALUE ? null : (System.nanoTime() - at) / 1e6;
    }

    // ---- the data path ----------------------------------------------------------------------------

    private void onConnected(IceConnection c) {
        tasks.add(c.receive().subscribe(this::onDatagram, e -> log.debug("receiving ended: {}", e.toString())));
        synchronized (sendLock) {
            connection = c;
            pending.forEach(p -> sendOne(c, p));
            pending.clear();
        }
        if (measurement != null) {
            tasks.add(measurement.run().subscribe(stats -> {
                out.stats(stats);
                if (options.exitAfterStats()) {
                    finish(0);
                }
            }, e -> log.error("the measurement failed", e)));
        }
    }

    /** On a socket's I/O thread: the buffer is ours to release, and is copied before anything else. */
    private void onDatagram(ByteBuf buf) {
        byte[] payload;
        try {
            payload = ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
        if (options.echo()) {
            sendData(payload);
            if (!PingMeasurement.isProbe(payload)) {
                out.data(payload);
            }
        } else if (measurement == null || !measurement.onReceived(payload)) {
            out.data(payload);
        }
    }

    /** Sends one datagram over the selected pair, or queues it until there is one. */
    private void sendData(byte[] payload) {
        IceConnection c;
        synchronized (sendLock) {
            c = connection;
            if (c == null) {
                pending.add(payload);
                return;
            }
        }
        sendOne(c, payload);
    }

    private static void sendOne(IceConnection c, byte[] payload) {
        c.send(Mono.fromCallable(() -> Unpooled.wrappedBuffer(payload)))
                .subscribe(null, e -> log.debug("datagram not sent: {}", e.toString()));
    }

    // ---- stdin to the agent -----------------------------------------------------------------------

    private void onCommand(Map<String, Object> message) {
        Object type = message.get("type");
        try {
            switch (String.valueOf(type)) {
                case "credentials" -> {
                    boolean remoteLite = Boolean.TRUE.equals(message.get("ice-lite"));
                    remoteCredentialsAt = System.nanoTime();
                    session.setRemoteParameters(new IceParameters(text(message, "ufrag"), text(message, "pwd"),
                            List.of(), remoteLite)); // a full agent facing a lite one takes control

                }
                case "candidate" -> session.addRemoteCandidate(text(message, "candidate"));
                case "end-of-candidates" -> session.remoteEndOfCandidates();
                case "data" -> sendData(Base64.getDecoder().decode(text(message, "base64")));
                case "restart" -> restart();
                case "pair-stats" -> pairStats();
                case "close" -> finish(0);
                default -> log.debug("ignoring a message of type {}", type);
            }
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a {} message: {}", type, e.getMessage());
        }
    }

    /**
     * The driver's {@code restart} (RFC 8445 section 9): the session restarts; its new credentials, then
     * its candidates of the new generation and their end, are printed by {@link #signalSession}.
     */
    private void restart() {
        tasks.add(session.restart().subscribe(fresh -> { }, e -> log.warn("restart failed: {}", e.toString())));
    }

    /**
     * The driver's {@code pair-stats}: a snapshot of the session's statistics, printed as one line. Not
     * kept in {@code tasks}: it ends at once, and a driver may ask often; one that comes after the
     * session closed prints nothing ({@link PeerOutput#line}).
     */
    private void pairStats() {
        session.stats().subscribe(out::pairStats, e -> log.warn("no statistics: {}", e.toString()));
    }

    /**
     * A new ICE session, after a restart of ours (asked for, or automatic) or of the peer's: its
     * credentials, the candidates of the new generation and their end, for the driver to forward.
     */
    private void signalSession(IceSession s, IceCredentials credentials) {
        out.credentials(credentials, s.isLite());
        tasks.add(s.localCandidates().subscribe(out::candidate, e -> log.warn("gathering failed", e), () -> {
            if (!closing) {
                out.endOfCandidates();
            }
        }));
    }

    private static String text(Map<String, Object> message, String field) {
        if (message.get(field) instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("the field " + field + " must be a string");
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = IcePeer.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            log.debug("no version.properties: {}", e.toString());
        }
        return p.getProperty("version", "unknown");
    }
}
