package io.reactiveice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The soak (issue 10, item 8): {@code --sessions} sessions (default 1,000, i.e. 500 pairs on
 * 127.0.0.1, {@link SoakPair}) live at once, with churn, for {@code --minutes} (default 30), under
 * Netty's paranoid leak detection. Every {@code --sample} s (default 60) it records heap used after
 * full collections, open file descriptors ({@code /proc/self/fd}), live threads and the leak reports
 * so far, and at the end prints the table and fails (exit status 1) on any leak or failed cycle.
 *
 * <p>Churn: {@code --workers} threads (default 4) take the oldest live pair, exchange
 * {@code --datagrams} datagrams (default 10) there and back, restart ICE, exchange again, close it, and
 * open a fresh pair in its place (start, signal, connect, exchange), which joins the back of the line;
 * the cycles start at {@code --churn} pairs per second at most (default 2, so each pair lives about
 * 250 s and its consent runs throughout). The live count stays at the target, less the pairs being
 * cycled.
 *
 * <p>{@code java -Dio.netty.leakDetection.level=paranoid -cp benchmarks/target/benchmarks.jar
 * io.reactiveice.benchmarks.SoakBenchmark --minutes=30}
 */
public final class SoakBenchmark {

    private SoakBenchmark() {
    }

    /** The run's settings. */
    record Options(int sessions, Duration duration, double churnPerSecond, int workers, int datagrams,
            Duration sample) {
        int pairs() {
            return sessions / 2;
        }
    }

    /** One reading: seconds since the start, heap after GC, fds, threads, leaks, and the churn so far. */
    record Sample(double seconds, long heapUsed, int fds, int threads, int leaks, long cycles, long failures,
            long sent, long echoed, int live, String load) {
    }

    /** The run's figures. */
    record Result(List<Sample> samples, long cycles, long failures, String firstFailure, List<String> leaks) {
    }

    /**
     * Runs the soak and prints the table.
     *
     * @param args {@code --sessions=N --minutes=M (or --seconds=S) --churn=PAIRS_PER_S --workers=N --datagrams=N --sample=S}
     */
    public static void main(String[] args) {
        BenchSupport.quietLogging();
        LeakWatch leaks = LeakWatch.install();
        Options o = new Options(BenchSupport.intArg(args, "sessions", 1_000),
                Duration.ofSeconds(BenchSupport.intArg(args, "seconds", 60 * BenchSupport.intArg(args, "minutes", 30))),
                Double.parseDouble(BenchSupport.stringArg(args, "churn", "2")), BenchSupport.intArg(args, "workers", 4),
                BenchSupport.intArg(args, "datagrams", 10), Duration.ofSeconds(BenchSupport.intArg(args, "sample", 60)));
        System.out.println("SoakBenchmark: " + o);
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("leak detection: " + LeakWatch.level() + "; load average before: " + BenchSupport.loadAverage());
        System.out.println(header());
        Result r = run(o, leaks, s -> System.out.println(row(s)));
        System.out.printf(Locale.ROOT, "%ncycles %d, failures %d%s, leak reports %d%n", r.cycles(), r.failures(),
                r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")", r.leaks().size());
        r.leaks().stream().limit(5).forEach(l -> System.out.println("LEAK REPORT: " + l));
        System.out.println("load average after: " + BenchSupport.loadAverage());
        if (!r.leaks().isEmpty() || r.failures() > 0) {
            System.out.println("FAILED: " + r.leaks().size() + " leak reports, " + r.failures() + " failed cycles");
            System.exit(1);
        }
        System.out.println("OK: no leak reported, no failed cycle");
    }

