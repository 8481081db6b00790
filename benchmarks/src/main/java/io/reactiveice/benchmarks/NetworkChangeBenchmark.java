package io.reactiveice.benchmarks;

import io.reactiveice.testing.TwoLinkLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Recovery from real network changes (issue 13): the samples' peer program on both hosts of a
 * {@link TwoLinkLab} ({@code --all-interfaces --host-only}, A controlling, B {@code --echo}), a
 * datagram sent to A every 50 ms and echoed by B; after the first echo the network changes, and the
 * time from the change to the first echo of a datagram sent after it is one sample. Four cases, each
 * {@code --runs} times (default 5) with a new lab and two new peers: the address of the selected
 * link deleted (two links, an address of each peer on both), A's and, apart, B's (the controlled
 * side's); A's only address replaced by a new one
 * on the other link; the router in front of A changing its mapping. A run that sees no echo within
 * {@code --bound} seconds (default 20) counts as not recovered. Prints per case the recovered count,
 * median, min and max. Needs root, iproute2, nftables and conntrack, and the peer program built
 * ({@code mvn -DskipTests package -pl samples -am}).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.NetworkChangeBenchmark
 * --runs=5 --jar=samples/target/ice-peer.jar}
 *
 * <p>{@code --cases=1,2} runs only those cases (numbered from 1 in the order above); {@code
 * --trace=DIR} runs the peers with {@code -v} and keeps their stderr as {@code DIR/<case>-<run>-a.log} and
 * {@code -b.log}, with the instant of the change (epoch ms) in {@code DIR/<case>-<run>-change.txt}.
 */
public final class NetworkChangeBenchmark {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final long PING_MILLIS = 50;

    /** One case: how its lab is made and how the network changes. */
    private record Case(String name, boolean router, boolean oneAddress, Consumer<Run> change) {
    }

    /** One run's lab, the link of A's address in the selected pair, and that of B's. */
    private record Run(TwoLinkLab lab, int selectedLink, int remoteLink) {
    }

    private NetworkChangeBenchmark() {
    }

