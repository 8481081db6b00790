package io.reactiveice.benchmarks;

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
 * What the heap benchmarks measure before and after their sessions exist: heap used after full
 * collections, live threads and sockets, and the JVM's live-object class histogram (what
 * {@code jcmd <pid> GC.class_histogram} prints, taken through the DiagnosticCommand MBean).
 */
final class HeapProbe {

    private HeapProbe() {
    }

    /** One reading. */
    record Snapshot(int threads, int sockets, long heapUsed, Map<String, long[]> histogram) {
        static Snapshot take() throws Exception {
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            int sockets = BenchSupport.openSockets();
            long heap = settledHeapUsed();
            return new Snapshot(threads, sockets, heap, classHistogram());
        }
    }

    /** Heap used after a full collection, the smallest of five (concurrent consent traffic allocates). */
    static long settledHeapUsed() {
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
    static Map<String, Long> threadGroups() {
        return Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.groupingBy(t -> t.getName().replaceAll("\\d+$", ""), TreeMap::new,
                        Collectors.counting()));
    }

    /** The JVM's live-object class histogram: class name to {instances, bytes}. */
    static Map<String, long[]> classHistogram() throws Exception {
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

    /** Prints the classes whose live bytes grew most between two histograms, per session too. */
    static void printHistogramDifference(Map<String, long[]> before, Map<String, long[]> after, int sessions,
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
