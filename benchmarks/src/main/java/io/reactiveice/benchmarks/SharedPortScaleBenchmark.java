package io.reactiveice.benchmarks;

import io.reactiveice.IceSession;
import io.reactiveice.SharedUdpPort;
import io.reactiveice.agent.IceState;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Many ICE-lite sessions on one UDP port of one service JVM, each driven by a full agent in a second
 * JVM on 127.0.0.1 and kept alive by its consent checks (issue 5, section 4).
 *
 * <p>This JVM binds one {@link io.reactiveice.SharedUdpPort} and starts a {@link ScaleDriver} as a
 * child JVM, which holds the full agents, one UDP socket each ({@code --drivers=N} starts N of them and
 * deals the sessions out in turn, for more sessions than one process's open-file limit allows). Signalling is line-oriented over a
 * loopback TCP connection ({@link ControlChannel}). The protocol:
 * <ol>
 *   <li><b>Warm-up:</b> {@code --warmup} sessions (default 2,000) connect, stay for the settle time (so
 *       that consent runs too) and are disposed on both sides, so that classes, compiled code, loops
 *       and pools exist.
 *   <li><b>Baseline:</b> this JVM's CPU over {@code --baseline} s (default 10) with no sessions, and
 *       its heap used after full collections.
 *   <li><b>Re-warm:</b> {@code --rewarm} sessions (default 2,000) connect and are disposed at once, so
 *       that the set-up code the JIT flushed while the machine idled is compiled again.
 *   <li><b>Establishment:</b> {@code --sessions} sessions (default 10,000), at most {@code --inflight}
 *       (default 256) in flight: start a lite session, send its description, apply the answer, and
 *       count it when the lite side has selected a pair and the driver reports that its full agent
 *       did. The rate is sessions over the time from the first start to the last establishment.
 *   <li><b>Settle:</b> {@code --settle} s (default 10), so that every session is past its nomination.
 *   <li><b>Idle window:</b> {@code --idle} s (default 60) with no application data: Binding requests
 *       received per session (by the source port of its driver agent) and in all, responses sent,
 *       this JVM's CPU and GC time, the driver's CPU, the kernel's UDP counters.
 *   <li><b>Heap:</b> heap used after full collections, minus the baseline, divided by the sessions;
 *       the difference of the class histograms names where it goes.
 * </ol>
 *
 * <p>With {@code --tcp=1} the sessions are ICE-TCP only (RFC 6544): each lite session's one candidate is
 * a passive one on a {@link io.reactiveice.SharedTcpPort}, the drivers' agents connect from active TCP
 * candidates, and consent runs over those connections. The idle window's request counts and CPU per
 * request then count nothing (they count the UDP port's datagrams): the figures of such a run are the
 * establishment, the lite states after the idle window (consent answered, else they would fail) and
 * the heap per session, which includes the session's accepted connection.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.SharedPortScaleBenchmark}
 */
public final class SharedPortScaleBenchmark {
    static final double TARGET_PER_SECOND = 2_000;
    /** Heap per idle lite session: under 4 KiB (issue 12; issue 5 asked for under 8 KiB). */
    static final long TARGET_HEAP_BYTES = 4 * 1024;
    /** Service CPU per answered consent request, in microseconds: at most 15 (issue 12). */
    static final double TARGET_CPU_PER_REQUEST_US = 15;
    /** How long the answers to the idle window's last requests may take to go out before they count as missing. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(10);

    private SharedPortScaleBenchmark() {
    }

    /** The run's settings. */
    record Options(int sessions, int warmup, int inflight, Duration consentInterval, Duration baseline,
            Duration settle, Duration idle, boolean heap, int top, boolean onPortLoop, boolean onParallel,
            int receiveBuffer, int rewarm, List<String> driverJvmArgs, int drivers, boolean tcp) {
    }

    /** The run's figures. */
    record Result(int sessions, int established, int failed, String firstFailure, double establishSeconds,
            long[] latencies, int[] requestsPerSession, double idleSeconds, long requests, long successes,
            long otherSent, long cpuNanos, long gcMillis, double baselineCpuPerSecond, long driverCpuNanos,
            Map<IceState, Long> states, long unknownUfrag, long rateLimited, long unroutable, long heapPerSession,
            int unanswered) {

        double establishedPerSecond() {
            return established / establishSeconds;
        }

        /** Binding requests per session per second during the idle window. */
        double requestRatePerSession() {
            return requests / (double) sessions / idleSeconds;
        }
    }

    /**
     * Runs the benchmark and prints the figures.
     *
     * @param args {@code --sessions=N --warmup=N --inflight=N --consent-ms=N --baseline=S --settle=S
     *     --idle=S --heap=1|0 --top=N --port-loop=0|1 --parallel=0|1 --rcvbuf=BYTES --rewarm=N
     *     --driver-jvm=ARGS --drivers=N --tcp=0|1}
     * @throws Exception if the driver cannot be started or the histogram cannot be taken
     */
    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        Options o = new Options(BenchSupport.intArg(args, "sessions", 10_000), BenchSupport.intArg(args, "warmup", 2_000),
                BenchSupport.intArg(args, "inflight", 256), Duration.ofMillis(BenchSupport.intArg(args, "consent-ms", 5_000)),
                Duration.ofSeconds(BenchSupport.intArg(args, "baseline", 10)),
                Duration.ofSeconds(BenchSupport.intArg(args, "settle", 10)),
                Duration.ofSeconds(BenchSupport.intArg(args, "idle", 60)), BenchSupport.intArg(args, "heap", 1) == 1,
                BenchSupport.intArg(args, "top", 25), BenchSupport.intArg(args, "port-loop", 0) == 1,
                BenchSupport.intArg(args, "parallel", 0) == 1, BenchSupport.intArg(args, "rcvbuf", SharedUdpPort.DEFAULT_RECEIVE_BUFFER),
                BenchSupport.intArg(args, "rewarm", 2_000), driverJvmArgs(args), BenchSupport.intArg(args, "drivers", 1),
                BenchSupport.intArg(args, "tcp", 0) == 1);
        System.out.println("SharedPortScaleBenchmark: " + o);
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("epoll: " + BenchSupport.epollStatus() + "; Reactor Netty loops: "
                + (BenchSupport.reactorNettyUsesEpoll() ? "epoll" : "NIO"));
        long files = SharedPortScale.openFileLimit();
        long perDriver = (Math.max(o.sessions(), Math.max(o.warmup(), o.rewarm())) + o.warmup()) / o.drivers() + 512;
        System.out.println("open-file limit (each driver inherits it): " + files + "; " + o.drivers() + " driver(s)"
                + (files >= 0 && files < perDriver ? " -- TOO LOW for the drivers' sockets: use more --drivers" : ""));
        System.out.println("load average before: " + BenchSupport.loadAverage());
        Result r = run(o, true);
        SharedPortScaleSummary.print(o, r);
        System.out.println("load average after: " + BenchSupport.loadAverage());
    }

    /**
     * The whole protocol.
     *
     * @param o the settings
     * @param verbose whether to print progress and the heap histogram
     * @return the figures
     */
    static Result run(Options o, boolean verbose) throws Exception {
        try (SharedPortScale scale = new SharedPortScale(o.consentInterval(), o.onPortLoop(), o.onParallel(), o.receiveBuffer(),
                o.driverJvmArgs(), o.drivers(), o.tcp())) {
            warmUp(scale, o, verbose);
            Baseline baseline = baseline(o);
            rewarm(scale, o, verbose);
            // the warm-up's lite sessions closed first, so their agents' last checks found no ufrag: count from here
            PortDrops drops0 = PortDrops.read(scale.port);
            progress(verbose, "baseline: %.1f ms CPU per s with no sessions%s", baseline.cpuPerSecond() / 1e6,
                    baseline.heap() == null ? ""
                            : String.format(Locale.ROOT, ", heap used %,d B", baseline.heap().heapUsed()));
            Establishment established = establishment(scale, o, verbose);
            SharedPortScale.Batch batch = established.batch();
            settle(batch, o.settle(), verbose);
            IdleWindow idle = idleWindow(scale, batch, o.idle(), verbose);
            long heapPerSession = heapPerSession(baseline.heap(), batch, o.top(), verbose);
            Result r = result(o, established, baseline, idle, heapPerSession, PortDrops.read(scale.port).since(drops0));
            Stream.of(batch.sessions()).filter(s -> s != null).forEach(IceSession::dispose);
            return r;
        }
    }

    /** This JVM with no sessions: its CPU per second, and its heap used after full collections (null without --heap). */
    private record Baseline(double cpuPerSecond, HeapProbe.Snapshot heap) {
    }

    /** The measured batch and the seconds from its first start to its last establishment. */
    private record Establishment(SharedPortScale.Batch batch, double seconds) {
    }

    /** What the shared port dropped: datagrams for no known ufrag, rate-limited sources, no route. */
    private record PortDrops(long unknownUfrag, long rateLimited, long unroutable) {
        static PortDrops read(SharedUdpPort port) {
            return new PortDrops(port.unknownUfrag(), port.rateLimited(), port.unroutable());
        }

        PortDrops since(PortDrops before) {
            return new PortDrops(unknownUfrag - before.unknownUfrag, rateLimited - before.rateLimited,
                    unroutable - before.unroutable);
        }
    }

    /** The shared port's STUN traffic: Binding requests received, success responses and other datagrams sent. */
    private record StunCounts(long requests, long successes, long otherSent) {
        static StunCounts read(StunCountingTransport counters) {
            return new StunCounts(counters.requests.sum(), counters.successes.sum(), counters.otherSent.sum());
        }

        StunCounts since(StunCounts before) {
            return new StunCounts(requests - before.requests, successes - before.successes,
                    otherSent - before.otherSent);
        }
    }

    /**
     * The idle window's figures: its length, each session's requests, the port's STUN traffic, this JVM's
     * CPU and GC time, the driver's CPU, the lite states and the requests never answered.
     */
    private record IdleWindow(double seconds, int[] requestsPerSession, StunCounts stun, long cpuNanos, long gcMillis,
            long driverCpuNanos, Map<IceState, Long> states, int unanswered) {
    }

    /** Warm-up: sessions connect, stay for the settle time and are closed. */
    private static void warmUp(SharedPortScale scale, Options o, boolean verbose) {
        SharedPortScale.Batch warm = establishToWarm(scale, o.warmup(), o.inflight(), "warm-up");
        SharedPortScale.hold(o.settle()); // consent starts 4-6 s after selection: its code is compiled too
        scale.close(warm);
        progress(verbose, "warm-up: %d sessions connected, kept %d s and closed", o.warmup(),
                o.settle().toSeconds());
    }

    /** This JVM's CPU over the baseline time with no sessions, then (with --heap) its heap. */
    private static Baseline baseline(Options o) throws Exception {
        long cpu0 = ScaleDriver.cpuNanos();
        SharedPortScale.hold(o.baseline());
        double cpuPerSecond = o.baseline().isZero() ? 0
                : (ScaleDriver.cpuNanos() - cpu0) / (double) o.baseline().toNanos() * 1e9;
        return new Baseline(cpuPerSecond, o.heap() ? HeapProbe.Snapshot.take() : null);
    }

    /** Re-warm: sessions connect and are closed at once. */
    private static void rewarm(SharedPortScale scale, Options o, boolean verbose) {
        if (o.rewarm() > 0) {
            // right before the measured batch, as a busy service would be: the warm-up is 20 s back
            scale.close(establishToWarm(scale, o.rewarm(), o.inflight(), "re-warm"));
            progress(verbose, "re-warm: %d sessions connected and closed at once", o.rewarm());
        }
    }

    /** A batch that only warms up: a failed session ends the run. */
    private static SharedPortScale.Batch establishToWarm(SharedPortScale scale, int count, int inflight, String what) {
        SharedPortScale.Batch batch = scale.establish(count, inflight);
        if (batch.failed() > 0) {
            throw new IllegalStateException(batch.failed() + " " + what + " sessions failed; first: "
                    + batch.firstFailure());
        }
        return batch;
    }

    /** The measured establishment: its time, and the CPU the service, the driver and other processes took. */
    private static Establishment establishment(SharedPortScale scale, Options o, boolean verbose) {
        SharedPortScale.DriverStats driverBefore = scale.driverStats();
        BenchSupport.CpuTimes machineBefore = BenchSupport.CpuTimes.read();
        long cpuBefore = ScaleDriver.cpuNanos();
        Map<String, long[]> threadsBefore = BenchSupport.threadCpuTicks();
        SharedPortScale.Batch batch = scale.establish(o.sessions(), o.inflight());
        double seconds = (batch.lastEstablishedAt() - batch.startedAt()) / 1e9;
        long serviceCpu = ScaleDriver.cpuNanos() - cpuBefore;
        BenchSupport.CpuTimes machineAfter = BenchSupport.CpuTimes.read();
        String serviceThreads = BenchSupport.threadCpuSince(threadsBefore);
        SharedPortScale.DriverStats driverAfter = scale.driverStats();
        long driverCpu = driverAfter.cpuNanos() - driverBefore.cpuNanos();
        double othersDuring = machineAfter.othersSince(machineBefore, driverCpu);
        progress(verbose, "established %d of %d in %.2f s (%.0f/s); CPU per session: service %.0f us, driver %.0f us;"
                + " other processes %.2f cores", batch.established(), o.sessions(), seconds,
                batch.established() / seconds, serviceCpu / 1e3 / o.sessions(), driverCpu / 1e3 / o.sessions(),
                othersDuring);
        progress(verbose, "  service threads: %s%n  driver threads: %s", serviceThreads, driverAfter.threadCpu());
        progress(verbose, "lite states after establishment: %s", states(batch));
        return new Establishment(batch, seconds);
    }

    /** Settle: every session gets past its nomination. */
    private static void settle(SharedPortScale.Batch batch, Duration settle, boolean verbose) {
        SharedPortScale.hold(settle);
        progress(verbose, "lite states after settling: %s (CONNECTED rather than COMPLETED: DISCONNECTED once)",
                states(batch));
    }

    /** The idle window: consent requests and their answers, and what they cost this JVM, the driver and the kernel. */
    private static IdleWindow idleWindow(SharedPortScale scale, SharedPortScale.Batch batch, Duration idle,
            boolean verbose) {
        int[] ports = scale.remoteSources(batch.sessions());
        int[] countsBefore = requestCounts(scale, ports);
        StunCounts stun0 = StunCounts.read(scale.counters);
        scale.counters.trackAnswers();
        SharedPortScale.DriverStats driver0 = scale.driverStats();
        BenchSupport.UdpCounters kernel0 = BenchSupport.UdpCounters.read();
        BenchSupport.CpuTimes machine0 = BenchSupport.CpuTimes.read();
        long gc0 = gcMillis();
        long t0 = System.nanoTime();
        long c0 = ScaleDriver.cpuNanos();
        Map<String, long[]> idleThreads = BenchSupport.threadCpuTicks();
        SharedPortScale.hold(idle);
        scale.counters.stopTracking();
        String serviceIdleThreads = BenchSupport.threadCpuSince(idleThreads);
        long cpu = ScaleDriver.cpuNanos() - c0;
        double idleSeconds = (System.nanoTime() - t0) / 1e9;
        long gc = gcMillis() - gc0;
        BenchSupport.CpuTimes machine1 = BenchSupport.CpuTimes.read();
        BenchSupport.UdpCounters kernel = BenchSupport.UdpCounters.read().minus(kernel0);
        SharedPortScale.DriverStats driver1 = scale.driverStats();
        long driverCpu = driver1.cpuNanos() - driver0.cpuNanos();
        double others = machine1.othersSince(machine0, driverCpu);
        StunCounts stun = StunCounts.read(scale.counters).since(stun0);
        int[] perSession = since(requestCounts(scale, ports), countsBefore);
        progress(verbose, "idle window %.1f s: other processes %.2f cores; UDP datagrams (system-wide) %,d sent,"
                + " %,d received, %,d receive-buffer drops; driver: %s, heap %,d MiB", idleSeconds, others,
                kernel.out(), kernel.in(), kernel.rcvbufErrors(), driver1.states(), driver1.heapUsed() >> 20);
        progress(verbose, "  service threads: %s%n  driver threads: %s%s", serviceIdleThreads, driver1.threadCpu(),
                scale.tcpPort == null ? "" : "\n  shared TCP port: " + SharedPortScale.counters(scale.tcpPort));
        Map<IceState, Long> states = states(batch);
        int unanswered = unansweredAfter(scale.counters, ANSWER_GRACE);
        return new IdleWindow(idleSeconds, perSession, stun, cpu, gc, driverCpu, states, unanswered);
    }

    /**
     * Heap used after full collections, minus the baseline, per established session (-1 without a baseline),
     * and with {@code verbose} the difference of the class histograms.
     */
    private static long heapPerSession(HeapProbe.Snapshot before, SharedPortScale.Batch batch, int top,
            boolean verbose) throws Exception {
        if (before == null) {
            return -1;
        }
        HeapProbe.Snapshot after = HeapProbe.Snapshot.take();
        long perSession = (after.heapUsed() - before.heapUsed()) / batch.established();
        progress(verbose, "heap used: baseline %,d B, with %d sessions %,d B; threads %d -> %d, sockets %d -> %d;"
                + " thread names %s", before.heapUsed(), batch.established(), after.heapUsed(), before.threads(),
                after.threads(), before.sockets(), after.sockets(), HeapProbe.threadGroups());
        if (verbose) {
            HeapProbe.printHistogramDifference(before.histogram(), after.histogram(), batch.established(), top);
        }
        return perSession;
    }

    /** The run's figures, from its phases and the shared port's drops since the baseline. */
    private static Result result(Options o, Establishment established, Baseline baseline, IdleWindow idle,
            long heapPerSession, PortDrops drops) {
        SharedPortScale.Batch batch = established.batch();
        return new Result(o.sessions(), batch.established(), batch.failed(), batch.firstFailure(),
                established.seconds(), latencies(batch, o.sessions()), idle.requestsPerSession(), idle.seconds(),
                idle.stun().requests(), idle.stun().successes(), idle.stun().otherSent(), idle.cpuNanos(),
                idle.gcMillis(), baseline.cpuPerSecond(), idle.driverCpuNanos(), idle.states(), drops.unknownUfrag(),
                drops.rateLimited(), drops.unroutable(), heapPerSession, idle.unanswered());
    }

    /** Each session's nanoseconds from its start to both sides selected, sorted; {@code Long.MAX_VALUE} if it failed. */
    private static long[] latencies(SharedPortScale.Batch batch, int sessions) {
        long[] latencies = new long[sessions];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = batch.establishedAt()[i] == 0 ? Long.MAX_VALUE
                    : batch.establishedAt()[i] - batch.begunAt()[i];
        }
        Arrays.sort(latencies);
        return latencies;
    }

    /** {@code --driver-jvm=ARGS}: JVM arguments of the driver, separated by spaces (e.g. a flight recording). */
    private static List<String> driverJvmArgs(String[] args) {
        for (String a : args) {
            if (a.startsWith("--driver-jvm=")) {
                return List.of(a.substring("--driver-jvm=".length()).trim().split("\\s+"));
            }
        }
        return List.of();
    }

    /** How many of the batch's lite sessions are in each state. */
    private static Map<IceState, Long> states(SharedPortScale.Batch batch) {
        return Arrays.stream(batch.sessions()).filter(s -> s != null)
                .collect(Collectors.groupingBy(IceSession::state, TreeMap::new, Collectors.counting()));
    }

    /**
     * The requests of the idle window that have had no success response, once those still in flight at its
     * end have been given {@code grace} to go out: it returns as soon as none is left.
     */
    private static int unansweredAfter(StunCountingTransport counters, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (counters.awaitingAnswer() > 0 && System.nanoTime() < deadline) {
            SharedPortScale.hold(Duration.ofMillis(20));
        }
        return counters.awaitingAnswer();
    }

    /** The Binding requests received so far from each of the given sources ({@link StunCountingTransport#sourceKey}). */
    private static int[] requestCounts(SharedPortScale scale, int[] ports) {
        int[] counts = new int[ports.length];
        for (int i = 0; i < ports.length; i++) {
            counts[i] = ports[i] < 0 ? 0 : scale.counters.requestsBySource.get(ports[i]);
        }
        return counts;
    }

    /** Element by element, {@code after} minus {@code before}. */
    private static int[] since(int[] after, int[] before) {
        int[] difference = new int[after.length];
        for (int i = 0; i < after.length; i++) {
            difference[i] = after[i] - before[i];
        }
        return difference;
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static void progress(boolean verbose, String format, Object... args) {
        if (verbose) {
            System.out.printf(Locale.ROOT, format + "%n", args);
        }
    }

    /** The fewest and the most consent requests a session can send in the window, give or take one at each edge. */
    static int[] consentBand(Duration interval, double idleSeconds) {
        double i = interval.toNanos() / 1e9;
        return new int[] {(int) Math.floor(idleSeconds / (1.2 * i)) - 1, (int) Math.floor(idleSeconds / (0.8 * i)) + 2};
    }
}
