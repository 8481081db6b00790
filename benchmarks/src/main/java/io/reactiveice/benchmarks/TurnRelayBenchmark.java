package io.reactiveice.benchmarks;

import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.ExternalProgram;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Datagrams per second and round trips through a coturn relay over UDP with ChannelData, for our
 * TURN client beside coturn's own {@code turnutils_uclient}, in the same run, against the same coturn
 * and the same echo peer (RFC 8656 sections 12.4 to 12.6).
 *
 * <p>The program starts coturn on 127.0.0.1 ({@link Coturn}: long-term credentials, loopback peers
 * allowed) and an {@link EchoPeer} on 127.0.0.1, warms our client up, then runs {@code --rounds}
 * rounds (default 3) of these rows, each on fresh allocations, every client sending
 * {@code --datagrams} datagrams (default 100,000) of {@code --length} bytes (default 100):
 * <ul>
 *   <li>{@code uclient x1}: {@code turnutils_uclient -c -m 1 -z 0} (see {@link Uclient}): one
 *       allocation, a channel, as fast as it sends;
 *   <li>{@code ours x1 window W}: one {@code TurnRelay}, a channel, at most {@code --window}
 *       datagrams (default 32) in flight;
 *   <li>{@code ours x1 uclient's pacing}: one {@code TurnRelay}, bursts of 50 datagrams from a timer
 *       at the rate {@code uclient x1} reached in the same round, as uclient sends;
 *   <li>{@code uclient xC}, {@code ours xC window W} and {@code ours xC uclient's pacing}: the same
 *       with {@code --clients} allocations at once (default 4; 1 leaves these rows out);
 *   <li>{@code direct, 1 in flight} and {@code ours x1, 1 in flight}: {@code --pings} round trips
 *       (default 5,000), one at a time, straight to the peer and through the relay: the latency the
 *       relay adds.
 * </ul>
 *
 * <p>The rate is measured at the echo peer for every client alike, while all of a run's allocations
 * were sending; loss is what the client sent minus the echoes it got back. The program prints each
 * run, then the medians over the rounds as a table (over all runs, and over the runs during which other
 * processes took less than {@code --quiet} cores, default 0.25), and exits with 1 if any run failed (coturn or
 * {@code turnutils_uclient} did not start or finish, a relay could not be set up, a run stalled).
 * Traffic stays on 127.0.0.1.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.TurnRelayBenchmark}
 */
public final class TurnRelayBenchmark {
    /** {@code turnutils_uclient} sends at most this many messages per client per timer tick. */
    static final int UCLIENT_BURST = 50;
    /** A run ends when no echo has come for this long. */
    private static final Duration STALL = Duration.ofSeconds(2);

    private final Options options;
    private final IceServer server;
    private final InetSocketAddress coturn;
    private final String coturnPid;
    private final EchoPeer peer;
    private final Path directory;
    private final PrintStream out;
    private final List<TurnRun> runs = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int round;

    private TurnRelayBenchmark(Options options, Coturn coturn, EchoPeer peer, Path directory, PrintStream out) {
        this.options = options;
        this.server = IceServer.parse("turn:127.0.0.1:" + coturn.address().getPort(), Coturn.USER, Coturn.PASSWORD);
        this.coturn = coturn.address();
        this.coturnPid = CpuSnapshot.coturnPid(coturn.directory());
        this.peer = peer;
        this.directory = directory;
        this.out = out;
    }

    /**
     * The protocol's parameters.
     *
     * @param datagrams datagrams per client and run
     * @param length bytes per datagram (at least 16)
     * @param rounds rounds of every row
     * @param window our datagrams in flight per relay in the window rows
     * @param clients allocations at once in the multi-client rows (1: no such rows)
     * @param pings round trips, one at a time, in the latency rows
     * @param warmup datagrams our client sends before the first round, not measured
     * @param quiet the cores other processes may take during every run of a round for it to count as quiet
     */
    record Options(int datagrams, int length, int rounds, int window, int clients, int pings, int warmup,
            double quiet) {
        /** Checks the ranges. */
        Options {
            if (length < TurnRelayLoad.HEADER) {
                throw new IllegalArgumentException("length must be at least 16 but was " + length);
            }
            if (datagrams < 1 || rounds < 1 || window < 1 || clients < 1 || pings < 1 || warmup < 0) {
                throw new IllegalArgumentException("datagrams, rounds, window, clients and pings must be at least 1"
                        + " and warmup at least 0 but were " + datagrams + ", " + rounds + ", " + window + ", "
                        + clients + ", " + pings + ", " + warmup);
            }
        }

        /** From {@code --name=value} arguments, with the defaults of the class comment. */
        static Options parse(String[] args) {
            return new Options(BenchSupport.intArg(args, "datagrams", 100_000), BenchSupport.intArg(args, "length", 100),
                    BenchSupport.intArg(args, "rounds", 3), BenchSupport.intArg(args, "window", 32),
                    BenchSupport.intArg(args, "clients", 4), BenchSupport.intArg(args, "pings", 5_000),
                    BenchSupport.intArg(args, "warmup", 20_000), Double.parseDouble(BenchSupport.stringArg(args, "quiet",
                    "0.25")));
        }
    }

    /**
     * What the benchmark measured.
     *
     * @param runs every measured run, in order
     * @param failures what went wrong; empty if nothing did
     */
    record Summary(List<TurnRun> runs, List<String> failures) {
    }

    /**
     * Runs the benchmark and prints each run and the summary.
     *
     * @param args {@code --datagrams=N --length=B --rounds=R --window=W --clients=C --pings=P --warmup=N
     *     --quiet=CORES}
     */
    public static void main(String[] args) {
        BenchSupport.quietLogging();
        Summary summary = run(Options.parse(args), System.out);
        System.exit(summary.failures().isEmpty() ? 0 : 1);
    }

    /** Runs every round and prints the runs and the summary to {@code out}. */
    static Summary run(Options options, PrintStream out) {
        out.printf(Locale.ROOT, "TurnRelayBenchmark: %,d datagrams of %d bytes per client and run, %d rounds, window %d,"
                + " %d clients in the multi-client rows, %,d pings%n", options.datagrams(), options.length(),
                options.rounds(), options.window(), options.clients(), options.pings());
        out.println("machine: " + BenchSupport.machine());
        out.println("epoll: " + BenchSupport.epollStatus() + "; Reactor Netty loops: "
                + (BenchSupport.reactorNettyUsesEpoll() ? "epoll" : "NIO"));
        out.println("coturn: " + coturnVersion());
        out.println("load average before: " + BenchSupport.loadAverage());
        Path directory;
        try {
            directory = Files.createTempDirectory("turn-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TurnRelayBenchmark bench = null;
        List<String> failures = new ArrayList<>();
        try (Coturn coturn = Coturn.start(); EchoPeer peer = EchoPeer.start()) {
            out.println("coturn on " + coturn.address() + " (log in " + coturn.directory() + "), echo peer on "
                    + peer.address() + ", uclient output in " + directory);
            bench = new TurnRelayBenchmark(options, coturn, peer, directory, out);
            bench.rounds();
        } catch (RuntimeException | AssertionError e) {
            failures.add("the benchmark could not run: " + causes(e));
            e.printStackTrace(out);
        }
        if (bench != null) {
            failures.addAll(0, bench.failures);
            new TurnRelaySummary(bench.runs, options).print(out);
        }
        out.println("load average after: " + BenchSupport.loadAverage());
        failures.forEach(f -> out.println("FAILED: " + f));
        return new Summary(bench == null ? List.of() : List.copyOf(bench.runs), List.copyOf(failures));
    }

    private void rounds() {
        out.printf(Locale.ROOT, "warm-up: %,d datagrams through one relay, window %d, and %,d pings (not measured)%n",
                options.warmup(), options.window(), options.pings());
        if (options.warmup() > 0) {
            try (TurnRelayLoad load = TurnRelayLoad.open(server, peer.address(), 1)) {
                load.run(options.warmup(), options.length(), new TurnRelayLoad.Pacing.Window(options.window()), STALL);
                load.run(options.pings(), options.length(), new TurnRelayLoad.Pacing.Window(1), STALL);
            }
            DirectPing.run(peer.address(), options.pings(), options.length());
        }
        int c = options.clients();
        String window = "window " + options.window();
        for (round = 1; round <= options.rounds(); round++) {
            TurnRun u1 = measure(options.datagrams(), () -> uclient(1));
            measure(options.datagrams(), () -> ours("ours x1 " + window, 1,
                    new TurnRelayLoad.Pacing.Window(options.window()), options.datagrams()));
            if (u1 != null && u1.peerRate() > 0) {
                Duration period = Duration.ofNanos((long) (UCLIENT_BURST * 1e9 / u1.peerRate()));
                measure(options.datagrams(), () -> ours("ours x1 uclient's pacing", 1,
                        new TurnRelayLoad.Pacing.Bursts(UCLIENT_BURST, period), options.datagrams()));
            }
            if (c > 1) {
                TurnRun uc = measure((long) c * options.datagrams(), () -> uclient(c));
                measure((long) c * options.datagrams(), () -> ours("ours x" + c + " " + window, c,
                        new TurnRelayLoad.Pacing.Window(options.window()), options.datagrams()));
                if (uc != null && uc.peerRate() > 0) {
                    Duration period = Duration.ofNanos((long) (UCLIENT_BURST * 1e9 * c / uc.peerRate()));
                    measure((long) c * options.datagrams(), () -> ours("ours x" + c + " uclient's pacing", c,
                            new TurnRelayLoad.Pacing.Bursts(UCLIENT_BURST, period), options.datagrams()));
                }
            }
            measure(options.pings(), this::direct);
            measure(options.pings(), () -> ours("ours x1, 1 in flight", 1, new TurnRelayLoad.Pacing.Window(1),
                    options.pings()));
        }
    }

    /** Runs one row, prints it and checks that everything was sent and something came back. */
    private TurnRun measure(long expected, Supplier<TurnRun> row) {
        try {
            TurnRun run = row.get();
            runs.add(run);
            out.println(run.describe());
            if (run.sent() < expected || run.echoed() == 0) {
                failures.add("round " + round + " " + run.row() + ": sent " + run.sent() + " of " + expected
                        + ", echoed " + run.echoed());
            }
            return run;
        } catch (RuntimeException e) {
            failures.add("round " + round + ": " + causes(e));
            out.println("round " + round + " FAILED: " + causes(e));
            return null;
        }
    }

    private TurnRun uclient(int clients) {
        EchoPeer.Recording arrivals = peer.record(clients * (options.datagrams() + 100));
        long[] drops = drops();
        CpuSnapshot before = CpuSnapshot.take(peer, coturnPid);
        Uclient.Report r = Uclient.run(coturn, peer.address(), clients, options.datagrams(), options.length(), directory);
        CpuSnapshot after = CpuSnapshot.take(peer, coturnPid);
        peer.stopRecording();
        TurnRun.Drops dropped = dropsSince(drops, -1);
        if (runs.stream().noneMatch(x -> x.uclient() != null)) {
            out.println("      " + r.command());
        }
        return new TurnRun(round, "uclient x" + clients, clients, r.sent(), r.received(), arrivals.flow(), Double.NaN,
                new long[0], r, after.childrenSince(before), after.coturnSince(before), after.othersSince(before),
                dropped);
    }

    private TurnRun ours(String row, int clients, TurnRelayLoad.Pacing pacing, int datagrams) {
        try (TurnRelayLoad load = TurnRelayLoad.open(server, peer.address(), clients)) {
            EchoPeer.Recording arrivals = peer.record(clients * (datagrams + 100));
            long[] drops = drops();
            long clientDrops = BenchSupport.socketDrops(load.localPorts());
            CpuSnapshot before = CpuSnapshot.take(peer, coturnPid);
            TurnRelayLoad.Result r = load.run(datagrams, options.length(), pacing, STALL);
            CpuSnapshot after = CpuSnapshot.take(peer, coturnPid);
            peer.stopRecording();
            TurnRun.Drops dropped = dropsSince(drops, BenchSupport.socketDrops(load.localPorts()) - clientDrops);
            if (load.dropped() > 0 || r.strays() > 0) {
                out.println("      the relays dropped " + load.dropped() + " datagrams; " + r.strays() + " strays");
            }
            return new TurnRun(round, row, clients, r.sent(), r.received(), arrivals.flow(), r.perSecond(), r.rtt(), null,
                    after.jvmSince(before), after.coturnSince(before), after.othersSince(before), dropped);
        }
    }

    private TurnRun direct() {
        long[] drops = drops();
        CpuSnapshot before = CpuSnapshot.take(peer, coturnPid);
        long[] rtt = DirectPing.run(peer.address(), options.pings(), options.length());
        CpuSnapshot after = CpuSnapshot.take(peer, coturnPid);
        return new TurnRun(round, "direct, 1 in flight", 1, options.pings(), rtt.length, null, Double.NaN, rtt, null,
                after.jvmSince(before), after.coturnSince(before), after.othersSince(before), dropsSince(drops, -1));
    }

    /** The drop counters a run starts from: coturn's listening port, the peer, the machine. */
    private long[] drops() {
        return new long[] {BenchSupport.socketDrops(Set.of(coturn.getPort())),
            BenchSupport.socketDrops(Set.of(peer.address().getPort())), BenchSupport.UdpCounters.read().rcvbufErrors()};
    }

    private TurnRun.Drops dropsSince(long[] before, long client) {
        long[] now = drops();
        return new TurnRun.Drops(client, now[0] - before[0], now[1] - before[1], now[2] - before[2]);
    }

    /** The message of a failure and of each of its causes, on one line. */
    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            s.append("; caused by ").append(c);
        }
        return s.toString();
    }

    private static String coturnVersion() {
        try {
            Process p = new ProcessBuilder(ExternalProgram.require("turnserver", "coturn").toString(), "--version")
                    .redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return "turnserver " + v;
        } catch (IOException | RuntimeException | AssertionError e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The rows in the order they first ran. */
    static Set<String> rows(List<TurnRun> runs) {
        Set<String> rows = new LinkedHashSet<>();
        runs.forEach(r -> rows.add(r.row()));
        return rows;
    }
}
