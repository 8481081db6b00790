package io.reactiveice.benchmarks;

import io.reactiveice.IceAgent;
import io.reactiveice.agent.CandidatePair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import reactor.core.Disposable;

/**
 * Connect time of two agents on loopback: from the moment both sides have the other's credentials,
 * candidates and end-of-candidates until both have emitted a selected pair.
 *
 * <p>Each connection uses a fresh pair of sessions (127.0.0.1 host candidates only, Ta 50 ms and every
 * other setting the library default). Both finish gathering first; then all of the signalling is
 * handed over at once and the clock starts when the last signalling call has returned. It stops at
 * the later of the two {@code selectedPairs()} emissions, each timestamped inside its own
 * {@code onNext}. The sessions are disposed after each connection. The first {@code --warmup}
 * connections (default 20) are not counted; {@code --connections} (default 300) are.
 *
 * <p>{@code --transports=udp,tcp} measures ICE-TCP (RFC 6544, TCP host candidates only: the active side
 * opens a connection for its check, so a TCP connect is in every figure) beside UDP in the same run, one
 * connection of each in turn; the default is {@code udp} alone.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.ConnectTimeBenchmark}
 */
public final class ConnectTimeBenchmark {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ConnectTimeBenchmark() {
    }

    /**
     * Runs the benchmark and prints the distribution.
     *
     * @param args {@code --warmup=N}, {@code --connections=N}, {@code --transports=udp,tcp}, {@code --pacing-ms=N}
     *     (Ta of both agents; default the library's)
     * @throws InterruptedException if interrupted while waiting for a connection
     */
    public static void main(String[] args) throws InterruptedException {
        BenchSupport.quietLogging();
        int warmup = BenchSupport.intArg(args, "warmup", 20);
        int connections = BenchSupport.intArg(args, "connections", 300);
        List<String> transports = List.of(BenchSupport.stringArg(args, "transports", "udp").split(","));
        System.out.println("ConnectTimeBenchmark: " + warmup + " warm-up + " + connections + " measured connections per"
                + " transport, transports " + transports + " taken in turn; Ta "
                + BenchSupport.stringArg(args, "pacing-ms", "the library's default") + " ms");
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("epoll: " + BenchSupport.epollStatus() + "; Reactor Netty loops: "
                + (BenchSupport.reactorNettyUsesEpoll() ? "epoll" : "NIO"));
        System.out.println("load average before: " + BenchSupport.loadAverage());

        int pacingMs = BenchSupport.intArg(args, "pacing-ms", 0); // 0: the library's Ta (50 ms)
        Map<String, Connections> byTransport = measure(warmup, connections, transports,
                pacingMs == 0 ? null : java.time.Duration.ofMillis(pacingMs));
        for (Map.Entry<String, Connections> e : byTransport.entrySet()) {
            Connections c = e.getValue();
            System.out.println();
            System.out.println("== " + e.getKey() + " ==");
            report(c.times(), c.failed(), c.early());
            System.out.printf(Locale.ROOT, "per side, median ms: controlling %s, controlled %s%n",
                    BenchSupport.millis(BenchSupport.percentile(sortedConnected(c.controlling()), 50)),
                    BenchSupport.millis(BenchSupport.percentile(sortedConnected(c.controlled()), 50)));
        }
        System.out.printf(Locale.ROOT, "other processes took %.2f cores on average during the measured connections%n",
                byTransport.values().iterator().next().othersCores());
        System.out.println("load average after: " + BenchSupport.loadAverage());
    }

    /**
     * The measured connections of one transport: for each, the time to the later selected pair and to each
     * side's ({@link #connectOnce}); how many did not connect and how many selected before the clock started;
     * the CPU other processes took meanwhile (all transports together), in cores.
     */
    private record Connections(long[] times, long[] controlling, long[] controlled, int failed, int early,
            double othersCores) {
    }

    /**
     * The agent configuration of a transport: {@code udp} (the library default, UDP host candidates) or
     * {@code tcp} (ICE-TCP only: {@code udpCandidates(false)}, {@code tcpCandidates(true)}, RFC 6544).
     */
    static UnaryOperator<IceAgent> transport(String name) {
        return switch (name) {
            case "udp" -> a -> a;
            case "tcp" -> a -> a.udpCandidates(false).tcpCandidates(true);
            default -> throw new IllegalArgumentException("--transports: udp or tcp, but was " + name);
        };
    }

