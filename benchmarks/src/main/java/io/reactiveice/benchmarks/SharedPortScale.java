package io.reactiveice.benchmarks;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.reactiveice.IceAgent;
import io.reactiveice.IceSession;
import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.transport.PacketTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * The service side of {@link SharedPortScaleBenchmark}: lite sessions on one {@link SharedUdpPort}
 * of 127.0.0.1 in this JVM, each connected to a full agent of a {@link ScaleDriver} in a child JVM,
 * with the signalling over a {@link ControlChannel}. It establishes sessions with a bounded number
 * in flight, keeps them, and counts the Binding requests they receive. With more than one driver JVM
 * (one process can hold only as many sockets as its open-file limit allows), the sessions are dealt
 * out to them in turn, and driver {@code d} sends from {@code 127.0.0.(d + 1)}.
 *
 * <p>All of a driver's agents send from one address, so the port's rate limit for unauthenticated
 * sources (one bucket per source IP) would throttle the first check of every new session; the
 * port is bound with {@link #UNAUTHENTICATED_PER_SECOND} instead of the default 100 per second.
 */
final class SharedPortScale implements AutoCloseable {
    /** The shared port's rate and burst for sources no session has answered yet: a driver's agents share an address. */
    static final double UNAUTHENTICATED_PER_SECOND = 1_000_000;
    private static final Duration ESTABLISH_TIMEOUT = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    final StunCountingTransport counters;
    final SharedUdpPort port;
    final SharedTcpPort tcpPort; // with --tcp only
    private final EventLoopGroup portLoop; // only when the sessions run on the port's event loop
    private final IceAgent lite;
    private final List<Process> drivers = new ArrayList<>();
    private final List<ControlChannel> channels = new ArrayList<>();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final List<AtomicReference<Sinks.One<String>>> stats = new ArrayList<>();
    private final AtomicInteger nextId = new AtomicInteger();

    /** What a session waits for from the driver. */
    private record Pending(Sinks.One<String> answer, Sinks.One<Boolean> connected) {
        Pending() {
            this(Sinks.one(), Sinks.one());
        }

        void fail(String reason) {
            IllegalStateException e = new IllegalStateException("driver: " + reason);
            answer.tryEmitError(e);
            connected.tryEmitError(e);
        }
    }

    /** A batch of sessions that were asked to connect. */
    record Batch(int firstId, IceSession[] sessions, long[] begunAt, long[] establishedAt, long startedAt, int failed,
            String firstFailure) {
        int established() {
            return sessions.length - failed;
        }

        long lastEstablishedAt() {
            long last = startedAt;
            for (long t : establishedAt) {
                last = Math.max(last, t);
            }
            return last;
        }
    }

    /**
     * The drivers' own view, summed over them: their sessions, their CPU so far, their heap used, their
     * sessions' states and their CPU by thread since the previous call (one entry per driver, {@code ;}
     * between them).
     */
    record DriverStats(int sessions, long cpuNanos, long heapUsed, String states, String threadCpu) {
        DriverStats plus(DriverStats other) {
            return new DriverStats(sessions + other.sessions, cpuNanos + other.cpuNanos, heapUsed + other.heapUsed,
                    states + ";" + other.states, threadCpu + "; " + other.threadCpu);
        }
    }

    /**
     * Binds the shared port and starts the driver JVMs.
     *
     * @param consentInterval the consent interval of the driver's full agents
     * @param onPortLoop whether the shared port runs on an event loop group of its own, set as the lite
     *     sessions' scheduler too ({@link IceAgent#scheduler}); without it the port takes a loop of Reactor
     *     Netty's and the sessions run on it by the library's default
     * @param onParallel whether the lite sessions run on {@link Schedulers#parallel()}, set explicitly:
     *     the library's default before sessions on a shared port ran on the port's event loop
     * @param receiveBuffer the shared port's {@code SO_RCVBUF} (the library's default for a shared port is
     *     {@link SharedUdpPort#DEFAULT_RECEIVE_BUFFER})
     * @param driverJvmArgs extra JVM arguments of the drivers
     * @param driverCount how many driver JVMs share the full agents (session {@code id} goes to driver
     *     {@code id % driverCount}); driver {@code d} binds its agents to {@code 127.0.0.(d + 1)}, so each has
     *     a port space and an open-file limit of its own
     * @param tcp whether the sessions use a {@link SharedTcpPort} (ICE-TCP only) instead of the UDP port
     */
    SharedPortScale(Duration consentInterval, boolean onPortLoop, boolean onParallel, int receiveBuffer,
            List<String> driverJvmArgs, int driverCount, boolean tcp) throws IOException {
        IceAgent liteAgent = IceAgent.create().lite(true);
        if (onParallel) {
            liteAgent = liteAgent.scheduler(Schedulers.parallel());
        }
        if (onPortLoop) {
            portLoop = new MultiThreadIoEventLoopGroup(1, BenchSupport.reactorNettyUsesEpoll()
                    ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            counters = new StunCountingTransport(PacketTransport.udp(server -> server.runOn(portLoop)
                    .option(ChannelOption.SO_RCVBUF, receiveBuffer)), driverCount);
            liteAgent = liteAgent.scheduler(Schedulers.fromExecutorService(portLoop.next(), "port-loop"));
        } else {
            portLoop = null;
            counters = new StunCountingTransport(PacketTransport.udp(server -> server
                    .option(ChannelOption.SO_RCVBUF, receiveBuffer)), driverCount);
        }
        this.port = SharedUdpPort.create().bindAddress(new InetSocketAddress(LOOPBACK, 0)).transport(counters)
                .errorRateLimit(UNAUTHENTICATED_PER_SECOND, UNAUTHENTICATED_PER_SECOND).bind().block(Duration.ofSeconds(10));
        // --tcp: the lite sessions' only candidate is a passive one on a shared TCP port (RFC 6544), the
        // drivers' agents reach it from their active TCP candidates; the UDP port stays, unused
        this.tcpPort = tcp ? SharedTcpPort.bind(new InetSocketAddress(LOOPBACK, 0), Schedulers.parallel(),
                Integer.MAX_VALUE).block(Duration.ofSeconds(10)) : null; // no per-IP limit: a driver's agents share one
        this.lite = tcp ? liteAgent.hostAddresses(List.of(LOOPBACK)).udpCandidates(false).sharedTcpPort(tcpPort)
                : liteAgent.sharedPort(port);
        try (ServerSocket server = new ServerSocket(0, driverCount, LOOPBACK)) {
            server.setSoTimeout(60_000);
            for (int d = 0; d < driverCount; d++) {
                // one at a time, so that the d-th connection accepted is the d-th driver's
                drivers.add(new ProcessBuilder(driverCommand(server.getLocalPort(), consentInterval, driverJvmArgs, d, tcp))
                        .inheritIO().start());
                int index = d;
                stats.add(new AtomicReference<>());
                channels.add(new ControlChannel(server.accept(), m -> onMessage(index, m)));
            }
        }
    }

    private static List<String> driverCommand(int controlPort, Duration consentInterval, List<String> jvmArgs,
            int driver, boolean tcp) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        for (String p : List.of("reactor.netty.native", "bench.log", "io.netty.leakDetection.level")) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleDriver.class.getName(),
                "--control=" + controlPort, "--consent-ms=" + consentInterval.toMillis(),
                "--addr=127.0.0." + (driver + 1), "--tcp=" + (tcp ? 1 : 0)));
        return command;
    }

    /** The channel to the driver that holds session {@code id}'s full agent. */
    private ControlChannel channel(int id) {
        return channels.get(Math.floorMod(id, channels.size()));
    }

    private void onMessage(int driver, String[] m) {
        switch (m[0]) {
            case "ANSWER" -> withPending(m[1], p -> p.answer().tryEmitValue(m[2]));
            case "CONNECTED" -> withPending(m[1], p -> p.connected().tryEmitValue(true));
            case "FAILED" -> withPending(m[1], p -> p.fail(m.length > 2 ? m[2] : "?"));
            case "STATS" -> {
                Sinks.One<String> s = stats.get(driver).getAndSet(null);
                if (s != null) {
                    s.tryEmitValue(m[1] + " " + m[2]);
                }
            }
            case "EOF" -> pending.values().forEach(p -> p.fail("the driver went away"));
            default -> System.err.println("service: unknown message " + m[0]);
        }
    }

    private void withPending(String id, Consumer<Pending> action) {
        Pending p = pending.get(Integer.parseInt(id));
        if (p != null) {
            action.accept(p);
        }
    }

    /**
     * Establishes {@code count} sessions, at most {@code inflight} at a time: a session counts when
     * the lite side has selected a pair and the driver has reported that its full agent did.
     *
     * <p>Each session that ends starts the next one (a pump rather than a {@code flatMap}, whose
     * drain loop walks every inner subscriber on each completion: with 256 in flight that was 5 % of
     * this JVM's CPU, spent on the harness). One watchdog bounds the whole batch instead of a
     * {@code timeout} operator per session, whose subscription builds a description string from the
     * operator chain; a session still pending when it fires counts as failed.
     */
    Batch establish(int count, int inflight) {
        IceSession[] sessions = new IceSession[count];
        long[] begun = new long[count];
        long[] at = new long[count];
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        int first = nextId.getAndAdd(count);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        Sinks.Empty<Void> done = Sinks.empty();
        long started = System.nanoTime();
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= count) {
                return;
            }
            begun[i] = System.nanoTime();
            Runnable end = () -> {
                if (ended.incrementAndGet() == count) {
                    done.tryEmitEmpty();
                } else {
                    startNext[0].run();
                }
            };
            establishOne(sessions, i, first + i).subscribe(null, e -> {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, "session " + i + ": " + e);
                end.run();
            }, () -> {
                at[i] = System.nanoTime();
                end.run();
            });
        };
        for (int k = 0; k < Math.min(inflight, count); k++) {
            startNext[0].run();
        }
        if (count > 0) {
            watch(done, ESTABLISH_TIMEOUT.plusSeconds(count / 100), at, failed, firstFailure);
        }
        return new Batch(first, sessions, begun, at, started, failed.get(), firstFailure.get());
    }

    /**
     * The batch's watchdog: waits up to {@code limit} for every session to end; if they have not, the
     * sessions neither established ({@code establishedAt} still 0) nor failed count as failed.
     */
    private static void watch(Sinks.Empty<Void> done, Duration limit, long[] establishedAt, AtomicInteger failed,
            AtomicReference<String> firstFailure) {
        if (Boolean.TRUE.equals(done.asMono().thenReturn(true).timeout(limit, Mono.just(false)).block())) {
            return;
        }
        int pending = 0;
        for (long at : establishedAt) {
            pending += at == 0 ? 1 : 0;
        }
        pending -= failed.get();
        failed.addAndGet(pending);
        firstFailure.compareAndSet(null, pending + " sessions not established within " + limit);
    }

    private Mono<Void> establishOne(IceSession[] into, int index, int id) {
        Pending p = new Pending();
        return lite.start().flatMap(session -> {
            into[index] = session;
            pending.put(id, p);
            return session.localCandidates().collectList()
                    .flatMap(candidates -> {
                        channel(id).send("OFFER", id, ControlChannel.description(session.localParameters(), candidates));
                        return p.answer().asMono();
                    })
                    .flatMap(description -> {
                        List<String> lines = ControlChannel.lines(description);
                        session.setRemoteParameters(IceParameters.parse(lines));
                        CandidateLine.parseAll(lines).forEach(session::addRemoteCandidate);
                        session.remoteEndOfCandidates();
                        return Mono.when(session.connect(), p.connected().asMono());
                    });
        }).doFinally(s -> pending.remove(id));
    }

    /**
     * Disposes the full agents in the driver first, so that no more checks come for these ufrags, then
     * the sessions here, and waits until the port routes none.
     */
    void close(Batch batch) {
        int remaining = driverStats().sessions() - batch.sessions().length;
        for (int i = 0; i < batch.sessions().length; i++) {
            channel(batch.firstId() + i).send("CLOSE", batch.firstId() + i);
        }
        await(() -> driverStats().sessions() == remaining, Duration.ofSeconds(30));
        for (IceSession s : batch.sessions()) {
            if (s != null) {
                s.dispose();
            }
        }
        await(() -> port.routedUfrags() == 0 && port.routedRemotes() == 0
                && (tcpPort == null || tcpPort.routedUfrags() == 0 && tcpPort.openConnections() == 0), Duration.ofSeconds(30));
    }

    /** Asks the drivers for their figures, and sums them. */
    DriverStats driverStats() {
        List<Sinks.One<String>> asked = new ArrayList<>();
        for (int d = 0; d < channels.size(); d++) {
            Sinks.One<String> s = Sinks.one();
            stats.get(d).set(s);
            asked.add(s);
            channels.get(d).send("STATS");
        }
        DriverStats sum = null;
        for (Sinks.One<String> s : asked) {
            String[] f = s.asMono().block(Duration.ofSeconds(30)).split(" ", 5);
            DriverStats one = new DriverStats(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3],
                    f[4]);
            sum = sum == null ? one : sum.plus(one);
        }
        return sum;
    }

    /**
     * The counters' key ({@link StunCountingTransport#sourceKey}) of each session's driver agent (the remote
     * address of its selected pair), or -1.
     */
    int[] remoteSources(IceSession[] sessions) {
        int[] keys = new int[sessions.length];
        for (int i = 0; i < sessions.length; i++) {
            CandidatePair p = sessions[i] == null ? null : sessions[i].selectedPair();
            keys[i] = p == null ? -1 : counters.sourceKey(p.remoteAddress());
        }
        return keys;
    }

    /**
     * Waits for a condition, tested on the calling thread (it may block, e.g. ask the driver) every 20 ms
     * of a Reactor timer; fails after {@code limit}.
     */
    static void await(BooleanSupplier condition, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not met within " + limit);
            }
            hold(Duration.ofMillis(20));
        }
    }

    /** Waits for a measurement window on a Reactor timer. */
    static void hold(Duration window) {
        Mono.delay(window).block();
    }

    /** A shared TCP port's connection counters, on one line. */
    static String counters(SharedTcpPort p) {
        return String.format(java.util.Locale.ROOT, "%d open, %d authenticated, %d unknown ufrag, %d unauthenticated,"
                + " %d timed out, %d oversize, %d refused", p.openConnections(), p.authenticated(), p.unknownUfrag(),
                p.unauthenticated(), p.timedOut(), p.oversize(), p.refused());
    }

    /** The soft limit on open files of this process (the driver inherits it), or -1. */
    static long openFileLimit() {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream()
                    .filter(l -> l.startsWith("Max open files"))
                    .map(l -> l.substring("Max open files".length()).trim().split("\\s+")[0])
                    .mapToLong(v -> "unlimited".equals(v) ? Long.MAX_VALUE : Long.parseLong(v)).findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (ControlChannel channel : channels) {
            channel.send("QUIT");
            channel.close();
        }
        for (Process driver : drivers) {
            try {
                if (!driver.waitFor(30, TimeUnit.SECONDS)) {
                    driver.destroy();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                driver.destroy();
            }
        }
        port.dispose();
        if (tcpPort != null) {
            tcpPort.dispose();
        }
        if (portLoop != null) {
            portLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
