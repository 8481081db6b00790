package io.reactiveice.benchmarks;

import io.reactiveice.IceSession;
import io.reactiveice.agent.IceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
        HeapProbe.Snapshot before = HeapProbe.Snapshot.take();

        List<LoopbackPeers> all = connectAll(pairs);
        BenchSupport.UdpCounters k0 = BenchSupport.UdpCounters.read();
        BenchSupport.pause(idle * 1_000L);
        BenchSupport.UdpCounters k = BenchSupport.UdpCounters.read().minus(k0);
        Map<IceState, Long> states = states(all);
        HeapProbe.Snapshot after = HeapProbe.Snapshot.take();

        int sessions = 2 * pairs;
        System.out.println();
        System.out.println("states after the idle window: " + states);
        System.out.printf(Locale.ROOT, "UDP datagrams during the idle window (system-wide): %,d sent, %,d received"
                + " (%.0f/s each way; consent alone would be about %.0f/s)%n", k.out(), k.in(), k.out() / (double) idle,
                2 * sessions / 5.0);
        report(before, after, sessions);
        HeapProbe.printHistogramDifference(before.histogram(), after.histogram(), sessions, top);
        System.out.println("load average after: " + BenchSupport.loadAverage());
        all.forEach(LoopbackPeers::close);
    }

    /** Connects {@code pairs} pairs one after another and prints how long that took. */
    private static List<LoopbackPeers> connectAll(int pairs) {
        List<LoopbackPeers> all = new ArrayList<>(pairs);
        long started = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            all.add(connect());
        }
        System.out.printf(Locale.ROOT, "%d pairs connected in %.1f s%n", pairs, (System.nanoTime() - started) / 1e9);
        return all;
    }

    /** How many of the pairs' sessions are in each state. */
    private static Map<IceState, Long> states(List<LoopbackPeers> all) {
        return all.stream().flatMap(p -> Stream.of(p.a, p.b))
                .collect(Collectors.groupingBy(IceSession::state, TreeMap::new, Collectors.counting()));
    }

    private static void report(HeapProbe.Snapshot before, HeapProbe.Snapshot after, int sessions) {
        long difference = after.heapUsed() - before.heapUsed();
        long perAgent = difference / sessions;
        System.out.printf(Locale.ROOT, "heap used: baseline %,d B, with %d sessions %,d B, difference %,d B%n",
                before.heapUsed(), sessions, after.heapUsed(), difference);
        System.out.printf(Locale.ROOT, "heap per agent: %,d B (%.1f KiB); target < 32 KiB: %s%n", perAgent,
                perAgent / 1024.0, perAgent < TARGET_BYTES ? "met" : "missed by " + (perAgent - TARGET_BYTES) + " B");
        System.out.printf(Locale.ROOT, "threads: %d before, %d with %d sessions; sockets: %d before, %d with %d sessions%n",
                before.threads(), after.threads(), sessions, before.sockets(), after.sockets(), sessions);
        System.out.println("thread names: " + HeapProbe.threadGroups());
    }

    private static LoopbackPeers connect() {
        LoopbackPeers p = LoopbackPeers.start(c -> c);
        p.signal();
        p.a.connect().block(LoopbackPeers.TIMEOUT);
        p.b.connect().block(LoopbackPeers.TIMEOUT);
        return p;
    }
}