    /**
     * {@code warmup} connections of each transport not counted, then {@code connections} of each measured,
     * one after another, the transports taken in turn so that a change of load hits them alike.
     */
    private static Map<String, Connections> measure(int warmup, int connections, List<String> transports,
            java.time.Duration pacing) throws InterruptedException {
        int n = transports.size();
        long[][] t = new long[3 * n][connections];
        int[] failed = new int[n];
        int[] early = new int[n];
        BenchSupport.CpuTimes cpu = null;
        for (int i = 0; i < warmup + connections; i++) {
            if (i == warmup) {
                cpu = BenchSupport.CpuTimes.read();
            }
            for (int k = 0; k < n; k++) {
                UnaryOperator<IceAgent> config = transport(transports.get(k));
                long[] one = connectOnce(pacing == null ? config : a -> config.apply(a).pacing(pacing));
                if (i < warmup) {
                    continue;
                }
                if (one[0] == Long.MAX_VALUE) {
                    failed[k]++;
                } else if (one[0] < 0) {
                    early[k]++;
                }
                for (int j = 0; j < 3; j++) {
                    t[3 * k + j][i - warmup] = one[j];
                }
            }
        }
        double others = BenchSupport.CpuTimes.read().othersSince(cpu);
        Map<String, Connections> out = new LinkedHashMap<>();
        for (int k = 0; k < n; k++) {
            out.put(transports.get(k), new Connections(t[3 * k], t[3 * k + 1], t[3 * k + 2], failed[k], early[k], others));
        }
        return out;
    }

    private static long[] sortedConnected(long[] times) {
        return Arrays.stream(times).filter(t -> t != Long.MAX_VALUE).sorted().toArray();
    }

    /**
     * One connection on fresh sessions.
     *
     * @param config the agents' transport ({@link #transport})
     * @return nanoseconds from the last signalling call to the later selected pair (negative if a
     *     pair was selected before that call returned, {@code Long.MAX_VALUE} if none came in 10 s),
     *     then to the controlling side's and to the controlled side's
     */
    static long[] connectOnce(UnaryOperator<IceAgent> config) throws InterruptedException {
        try (LoopbackPeers peers = LoopbackPeers.start(config)) {
            CountDownLatch both = new CountDownLatch(2);
            AtomicLong atA = new AtomicLong();
            AtomicLong atB = new AtomicLong();
            Disposable da = peers.a.selectedPairs().next().subscribe((CandidatePair p) -> {
                atA.set(System.nanoTime());
                both.countDown();
            });
            Disposable db = peers.b.selectedPairs().next().subscribe((CandidatePair p) -> {
                atB.set(System.nanoTime());
                both.countDown();
            });
            peers.signal();
            long start = System.nanoTime();
            boolean connected = both.await(LIMIT_NANOS, TimeUnit.NANOSECONDS);
            da.dispose();
            db.dispose();
            if (!connected) {
                return new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
            }
            return new long[] {Math.max(atA.get(), atB.get()) - start, atA.get() - start, atB.get() - start};
        }
    }

    private static void report(long[] times, int failed, int early) {
        long[] ok = sortedConnected(times);
        long under5 = Arrays.stream(ok).filter(t -> t < 5_000_000).count();
        System.out.println();
        System.out.printf(Locale.ROOT, "connections measured: %d, connected: %d, not connected in 10 s: %d,"
                + " selected before the clock started: %d%n", times.length, ok.length, failed, early);
        System.out.printf(Locale.ROOT, "connect time ms: min %s, median %s, p90 %s, p99 %s, max %s, mean %s%n",
                BenchSupport.millis(ok.length == 0 ? -1 : ok[0]), BenchSupport.millis(BenchSupport.percentile(ok, 50)),
                BenchSupport.millis(BenchSupport.percentile(ok, 90)), BenchSupport.millis(BenchSupport.percentile(ok, 99)),
                BenchSupport.millis(ok.length == 0 ? -1 : ok[ok.length - 1]),
                BenchSupport.millis((long) Arrays.stream(ok).average().orElse(-1)));
        System.out.printf(Locale.ROOT, "under 5 ms: %d of %d (%.1f%%); target median < 5 ms: %s%n", under5, ok.length,
                ok.length == 0 ? 0.0 : 100.0 * under5 / ok.length,
                ok.length > 0 && BenchSupport.percentile(ok, 50) < 5_000_000 && failed == 0 ? "met" : "missed");
        StringBuilder slowest = new StringBuilder();
        for (int i = Math.max(0, ok.length - 5); i < ok.length; i++) {
            slowest.append(' ').append(BenchSupport.millis(ok[i]));
        }
        System.out.println("five slowest ms:" + slowest);
    }
}