    /**
     * Runs every case and prints a line per case.
     *
     * @param args {@code --runs=N}, {@code --bound=S}, {@code --jar=PATH}, {@code --cases=1,2,...},
     *     {@code --trace=DIR}
     * @throws IOException if a trace file cannot be written
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        int runs = BenchSupport.intArg(args, "runs", 5);
        Duration bound = Duration.ofSeconds(BenchSupport.intArg(args, "bound", 20));
        Path jar = Path.of(BenchSupport.stringArg(args, "jar", "samples/target/ice-peer.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: mvn -DskipTests package -pl samples -am");
        }
        List<Case> cases = List.of(
                new Case("address of the selected link deleted", false, false, r -> r.lab().deleteAddress(
                        r.lab().a(), r.selectedLink(), r.lab().address(r.lab().a(), r.selectedLink()))),
                new Case("b's address of the selected link deleted", false, false, r -> r.lab().deleteAddress(
                        r.lab().b(), r.remoteLink(), r.lab().address(r.lab().b(), r.remoteLink()))),
                new Case("only address replaced on the other link", false, true, r -> r.lab().moveAddress(
                        r.lab().address(r.lab().a(), 1), 1, TwoLinkLab.hostAddress(2, 11), 2)),
                new Case("router changed A's mapping", true, false, r -> r.lab().rebind()));
        String only = BenchSupport.stringArg(args, "cases", "");
        String trace = BenchSupport.stringArg(args, "trace", "");
        System.out.println("NetworkChangeBenchmark: " + runs + " runs per case, bound " + bound.toSeconds() + " s; "
                + Instant.now() + "; load " + BenchSupport.loadAverage() + "; " + BenchSupport.machine());
        for (int k = 0; k < cases.size(); k++) {
            if (only.isEmpty() || List.of(only.split(",")).contains(String.valueOf(k + 1))) {
                runCase(jar, cases.get(k), runs, bound, trace.isEmpty() ? null : Path.of(trace).resolve(
                        String.valueOf(k + 1)));
            }
        }
    }

    private static void runCase(Path jar, Case c, int runs, Duration bound, Path trace) throws IOException, InterruptedException {
        List<Double> millis = new ArrayList<>();
        int unconnected = 0;
        for (int i = 0; i < runs; i++) {
            Double ms = once(jar, c, bound, trace == null ? null : Path.of(trace + "-" + (i + 1)));
            System.out.printf(Locale.ROOT, "  run %d: %s%n", i + 1, ms == null ? "never connected"
                    : ms < 0 ? "not recovered" : String.format(Locale.ROOT, "%.0f ms", ms));
            if (ms == null) {
                unconnected++;
            } else if (ms >= 0) {
                millis.add(ms);
            }
        }
        String stats = millis.isEmpty() ? "-" : String.format(Locale.ROOT, "median %.0f ms, min %.0f, max %.0f",
                BenchSupport.median(millis), millis.stream().mapToDouble(d -> d).min().orElseThrow(),
                millis.stream().mapToDouble(d -> d).max().orElseThrow());
        System.out.printf(Locale.ROOT, "%-42s recovered %d/%d (%d never connected)  %s%n", c.name(), millis.size(),
                runs, unconnected, stats);
    }

    /** One run: the recovery in ms, -1 if none within the bound, {@code null} if the peers never connected. */
    private static Double once(Path jar, Case c, Duration bound, Path trace) throws IOException, InterruptedException {
        TwoLinkLab lab = c.router() ? TwoLinkLab.behindRouter() : TwoLinkLab.twoLinks();
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor();
        try {
            if (c.oneAddress()) {
                lab.deleteAddress(lab.a(), 2, lab.address(lab.a(), 2));
            }
            try (LabPeer a = LabPeer.start(lab.a().exec(command(jar, trace, "--controlling")), stderr(trace, "a"));
                    LabPeer b = LabPeer.start(lab.b().exec(command(jar, trace, "--controlled", "--echo")),
                            stderr(trace, "b"))) {
                Echoes echoes = new Echoes();
                a.read((line, m) -> {
                    if (LabPeer.isSignalling(m)) {
                        b.send(line);
                    } else if ("data".equals(m.get("type"))) {
                        echoes.arrived(seq(m), System.nanoTime());
                    }
                });
                b.read((line, m) -> {
                    if (LabPeer.isSignalling(m)) {
                        a.send(line);
                    }
                });
                AtomicLong next = new AtomicLong();
                pinger.scheduleAtFixedRate(() -> a.send(data(next.getAndIncrement())), 0, PING_MILLIS,
                        TimeUnit.MILLISECONDS);
                if (a.await("state", "state", Set.of("connected"), CONNECT) == null
                        || echoes.firstFrom(0, CONNECT) < 0) {
                    return null;
                }
                Map<String, Object> selected = a.lastSelected();
                int link = selected != null && String.valueOf(selected.get("local")).contains(" 10.7.2.") ? 2 : 1;
                int remoteLink = selected != null && String.valueOf(selected.get("remote")).contains(" 10.7.2.") ? 2 : 1;
                long wall = System.currentTimeMillis();
                c.change().accept(new Run(lab, link, remoteLink));
                long changedAt = System.nanoTime();
                if (trace != null) {
                    Files.writeString(Path.of(trace + "-change.txt"), wall + " to " + System.currentTimeMillis() + "\n");
                }
                long echoedAt = echoes.firstFrom(next.get(), bound);
                return echoedAt < 0 ? -1.0 : (echoedAt - changedAt) / 1e6;
            }
        } finally {
            pinger.shutdownNow();
            lab.close();
        }
    }

    private static List<String> command(Path jar, Path trace, String... role) {
        List<String> command = new ArrayList<>(List.of(BenchSupport.javaBinary(), "-jar", jar.toString(),
                "--all-interfaces", "--host-only", "--timeout", "60"));
        if (trace != null) {
            command.add("-v");
        }
        command.addAll(List.of(role));
        return command;
    }

    private static ProcessBuilder.Redirect stderr(Path trace, String peer) {
        return trace == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.to(Path.of(trace + "-" + peer + ".log").toFile());
    }

    private static String data(long seq) {
        String payload = Base64.getEncoder().encodeToString(("labecho " + seq).getBytes(StandardCharsets.US_ASCII));
        return "{\"type\":\"data\",\"base64\":\"" + payload + "\"}";
    }

    private static long seq(Map<String, Object> m) {
        String[] words = new String(Base64.getDecoder().decode(String.valueOf(m.get("base64"))),
                StandardCharsets.US_ASCII).split(" ");
        return words.length == 2 && words[0].equals("labecho") ? Long.parseLong(words[1]) : -1;
    }

    /** The echoes A received: when the first of each sequence number at or above a bound came. */
    private static final class Echoes {
        private final List<long[]> arrivals = new ArrayList<>(); // {seq, nanoTime}; guarded by this

        synchronized void arrived(long seq, long at) {
            arrivals.add(new long[] {seq, at});
            notifyAll();
        }

        /** When the first echo of a sequence number of at least {@code from} came, or -1 after {@code timeout}. */
        synchronized long firstFrom(long from, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (long[] e : arrivals) {
                    if (e[0] >= from) {
                        return e[1];
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }
}
