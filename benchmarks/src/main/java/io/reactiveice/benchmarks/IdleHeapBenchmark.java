package io.reactiveice.benchmarks;

import io.reactiveice.IceSession;
import io.reactiveice.agent.IceState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.ObjectName;

/**
 * Heap retained per connected, idle agent: {@code --pairs} (default 1,000) pairs of sessions on
 * 127.0.0.1, all connected, with consent freshness running (a Binding request per session every 5 s
 * ± 20%), and no application data.
 *
 * <p>The baseline is taken after {@code --warmup} pairs (default 20) have connected and been disposed,
 * so that classes, event loops, schedulers and buffer pools already exist. Then all pairs connect and
 * stay up for {@code --idle} s (default 12, i.e. at least two consent rounds per session); the heap
 * used after {@code System.gc()} (several times, the smallest reading) minus the baseline, divided by
 * the number of sessions, is the figure. Live thread and socket counts come with it, and the kernel's
 * UDP counters show that consent traffic flowed during the idle window. A class histogram of the live
 * heap (the JVM's {@code GC.class_histogram}) before and after says which classes make up the
 * difference.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.IdleHeapBenchmark}
 */
public final class IdleHeapBenchmark {
    private static final long TARGET_BYTES = 32 * 1024;

    private IdleHeapBenchmark() {
    }

    /**
     * Runs the benchmark and prints the figures.
     *
     * @param args {@code --pairs=N}, {@code --warmup=N}, {@code --idle=S}, {@code --top=N} histogram rows
     * @throws Exception if the histogram cannot be taken
     */
    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        int pairs = BenchSupport.intArg(args, "pairs", 1_000);
        int warmup = BenchSupport.intArg(args, "warmup", 20);
        int idle = BenchSupport.intArg(args, "idle", 12);
        int top = BenchSupport.intArg(args, "top", 25);
        System.out.println("IdleHeapBenchmark: " + pairs + " pairs (" + 2 * pairs + " sessions), idle " + idle + " s");
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("epoll: " + BenchSupport.epollStatus() + "; Reactor Netty loops: "
                + (BenchSupport.reactorNettyUsesEpoll() ? "epoll" : "NIO"));
        System.out.println("load average before: " + BenchSupport.loadAverage());

        for (int i = 0; i < warmup; i++) {
            connect().close(); // classes, loops, schedulers and pools now exist
        }
        BenchSupport.pause(1_000); // disposal is asynchronous
        Snapshot before = Snapshot.take();

        List<LoopbackPeers> all = new ArrayList<>(pairs);
        long started = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            all.add(connect());
        }
        System.out.printf(Locale.ROOT, "%d pairs connected in %.1f s%n", pairs, (System.nanoTime() - started) / 1e9);
        BenchSupport.UdpCounters k0 = BenchSupport.UdpCounters.read();
        BenchSupport.pause(idle * 1_000L);
        BenchSupport.UdpCounters k = BenchSupport.UdpCounters.read().minus(k0);
        Map<IceState, Long> states = all.stream().flatMap(p -> java.util.stream.Stream.of(p.a, p.b))
                .collect(Collectors.groupingBy(IceSession::state, TreeMap::new, Collectors.counting()));
        Snapshot after = Snapshot.take();

        int sessions = 2 * pairs;
        System.out.println();
        System.out.println("states after the idle window: " + states);
        System.out.printf(Locale.ROOT, "UDP datagrams during the idle window (system-wide): %,d sent, %,d received"
                + " (%.0f/s each way; consent alone would be about %.0f/s)%n", k.out(), k.in(), k.out() / (double) idle,
                2 * sessions / 5.0);
        report(before, after, sessions);
        printHistogramDifference(before.histogram(), after.histogram(), sessions, top);
        System.out.println("load average after: " + BenchSupport.loadAverage());
        all.forEach(LoopbackPeers::close);
    }

    /** What is measured before and after the sessions exist. */
    private record Snapshot(int threads, int sockets, long heapUsed, Map<String, long[]> histogram) {
        static Snapshot take() throws Exception {
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            int sockets = BenchSupport.openSockets();
            long heap = settledHeapUsed();
            return new Snapshot(threads, sockets, heap, classHistogram());
        }
    }

    private static void report(Snapshot before, Snapshot after, int sessions) {
        long difference = after.heapUsed() - before.heapUsed();
        long perAgent = difference / sessions;
        System.out.printf(Locale.ROOT, "heap used: baseline %,d B, with %d sessions %,d B, difference %,d B%n",
                before.heapUsed(), sessions, after.heapUsed(), difference);
        System.out.printf(Locale.ROOT, "heap per agent: %,d B (%.1f KiB); target < 32 KiB: %s%n", perAgent,
                perAgent / 1024.0, perAgent < TARGET_BYTES ? "met" : "missed by " + (perAgent - TARGET_BYTES) + " B");
        System.out.printf(Locale.ROOT, "threads: %d before, %d with %d sessions; sockets: %d before, %d with %d sessions%n",
                before.threads(), after.threads(), sessions, before.sockets(), after.sockets(), sessions);
        System.out.println("thread names: " + threadGroups());
    }

    private static LoopbackPeers connect() {
        LoopbackPeers p = LoopbackPeers.start(c -> c);
        p.signal();
        p.a.connect().block(LoopbackPeers.TIMEOUT);
        p.b.connect().block(LoopbackPeers.TIMEOUT);
        return p;
    }

    /** Heap used after a full collection, the smallest of five (concurrent consent traffic allocates). */
    private static long settledHeapUsed() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            BenchSupport.pause(200);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Live threads by name with the trailing number removed, e.g. {@code reactor-udp-epoll-=4}. */
    private static Map<String, Long> threadGroups() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().replaceAll("\\d+$", ""), TreeMap::new,
                        Collectors.counting()));
    }

    /** The JVM's live-object class histogram: class name to {instances, bytes}. */
    private static Map<String, long[]> classHistogram() throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, long[]> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                out.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        return out;
    }

    private static void printHistogramDifference(Map<String, long[]> before, Map<String, long[]> after, int sessions,
            int top) {
        List<Map.Entry<String, long[]>> diff = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            total += d[1];
            diff.add(Map.entry(e.getKey(), d));
        }
        diff.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        System.out.printf(Locale.ROOT, "%nlive-heap histogram difference: %,d B in all, %,d B per agent; top %d classes:%n",
                total, total / sessions, top);
        System.out.printf(Locale.ROOT, "  %12s %10s %9s %9s  %s%n", "bytes", "instances", "B/agent", "inst/agent",
                "class");
        for (Map.Entry<String, long[]> e : diff.subList(0, Math.min(top, diff.size()))) {
            long[] d = e.getValue();
            System.out.printf(Locale.ROOT, "  %,12d %,10d %,9d %9.1f  %s%n", d[1], d[0], d[1] / sessions,
                    d[0] / (double) sessions, e.getKey());
        }
    }
}
