package io.reactiveice.benchmarks;

import ch.qos.logback.classic.Level;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * What the benchmark mains share: quiet logging, the machine and its load, percentiles, and the
 * kernel's own UDP counters. Nothing here is timed.
 */
final class BenchSupport {

    private BenchSupport() {
    }

    /**
     * The agents log every state change at INFO; a benchmark that prints 2,000 lines per second
     * measures the console. WARN unless {@code -Dbench.log=INFO} (or any logback level) is given.
     */
    static void quietLogging() {
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("bench.log", "WARN")));
    }

    /** {@code /proc/loadavg}'s 1, 5 and 15 minute load averages, or "n/a". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** The CPU model, core count, JVM and OS, on one line. */
    static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // keep "unknown CPU"
        }
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT, "%d vCPU %s, %d MiB max heap, %s %s (%s), %s %s", rt.availableProcessors(), cpu,
                rt.maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), System.getProperty("os.name"),
                System.getProperty("os.version"));
    }

    /** Whether Netty's native epoll transport loads here, and why not if it does not. */
    static String epollStatus() {
        try {
            return Epoll.isAvailable() ? "available" : "unavailable: " + Epoll.unavailabilityCause();
        } catch (LinkageError e) {
            return "unavailable: " + e;
        }
    }

    /** Whether Reactor Netty will pick epoll for its default loops (native jar present, not turned off). */
    static boolean reactorNettyUsesEpoll() {
        return Boolean.parseBoolean(System.getProperty("reactor.netty.native", "true")) && Epoll.isAvailable();
    }

    /** The nearest-rank percentile {@code p} (0..100) of sorted values. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The java binary this JVM runs, for starting another JVM of the same build. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The median of some doubles (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Microseconds, from nanoseconds, with one decimal. */
    static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000.0);
    }

    /** Milliseconds, from nanoseconds, with three decimals. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }

    /**
     * The kernel's UDP counters of this network namespace ({@code /proc/net/snmp}, line "Udp:"):
     * datagrams delivered to sockets, sent, and dropped because a socket's receive buffer was full.
     * They count every process of the machine, so a concurrent build with UDP tests adds to them.
     */
    record UdpCounters(long in, long out, long rcvbufErrors) {
        static UdpCounters read() {
            try {
                List<String> udp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                        .filter(l -> l.startsWith("Udp:")).toList();
                List<String> names = Arrays.asList(udp.get(0).split("\\s+"));
                String[] values = udp.get(1).split("\\s+");
                return new UdpCounters(Long.parseLong(values[names.indexOf("InDatagrams")]),
                        Long.parseLong(values[names.indexOf("OutDatagrams")]),
                        Long.parseLong(values[names.indexOf("RcvbufErrors")]));
            } catch (IOException | RuntimeException e) {
                return new UdpCounters(-1, -1, -1);
            }
        }

        UdpCounters minus(UdpCounters earlier) {
            return new UdpCounters(in - earlier.in, out - earlier.out, rcvbufErrors - earlier.rcvbufErrors);
        }
    }

    /**
     * CPU time from {@code /proc/stat} (all CPUs) and {@code /proc/self/stat} (this JVM), in clock
     * ticks, to tell how much of the machine other processes took during a measurement.
     */
    record CpuTimes(long total, long busy, long self) {
        static CpuTimes read() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long[] v = new long[9]; // user nice system idle iowait irq softirq steal (guest is inside user)
                for (int i = 1; i < 9; i++) {
                    v[i] = Long.parseLong(cpu[i]);
                }
                long total = v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7] + v[8];
                // softirq (v[7]) belongs to no process; on loopback most of it is our own packets
                long busy = v[1] + v[2] + v[3] + v[6] + v[8];
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long self = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                return new CpuTimes(total, busy, self);
            } catch (IOException | RuntimeException e) {
                return new CpuTimes(-1, -1, -1);
            }
        }

        /**
         * The CPU other processes used since {@code earlier}, in cores (0 to the number of CPUs).
         * Approximate: softirq time counts for nobody, and steal time counts as others'.
         */
        double othersSince(CpuTimes earlier) {
            return othersSince(earlier, 0);
        }

        /** As {@link #othersSince(CpuTimes)}, counting {@code alsoOursNanos} (e.g. a child JVM's CPU) as ours too. */
        double othersSince(CpuTimes earlier, long alsoOursNanos) {
            long t = total - earlier.total;
            if (total < 0 || earlier.total < 0 || t <= 0) {
                return Double.NaN;
            }
            long others = (busy - earlier.busy) - (self - earlier.self) - alsoOursNanos / 10_000_000; // USER_HZ 100
            return Math.max(0, others) * (double) Runtime.getRuntime().availableProcessors() / t;
        }
    }

    /**
     * A process's CPU time from {@code /proc/<pid>/stat}, in clock ticks (USER_HZ: 100 per second on
     * Linux): its own user and system time, and that of the children it has waited for. The JVM waits
     * for every process it started, so a finished child's CPU shows up in {@code self}'s children.
     */
    record ProcessTicks(long own, long children) {
        /** One clock tick in nanoseconds (USER_HZ is 100 on every Linux architecture Java runs on). */
        static final long TICK_NANOS = 10_000_000;

        /** Reads {@code /proc/<pid>/stat}; {@code pid} is a number or {@code "self"}; -1s if unreadable. */
        static ProcessTicks read(String pid) {
            try {
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // fields 14 to 17 of proc(5): utime, stime, cutime, cstime
                return new ProcessTicks(Long.parseLong(f[11]) + Long.parseLong(f[12]),
                        Long.parseLong(f[13]) + Long.parseLong(f[14]));
            } catch (IOException | RuntimeException e) {
                return new ProcessTicks(-1, -1);
            }
        }
    }

    /**
     * The datagrams the kernel dropped at the UDP sockets of this network namespace whose local port
     * is one of {@code ports} ({@code /proc/net/udp}, last column), summed over every such socket; -1
     * if unreadable. A socket that has been closed no longer counts.
     */
    static long socketDrops(Set<Integer> ports) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/net/udp"))) {
            return lines.skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> ports.contains(Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16)))
                    .mapToLong(f -> Long.parseLong(f[f.length - 1])).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of this JVM's threads by name, trailing digits removed ({@code parallel-}, {@code C2
     * CompilerThread}, {@code GC Thread#}), as {user, system} clock ticks from {@code /proc/self/task}.
     * Threads that ended are missing, so take differences over windows in which the threads live.
     */
    static Map<String, long[]> threadCpuTicks() {
        Map<String, long[]> out = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[#\\d]+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long[] v = out.computeIfAbsent(name, k -> new long[2]);
                    v[0] += Long.parseLong(f[11]);
                    v[1] += Long.parseLong(f[12]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            // not Linux: no figures
        }
        return out;
    }

    /** The difference of two {@link #threadCpuTicks()} readings, largest first, in milliseconds, on one line. */
    static String threadCpuSince(Map<String, long[]> earlier) {
        long tick = 10; // USER_HZ is 100 on Linux
        return threadCpuTicks().entrySet().stream()
                .map(e -> {
                    long[] b = earlier.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {(e.getValue()[0] - b[0]) * tick, (e.getValue()[1] - b[1]) * tick});
                })
                .filter(e -> e.getValue()[0] + e.getValue()[1] > 0)
                .sorted((x, y) -> Long.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
                .map(e -> e.getKey() + " " + e.getValue()[0] + "+" + e.getValue()[1])
                .collect(Collectors.joining(", ", "[user+system ms] ", ""));
    }

    /** The number of open file descriptors of this process that are sockets (Linux). */
    static int openSockets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException | RuntimeException e) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Parses {@code --name=value} from the arguments, or gives the default. */
    static int intArg(String[] args, String name, int defaultValue) {
        String prefix = "--" + name + "=";
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return Integer.parseInt(a.substring(prefix.length()));
            }
        }
        return defaultValue;
    }

    /** Parses {@code --name=value} from the arguments, or gives the default. */
    static String stringArg(String[] args, String name, String defaultValue) {
        String prefix = "--" + name + "=";
        for (String a : args) {
            if (a.startsWith(prefix)) {
                return a.substring(prefix.length());
            }
        }
        return defaultValue;
    }

    /** Sleeps, for a benchmark main's pacing only (never on an event loop). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
