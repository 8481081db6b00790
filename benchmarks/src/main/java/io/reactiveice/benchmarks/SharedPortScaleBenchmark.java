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
 * child JVM, which holds the full agents, one UDP socket each. Signalling is line-oriented over a
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
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.SharedPortScaleBenchmark}
 */
public final class SharedPortScaleBenchmark {
    static final double TARGET_PER_SECOND = 2_000;
    static final long TARGET_HEAP_BYTES = 8 * 1024;
    /** How long the answers to the idle window's last requests may take to go out before they count as missing. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(10);

    private SharedPortScaleBenchmark() {
    }

    /** The run's settings. */
    record Options(int sessions, int warmup, int inflight, Duration consentInterval, Duration baseline,
            Duration settle, Duration idle, boolean heap, int top, boolean onPortLoop, int receiveBuffer,
            int rewarm, List<String> driverJvmArgs) {
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
     *     --idle=S --heap=1|0 --top=N --port-loop=0|1 --rcvbuf=BYTES --rewarm=N
     *     --driver-jvm=ARGS}
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
                BenchSupport.intArg(args, "rcvbuf", SharedUdpPort.DEFAULT_RECEIVE_BUFFER),
                BenchSupport.intArg(args, "rewarm", 2_000), driverJvmArgs(args));
        System.out.println("SharedPortScaleBenchmark: " + o);
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("epoll: " + BenchSupport.epollStatus() + "; Reactor Netty loops: "
                + (BenchSupport.reactorNettyUsesEpoll() ? "epoll" : "NIO"));
        long files = SharedPortScale.openFileLimit();
        System.out.println("open-file limit (the driver inherits it): " + files
                + (files >= 0 && files < o.sessions() + o.warmup() + 512 ? " -- TOO LOW for the driver's sockets" : ""));
        System.out.println("load average before: " + BenchSupport.loadAverage());
        Result r = run(o, true);
        print(o, r);
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
        try (SharedPortScale scale = new SharedPortScale(o.consentInterval(), o.onPortLoop(), o.receiveBuffer(),
                o.driverJvmArgs())) {
            SharedPortScale.Batch warm = scale.establish(o.warmup(), o.inflight());
            if (warm.failed() > 0) {
                throw new IllegalStateException(warm.failed() + " warm-up sessions failed; first: " + warm.firstFailure());
            }
            SharedPortScale.hold(o.settle()); // consent starts 4-6 s after selection: its code is compiled too
            scale.close(warm);
            progress(verbose, "warm-up: %d sessions connected, kept %d s and closed", o.warmup(),
                    o.settle().toSeconds());

            long cpu0 = ScaleDriver.cpuNanos();
            SharedPortScale.hold(o.baseline());
            double baselineCpu = o.baseline().isZero() ? 0
                    : (ScaleDriver.cpuNanos() - cpu0) / (double) o.baseline().toNanos() * 1e9;
            HeapProbe.Snapshot before = o.heap() ? HeapProbe.Snapshot.take() : null;
            if (o.rewarm() > 0) {
                // right before the measured batch, as a busy service would be: the warm-up is 20 s back
                SharedPortScale.Batch again = scale.establish(o.rewarm(), o.inflight());
                if (again.failed() > 0) {
                    throw new IllegalStateException(again.failed() + " re-warm sessions failed; first: "
                            + again.firstFailure());
                }
                scale.close(again);
                progress(verbose, "re-warm: %d sessions connected and closed at once", o.rewarm());
            }
            // the warm-up's lite sessions closed first, so their agents' last checks found no ufrag: count from here
            long unknown0 = scale.port.unknownUfrag();
            long limited0 = scale.port.rateLimited();
            long unroutable0 = scale.port.unroutable();
            progress(verbose, "baseline: %.1f ms CPU per s with no sessions%s", baselineCpu / 1e6,
                    before == null ? "" : String.format(Locale.ROOT, ", heap used %,d B", before.heapUsed()));

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
            SharedPortScale.hold(o.settle());
            progress(verbose, "lite states after settling: %s (CONNECTED rather than COMPLETED: DISCONNECTED once)",
                    states(batch));

            int[] ports = SharedPortScale.remotePorts(batch.sessions());
            int[] countsBefore = requestCounts(scale, ports);
            long requests0 = scale.counters.requests.sum();
            long successes0 = scale.counters.successes.sum();
            long other0 = scale.counters.otherSent.sum();
            scale.counters.trackAnswers();
            SharedPortScale.DriverStats driver0 = scale.driverStats();
            BenchSupport.UdpCounters kernel0 = BenchSupport.UdpCounters.read();
            BenchSupport.CpuTimes machine0 = BenchSupport.CpuTimes.read();
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            long c0 = ScaleDriver.cpuNanos();
            Map<String, long[]> idleThreads = BenchSupport.threadCpuTicks();
            SharedPortScale.hold(o.idle());
            scale.counters.stopTracking();
            String serviceIdleThreads = BenchSupport.threadCpuSince(idleThreads);
            long cpu = ScaleDriver.cpuNanos() - c0;
            double idleSeconds = (System.nanoTime() - t0) / 1e9;
            long gc = gcMillis() - gc0;
            BenchSupport.CpuTimes machine1 = BenchSupport.CpuTimes.read();
            BenchSupport.UdpCounters kernel = BenchSupport.UdpCounters.read().minus(kernel0);
            SharedPortScale.DriverStats driver1 = scale.driverStats();
            double others = machine1.othersSince(machine0, driver1.cpuNanos() - driver0.cpuNanos());
            long requests = scale.counters.requests.sum() - requests0;
            long successes = scale.counters.successes.sum() - successes0;
            long other = scale.counters.otherSent.sum() - other0;
            int[] countsAfter = requestCounts(scale, ports);
            int[] perSession = new int[ports.length];
            for (int i = 0; i < ports.length; i++) {
                perSession[i] = countsAfter[i] - countsBefore[i];
            }
            progress(verbose, "idle window %.1f s: other processes %.2f cores; UDP datagrams (system-wide) %,d sent,"
                    + " %,d received, %,d receive-buffer drops; driver: %s, heap %,d MiB", idleSeconds, others,
                    kernel.out(), kernel.in(), kernel.rcvbufErrors(), driver1.states(), driver1.heapUsed() >> 20);
            progress(verbose, "  service threads: %s%n  driver threads: %s", serviceIdleThreads, driver1.threadCpu());
            Map<IceState, Long> states = states(batch);
            int unanswered = unansweredAfter(scale.counters, ANSWER_GRACE);

            long perSessionHeap = -1;
            if (before != null) {
                HeapProbe.Snapshot after = HeapProbe.Snapshot.take();
                perSessionHeap = (after.heapUsed() - before.heapUsed()) / batch.established();
                progress(verbose, "heap used: baseline %,d B, with %d sessions %,d B; threads %d -> %d, sockets %d -> %d;"
                        + " thread names %s", before.heapUsed(), batch.established(), after.heapUsed(), before.threads(),
                        after.threads(), before.sockets(), after.sockets(), HeapProbe.threadGroups());
                if (verbose) {
                    HeapProbe.printHistogramDifference(before.histogram(), after.histogram(), batch.established(),
                            o.top());
                }
            }
            long[] latencies = new long[o.sessions()];
            for (int i = 0; i < latencies.length; i++) {
                latencies[i] = batch.establishedAt()[i] == 0 ? Long.MAX_VALUE
                        : batch.establishedAt()[i] - batch.begunAt()[i];
            }
            Arrays.sort(latencies);
            Result r = new Result(o.sessions(), batch.established(), batch.failed(), batch.firstFailure(), seconds,
                    latencies, perSession, idleSeconds, requests, successes, other, cpu, gc, baselineCpu,
                    driver1.cpuNanos() - driver0.cpuNanos(), states, scale.port.unknownUfrag() - unknown0,
                    scale.port.rateLimited() - limited0, scale.port.unroutable() - unroutable0, perSessionHeap,
                    unanswered);
            Stream.of(batch.sessions()).filter(s -> s != null).forEach(IceSession::dispose);
            return r;
        }
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

    private static int[] requestCounts(SharedPortScale scale, int[] ports) {
        int[] counts = new int[ports.length];
        for (int i = 0; i < ports.length; i++) {
            counts[i] = ports[i] < 0 ? 0 : scale.counters.requestsBySourcePort.get(ports[i]);
        }
        return counts;
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

    private static void print(Options o, Result r) {
        System.out.println();
        System.out.printf(Locale.ROOT, "sessions: %,d requested, %,d established, %,d failed%s%n", r.sessions(),
                r.established(), r.failed(), r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")");
        System.out.printf(Locale.ROOT, "establishment: %.2f s, %.0f sessions/s with %d in flight; target >= %.0f/s: %s%n",
                r.establishSeconds(), r.establishedPerSecond(), o.inflight(), TARGET_PER_SECOND,
                r.establishedPerSecond() >= TARGET_PER_SECOND && r.failed() == 0 ? "met" : "missed");
        long[] ok = Arrays.stream(r.latencies()).filter(t -> t != Long.MAX_VALUE).toArray();
        System.out.printf(Locale.ROOT, "per-session establishment ms (start of the lite session to both sides selected):"
                + " median %s, p90 %s, p99 %s, max %s%n", BenchSupport.millis(BenchSupport.percentile(ok, 50)),
                BenchSupport.millis(BenchSupport.percentile(ok, 90)), BenchSupport.millis(BenchSupport.percentile(ok, 99)),
                BenchSupport.millis(ok.length == 0 ? -1 : ok[ok.length - 1]));
        int[] sorted = r.requestsPerSession().clone();
        Arrays.sort(sorted);
        int[] band = consentBand(o.consentInterval(), r.idleSeconds());
        long outside = Arrays.stream(sorted).filter(c -> c < band[0] || c > band[1]).count();
        System.out.printf(Locale.ROOT, "idle window %.1f s: %,d Binding requests received (%.4f per session per s,"
                + " i.e. one per %.2f s; consent interval %d ms), %,d success responses sent, %,d other datagrams sent;"
                + " %,d of the window's requests never answered%n",
                r.idleSeconds(), r.requests(), r.requestRatePerSession(), 1 / r.requestRatePerSession(),
                o.consentInterval().toMillis(), r.successes(), r.otherSent(), r.unanswered());
        System.out.printf(Locale.ROOT, "requests per session in the window: min %d, median %d, p99 %d, max %d;"
                + " expected %d..%d; outside: %d sessions%n", sorted[0], sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1], band[0], band[1], outside);
        double cpuPerSecond = r.cpuNanos() / r.idleSeconds();
        System.out.printf(Locale.ROOT, "service CPU in the window: %.0f ms (%.1f ms per s = %.2f%% of one core; baseline"
                + " with no sessions %.1f ms per s); GC %d ms; per request answered %.1f us, net of the baseline"
                + " %.1f us%n", r.cpuNanos() / 1e6, cpuPerSecond / 1e6, cpuPerSecond / 1e7, r.baselineCpuPerSecond() / 1e6,
                r.gcMillis(), r.cpuNanos() / 1e3 / r.successes(),
                (cpuPerSecond - r.baselineCpuPerSecond()) * r.idleSeconds() / 1e3 / r.successes());
        System.out.printf(Locale.ROOT, "driver CPU in the window: %.0f ms (%.1f ms per s)%n", r.driverCpuNanos() / 1e6,
                r.driverCpuNanos() / r.idleSeconds() / 1e6);
        System.out.printf(Locale.ROOT, "lite states after the window: %s; shared port: %d unknown ufrag, %d rate-limited,"
                + " %d unroutable%n", r.states(), r.unknownUfrag(), r.rateLimited(), r.unroutable());
        if (r.heapPerSession() >= 0) {
            System.out.printf(Locale.ROOT, "heap per idle lite session: %,d B (%.2f KiB); target < 8 KiB: %s%n",
                    r.heapPerSession(), r.heapPerSession() / 1024.0,
                    r.heapPerSession() < TARGET_HEAP_BYTES ? "met" : "missed");
        }
    }
}