    /**
     * The whole soak: fill, churn with samples, close everything, a last sample.
     *
     * @param o the settings
     * @param leaks the installed leak counter
     * @param onSample called with each reading as it is taken
     * @return the readings and totals
     */
    static Result run(Options o, LeakWatch leaks, Consumer<Sample> onSample) {
        Churn churn = new Churn(o);
        long start = System.nanoTime();
        List<Sample> samples = new ArrayList<>();
        churn.fill();
        samples.add(sample(start, leaks, churn));
        onSample.accept(samples.get(0));
        List<Thread> workers = churn.startWorkers(start + o.duration().toNanos());
        long next = start + o.sample().toNanos();
        while (next <= start + o.duration().toNanos()) {
            BenchSupport.pause(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            Sample s = sample(start, leaks, churn);
            samples.add(s);
            onSample.accept(s);
            next += o.sample().toNanos();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        churn.closeAll();
        BenchSupport.pause(2_000); // disposal is asynchronous
        Sample last = sample(start, leaks, churn);
        samples.add(last);
        onSample.accept(last);
        return new Result(samples, churn.cycles.get(), churn.failures.get(), churn.firstFailure, leaks.reports());
    }

    private static Sample sample(long start, LeakWatch leaks, Churn churn) {
        LeakWatch.poke();
        long heap = HeapProbe.settledHeapUsed();
        return new Sample((System.nanoTime() - start) / 1e9, heap, openFileDescriptors(),
                ManagementFactory.getThreadMXBean().getThreadCount(), leaks.count(), churn.cycles.get(),
                churn.failures.get(), churn.sent.get(), churn.echoed.get(), 2 * churn.live.size(),
                BenchSupport.loadAverage());
    }

    /** Entries of {@code /proc/self/fd}: sockets, jars, pipes, epoll and event fds; -1 if unreadable. */
    static int openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String header() {
        return "| minute | heap after GC (MiB) | open fds | threads | leak reports | cycles | failed | datagrams sent/echoed | live sessions | load avg |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|";
    }

    static String row(Sample s) {
        return String.format(Locale.ROOT, "| %.1f | %.1f | %d | %d | %d | %d | %d | %d/%d | %d | %s |", s.seconds() / 60,
                s.heapUsed() / 1048576.0, s.fds(), s.threads(), s.leaks(), s.cycles(), s.failures(), s.sent(),
                s.echoed(), s.live(), s.load());
    }

    /** The live pairs and the workers that cycle them. */
    private static final class Churn {
        private final Options o;
        private final LinkedBlockingQueue<SoakPair> live = new LinkedBlockingQueue<>();
        private final AtomicLong cycles = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong echoed = new AtomicLong();
        private final AtomicLong nextStart = new AtomicLong();
        private volatile String firstFailure;

        Churn(Options o) {
            this.o = o;
        }

        /** Opens the live pairs, a few at a time. */
        void fill() {
            List<Thread> fillers = new ArrayList<>();
            AtomicLong toOpen = new AtomicLong(o.pairs());
            for (int w = 0; w < o.workers(); w++) {
                Thread t = new Thread(() -> {
                    while (toOpen.getAndDecrement() > 0) {
                        openOne();
                    }
                }, "soak-fill-" + w);
                t.start();
                fillers.add(t);
            }
            for (Thread t : fillers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }

        List<Thread> startWorkers(long endNanos) {
            nextStart.set(System.nanoTime());
            List<Thread> out = new ArrayList<>();
            for (int w = 0; w < o.workers(); w++) {
                Thread t = new Thread(() -> work(endNanos), "soak-churn-" + w);
                t.start();
                out.add(t);
            }
            return out;
        }

        private void work(long endNanos) {
            long spacing = (long) (1e9 / o.churnPerSecond());
            while (true) {
                long at = nextStart.getAndAdd(spacing);
                long wait = at - System.nanoTime();
                if (at >= endNanos) {
                    return;
                }
                if (wait > 0) {
                    BenchSupport.pause(wait / 1_000_000);
                } else if (-wait > 10 * spacing) {
                    nextStart.set(System.nanoTime()); // behind: do not burst to catch up
                }
                SoakPair oldest = live.poll();
                if (oldest != null) {
                    cycle(oldest);
                }
                openOne();
            }
        }

        /** Exchange, restart, exchange, close. */
        private void cycle(SoakPair pair) {
            try (pair) {
                count(pair.exchange(o.datagrams()));
                pair.restart();
                count(pair.exchange(o.datagrams()));
                cycles.incrementAndGet();
            } catch (RuntimeException e) {
                fail("cycle", e);
            }
        }

        private void openOne() {
            try {
                SoakPair pair = SoakPair.open();
                count(pair.exchange(o.datagrams()));
                live.add(pair);
            } catch (RuntimeException e) {
                fail("open", e);
            }
        }

        private void count(int echoes) {
            sent.addAndGet(o.datagrams());
            echoed.addAndGet(echoes);
        }

        private void fail(String what, RuntimeException e) {
            failures.incrementAndGet();
            if (firstFailure == null) {
                firstFailure = what + ": " + e;
            }
        }

        void closeAll() {
            for (SoakPair p = live.poll(); p != null; p = live.poll()) {
                p.close();
            }
        }
    }
}
