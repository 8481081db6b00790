package io.reactiveice.benchmarks;

import io.reactiveice.testing.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Connect time of a freshly started peer program against headless Chromium (issue 12), both roles:
 * Chromium offers and controls with the peer program controlled, and the peer program controls with
 * Chromium answering. Everything runs in one {@link NetworkNamespace} that this program creates (and
 * deletes at the end, also after a failure): Chromium (through ChromeDriver, {@link
 * ChromiumInNamespace}) and, per run, a fresh {@code java -jar ice-peer.jar --addr <lab address>
 * --host-only} started with {@code ip netns exec}; both bind the namespace's one address (IPv6 is off
 * in the namespace, Chromium's mDNS names are off, so nothing multicasts). The signalling goes
 * through {@link PageRelay} on the namespace's host end, relayed the moment either side produces it
 * ({@link BrowserRun}).
 *
 * <p>Per run it records the peer program's {@code ice_ms} (remote credentials to {@code state
 * connected}, measured inside the peer) and Chromium's own time from {@code setRemoteDescription} to
 * {@code iceConnectionState} connected ({@code performance.now()}). The reference is Chromium against
 * {@code aioice_peer.py} (Debian's python3-aioice) run the same way. One warm-up run per role and
 * peer, not counted, first: the browser's first connection also starts its network service.
 *
 * <pre>
 * mvn -B -ntp -q -pl samples,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.FreshJvmChromiumBenchmark --runs=10
 * </pre>
 *
 * <p>Options: {@code --runs=N} per role (default 10); {@code --jar=PATH} (default
 * {@code samples/target/ice-peer.jar}); {@code --jvm-options="..."} for the peer program's JVM;
 * {@code --peer-options="..."} for the peer program; {@code --aioice=PATH} (default
 * {@code samples/src/test/resources/aioice_peer.py}); {@code --reference=false} to skip aioice; {@code --roles=chromium,peer}: who controls (offers), either or
 * both;
 * {@code --trace=true} prints every signalling message with the driver's milliseconds since the run
 * began, and the peers' stderr. Needs root, iproute2, chromium and chromium-driver.
 */
public final class FreshJvmChromiumBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String PYTHON = "/usr/bin/python3";

    private FreshJvmChromiumBenchmark() {
    }

    /** The peer's side of a row: its name and command line without the role. */
    private record Peer(String name, List<String> command) {
        List<String> as(String role) {
            List<String> c = new ArrayList<>(command);
            c.add(role);
            return c;
        }
    }

    /**
     * Runs the rows and prints the medians.
     *
     * @param args the options above
     * @throws Exception if the namespace, the browser or a peer cannot be started
     */
    public static void main(String[] args) throws Exception {
        int runs = BenchSupport.intArg(args, "runs", 10);
        Path jar = Path.of(BenchSupport.stringArg(args, "jar", "samples/target/ice-peer.jar")).toAbsolutePath();
        Path script = Path.of(BenchSupport.stringArg(args, "aioice", "samples/src/test/resources/aioice_peer.py"))
                .toAbsolutePath();
        List<String> jvmOptions = words(BenchSupport.stringArg(args, "jvm-options", ""));
        List<String> peerOptions = words(BenchSupport.stringArg(args, "peer-options", ""));
        boolean reference = Boolean.parseBoolean(BenchSupport.stringArg(args, "reference", "true"));
        boolean trace = Boolean.parseBoolean(BenchSupport.stringArg(args, "trace", "false"));
        List<String> roles = List.of(BenchSupport.stringArg(args, "roles", "chromium,peer").split(","));
        if (!Files.isRegularFile(jar) || reference && !Files.isRegularFile(script)) {
            throw new IllegalArgumentException(jar + " or " + script + " is missing (run from the repository root after"
                    + " package)");
        }
        System.out.println("FreshJvmChromiumBenchmark: " + runs + " runs per role; peer JVM options " + jvmOptions);
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("load average before: " + BenchSupport.loadAverage());
        Path log = Files.createTempFile("reactive-ice-bench-chromedriver", ".log");
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ipv4Only(ns);
            String address = ns.peerAddress().getHostAddress();
            List<String> java = new ArrayList<>(ns.exec(BenchSupport.javaBinary()));
            java.addAll(jvmOptions);
            java.addAll(List.of("-jar", jar.toString(), "--addr", address, "--host-only", "--timeout", "20"));
            java.addAll(peerOptions);
            List<Peer> peers = new ArrayList<>(List.of(new Peer("reactive-ice (fresh JVM)", java)));
            if (reference) {
                peers.add(new Peer("aioice", ns.exec(PYTHON, "-I", "-u", script.toString(), "--addr", address)));
            }
            System.out.println("namespace " + ns);
            try (PageRelay relay = PageRelay.start(ns.hostAddress());
                    ChromiumInNamespace chromium = ChromiumInNamespace.start(ns, relay.origin(), log)) {
                for (boolean chromiumOffers : List.of(true, false)) {
                    if (!roles.contains(chromiumOffers ? "chromium" : "peer")) {
                        continue;
                    }
                    for (Peer peer : peers) {
                        row(chromium, relay, peer, chromiumOffers, runs, trace);
                    }
                }
            }
        }
        Files.deleteIfExists(log);
        System.out.println("load average after: " + BenchSupport.loadAverage());
    }

    private static void row(ChromiumInNamespace chromium, PageRelay relay, Peer peer, boolean chromiumOffers, int runs,
            boolean trace) throws InterruptedException {
        List<String> command = peer.as(chromiumOffers ? "--controlled" : "--controlling");
        String label = chromiumOffers ? "Chromium controlling, " + peer.name() + " controlled"
                : peer.name() + " controlling, Chromium controlled";
        BrowserRun.Result warm = BrowserRun.once(chromium.driver(), relay, command, chromiumOffers, TIMEOUT, trace);
        System.out.printf(Locale.ROOT, "%s: warm-up run peer %.2f ms, Chromium %.2f ms%s%n", label, warm.peerMs(),
                warm.chromiumMs(), warm.failure() == null ? "" : " (" + warm.failure() + ")");
        double[] peerMs = new double[runs];
        double[] chromiumMs = new double[runs];
        int failed = 0;
        for (int i = 0; i < runs; i++) {
            BenchSupport.pause(200); // let the previous peer's process go
            BrowserRun.Result r = BrowserRun.once(chromium.driver(), relay, command, chromiumOffers, TIMEOUT, trace);
            peerMs[i] = r.peerMs();
            chromiumMs[i] = r.chromiumMs();
            if (r.failure() != null) {
                failed++;
                System.out.println("  run " + i + " failed: " + r.failure());
            }
        }
        System.out.println(label + (failed > 0 ? " (" + failed + " failed)" : ""));
        print("  " + peer.name() + " ice_ms", peerMs);
        print("  Chromium setRemoteDescription to connected", chromiumMs);
    }

    private static void print(String label, double[] values) {
        double[] s = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (s.length == 0) {
            System.out.println(label + ": no run connected");
            return;
        }
        double median = BenchSupport.median(Arrays.stream(s).boxed().toList());
        System.out.printf(Locale.ROOT, "%-46s median %7.2f  min %7.2f  max %7.2f  (n=%d) %s%n", label, median, s[0],
                s[s.length - 1], s.length, Arrays.toString(Arrays.stream(values)
                        .map(v -> Math.round(v * 10) / 10.0).toArray()));
    }

    /** No IPv6 in the namespace: nothing gets a link-local address that a browser or peer could bind. */
    private static void ipv4Only(NetworkNamespace ns) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ns.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("could not turn IPv6 off in " + ns.name() + ": " + out);
        }
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
}
