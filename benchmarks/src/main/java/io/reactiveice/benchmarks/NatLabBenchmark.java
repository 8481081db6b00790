package io.reactiveice.benchmarks;

import static io.reactiveice.testing.NatType.PORT_RESTRICTED_CONE;
import static io.reactiveice.testing.NatType.SYMMETRIC;

import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.NatLab;
import io.reactiveice.testing.NatType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Connect time through NATs: the samples' peer program on both sides of a {@link NatLab} (each peer
 * in its own LAN behind its own router, coturn on the public segment as STUN and TURN server), each
 * cell run {@code --runs} times (default 5) with two new peers started at once. Prints per cell the
 * median {@code ice_ms} of each side (from the remote credentials to {@code connected}, measured by
 * the peer) and how often each pair type was in use: each side's last {@code selected} line once the
 * controlling peer's ten pings have come back. The cells: cone x cone with STUN only and with STUN +
 * TURN, cone x symmetric and symmetric x symmetric with STUN + TURN, and cone x cone with both peers
 * {@code --relay-only}. Needs root, coturn and nftables, and the peer program built
 * ({@code mvn -DskipTests package -pl samples -am}).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.NatLabBenchmark
 * --runs=5 --jar=samples/target/ice-peer.jar}
 */
public final class NatLabBenchmark {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final Set<String> ENDS = Set.of("connected", "failed");

    private record Cell(String name, NatType a, NatType b, boolean turn, boolean relayOnly) {
    }

    private NatLabBenchmark() {
    }

    /**
     * Runs every cell and prints a line per cell.
     *
     * @param args {@code --runs=N}, {@code --jar=PATH} (default {@code samples/target/ice-peer.jar})
     * @throws InterruptedException if interrupted while waiting for a peer
     */
    public static void main(String[] args) throws InterruptedException {
        int runs = BenchSupport.intArg(args, "runs", 5);
        Path jar = Path.of(BenchSupport.stringArg(args, "jar", "samples/target/ice-peer.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(jar + " does not exist: mvn -DskipTests package -pl samples -am");
        }
        List<Cell> cells = List.of(
                new Cell("cone x cone, STUN only", PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, false, false),
                new Cell("cone x cone, STUN + TURN", PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, true, false),
                new Cell("cone x symmetric, STUN + TURN", PORT_RESTRICTED_CONE, SYMMETRIC, true, false),
                new Cell("symmetric x symmetric, STUN + TURN", SYMMETRIC, SYMMETRIC, true, false),
                new Cell("cone x cone, relay-only", PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, true, true));
        System.out.println("NatLabBenchmark: " + runs + " runs per cell; " + BenchSupport.machine());
        try (NatLab lab = NatLab.create(); Coturn coturn = lab.startCoturn()) {
            for (Cell cell : cells) {
                runCell(lab, coturn, jar, cell, runs);
            }
        }
    }

    private static void runCell(NatLab lab, Coturn coturn, Path jar, Cell cell, int runs) throws InterruptedException {
        lab.nat(cell.a(), cell.b());
        List<Double> iceA = new ArrayList<>();
        List<Double> iceB = new ArrayList<>();
        Map<String, Integer> pairsA = new TreeMap<>();
        Map<String, Integer> pairsB = new TreeMap<>();
        int failed = 0;
        for (int run = 0; run < runs; run++) {
            try (LabPeer a = LabPeer.start(command(lab, lab.a(), coturn, jar, cell, "--controlling", "--send", "10"));
                    LabPeer b = LabPeer.start(command(lab, lab.b(), coturn, jar, cell, "--controlled", "--echo"))) {
                LabPeer.relay(a, b);
                Map<String, Object> endA = a.await("state", "state", ENDS, CONNECT);
                Map<String, Object> endB = b.await("state", "state", ENDS, CONNECT);
                if (endA == null || endB == null || !"connected".equals(endA.get("state"))
                        || !"connected".equals(endB.get("state"))) {
                    failed++;
                    continue;
                }
                iceA.add(((Number) endA.get("ice_ms")).doubleValue());
                iceB.add(((Number) endB.get("ice_ms")).doubleValue());
                a.await("stats", null, Set.of(), CONNECT);
                pairsA.merge(types(a.lastSelected()), 1, Integer::sum);
                pairsB.merge(types(b.lastSelected()), 1, Integer::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%-36s connected %d/%d  ice_ms median a %s b %s  pairs a %s b %s%n",
                cell.name(), runs - failed, runs, median(iceA), median(iceB), pairsA, pairsB);
    }

    private static String median(List<Double> values) {
        return values.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f", BenchSupport.median(values));
    }

    private static String types(Map<String, Object> selected) {
        return selected == null ? "none" : selected.get("local_type") + "/" + selected.get("remote_type");
    }

    private static List<String> command(NatLab lab, NatLab.Site site, Coturn coturn, Path jar, Cell cell,
            String... role) {
        String server = lab.serverAddress().getHostAddress() + ":" + coturn.address().getPort();
        List<String> command = new ArrayList<>(List.of(BenchSupport.javaBinary(), "-jar", jar.toString(), "--addr",
                site.lanAddress().getHostAddress(), "--stun", server, "--timeout", "20", "--wait", "3"));
        command.addAll(List.of(role));
        if (cell.turn()) {
            command.addAll(List.of("--turn", server, "--turn-user", Coturn.USER, "--turn-pass", Coturn.PASSWORD));
        }
        if (cell.relayOnly()) {
            command.add("--relay-only");
        }
        return site.exec(command);
    }
}
