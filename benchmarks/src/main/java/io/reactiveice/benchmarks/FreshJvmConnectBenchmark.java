package io.reactiveice.benchmarks;

import io.reactiveice.sdp.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Connect time of a freshly started peer program against aioice: each run starts the samples' peer
 * program ({@code java -jar samples/target/ice-peer.jar}, a JVM of its own) and
 * {@code aioice_peer.py} (Debian's python3-aioice), relays their signalling lines (peer protocol,
 * {@code shared/interop/PROTOCOL.md}) the moment they appear, and records the {@code ice_ms} each
 * side prints with {@code state connected}: milliseconds from the remote {@code credentials} line
 * to connected, measured inside that peer. Then both are closed and awaited (killed, by their own
 * process handle, only if they do not exit). The reference is aioice against aioice, run the same way.
 *
 * <p>The peer program is started as a process, from its shaded jar, rather than put on this module's
 * class path: a fresh JVM per run is the point, and the jar is exactly what the interop tests and
 * PROTOCOL.md start. Every socket is on 127.0.0.1: the peer program gets {@code --addr 127.0.0.1
 * --host-only}, and aioice_peer.py gathers 127.0.0.1 only and contacts no STUN server.
 *
 * <pre>
 * mvn -B -ntp -q -pl samples,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.FreshJvmConnectBenchmark --runs=10
 * </pre>
 *
 * <p>Options: {@code --runs=N} per role (default 10); {@code --jar=PATH} (default
 * {@code samples/target/ice-peer.jar}); {@code --aioice=PATH} (default
 * {@code samples/src/test/resources/aioice_peer.py}); {@code --jvm-options="..."} (space-separated,
 * passed to the peer program's JVM, e.g. a class-data-sharing archive or a flight recording);
 * {@code --reference=false} to skip aioice against aioice; {@code --peer-options="..."} for the
 * peer program; {@code --trace=true} prints every stdout line of both peers with the driver's
 * milliseconds since that pair was started, and their stderr lines.
 */
public final class FreshJvmConnectBenchmark {
    private static final Set<String> SIGNALLING = Set.of("credentials", "candidate", "end-of-candidates");
    private static final long CONNECT_SECONDS = 30;
    private static final long EXIT_SECONDS = 10;
    private static final String PYTHON = "/usr/bin/python3";
    private static volatile boolean trace;

    private FreshJvmConnectBenchmark() {
    }

    /**
     * Runs the pairs and prints {@code ice_ms} median, min and max per role and implementation.
     *
     * @param args the options above
     * @throws Exception if a peer cannot be started or does not connect in time
     */
    public static void main(String[] args) throws Exception {
        int runs = BenchSupport.intArg(args, "runs", 10);
        Path jar = Path.of(BenchSupport.stringArg(args, "jar", "samples/target/ice-peer.jar")).toAbsolutePath();
        Path script = Path.of(BenchSupport.stringArg(args, "aioice", "samples/src/test/resources/aioice_peer.py"))
                .toAbsolutePath();
        List<String> jvmOptions = words(BenchSupport.stringArg(args, "jvm-options", ""));
        List<String> peerOptions = words(BenchSupport.stringArg(args, "peer-options", ""));
        boolean reference = Boolean.parseBoolean(BenchSupport.stringArg(args, "reference", "true"));
        trace = Boolean.parseBoolean(BenchSupport.stringArg(args, "trace", "false"));
        for (Path p : List.of(jar, script)) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException(p + " is missing (run from the repository root after package)");
            }
        }
        System.out.println("FreshJvmConnectBenchmark: " + runs + " runs per role; peer JVM options " + jvmOptions);
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("load average before: " + BenchSupport.loadAverage());

        List<String> java = new ArrayList<>(List.of(BenchSupport.javaBinary()));
        java.addAll(jvmOptions);
        java.addAll(List.of("-jar", jar.toString(), "--addr", "127.0.0.1", "--host-only"));
        java.addAll(peerOptions);
        List<String> python = List.of(PYTHON, "-I", "-u", script.toString());
        for (String role : List.of("controlling", "controlled")) {
            String other = role.equals("controlling") ? "controlled" : "controlling";
            double[][] t = measure(runs, with(java, "--" + role), with(python, "--" + other));
            print("reactive-ice " + role + " (fresh JVM)", t[0]);
            print("  its peer, aioice " + other, t[1]);
        }
        if (reference) {
            double[][] t = measure(runs, with(python, "--controlling"), with(python, "--controlled"));
            print("reference: aioice controlling", t[0]);
            print("reference: aioice controlled", t[1]);
        }
        System.out.println("load average after: " + BenchSupport.loadAverage());
    }

    /** {@code runs} pairs of fresh processes; the two sides' {@code ice_ms}, one array each. */
    private static double[][] measure(int runs, List<String> a, List<String> b) throws Exception {
        double[][] t = new double[2][runs];
        for (int i = 0; i < runs; i++) {
            double[] one = pairOnce(a, b);
            t[0][i] = one[0];
            t[1][i] = one[1];
            BenchSupport.pause(200); // let the previous pair's processes and sockets go
        }
        return t;
    }

    private static double[] pairOnce(List<String> commandA, List<String> commandB) throws Exception {
        try (Peer a = new Peer(commandA); Peer b = new Peer(commandB)) { // b's failure to start closes a
            a.relayTo(b);
            b.relayTo(a);
            try {
                return new double[] {a.connected.get(CONNECT_SECONDS, TimeUnit.SECONDS),
                    b.connected.get(CONNECT_SECONDS, TimeUnit.SECONDS)};
            } catch (TimeoutException e) {
                throw new IllegalStateException("no connected state within " + CONNECT_SECONDS + " s\n"
                        + a.stderr + "\n" + b.stderr, e);
            }
        }
    }

    private static void print(String label, double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        double median = BenchSupport.median(Arrays.stream(s).boxed().toList());
        System.out.printf(Locale.ROOT, "%-40s ice_ms median %7.2f  min %7.2f  max %7.2f  (n=%d) %s%n", label, median,
                s[0], s[s.length - 1], s.length, Arrays.toString(values));
    }

    private static List<String> with(List<String> command, String option) {
        List<String> c = new ArrayList<>(command);
        c.add(option);
        return c;
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    /** One peer process: stdout read on a thread of its own, signalling passed on in order, stderr kept. */
    private static final class Peer implements AutoCloseable {
        final CompletableFuture<Double> connected = new CompletableFuture<>();
        final StringBuffer stderr = new StringBuffer();
        private final Process process;
        private final Writer stdin;
        private final String name;
        private final long startedAt = System.nanoTime();

        Peer(List<String> command) throws IOException {
            name = command.get(command.size() - 1) + (command.get(0).equals(PYTHON) ? " aioice" : " reactive-ice");
            process = new ProcessBuilder(command).start();
            stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            daemon(() -> lines(process.getErrorStream(), l -> {
                stderr.append(l).append('\n');
                trace("stderr " + l);
            }));
        }

        /** Reads stdout on a thread of its own; a peer whose stdout ends unconnected fails the run at once. */
        void relayTo(Peer to) {
            daemon(() -> {
                lines(process.getInputStream(), line -> onLine(line, to));
                connected.completeExceptionally(new IllegalStateException("stdout ended before connected\n" + stderr));
            });
        }

        private void onLine(String line, Peer to) {
            trace(line);
            Map<String, Object> m = JsonReader.readObject(line);
            Object type = m.get("type");
            if (SIGNALLING.contains(String.valueOf(type))) {
                to.send(line);
            } else if ("state".equals(type) && "connected".equals(m.get("state"))) {
                connected.complete(((Number) m.get("ice_ms")).doubleValue());
            } else if ("state".equals(type) && "failed".equals(m.get("state"))) {
                connected.completeExceptionally(new IllegalStateException("failed: " + line + "\n" + stderr));
            }
        }

        private void trace(String line) {
            if (trace) {
                System.out.printf(Locale.ROOT, "%9.2f %-26s %s%n", (System.nanoTime() - startedAt) / 1e6, name, line);
            }
        }

        void send(String line) {
            synchronized (stdin) {
                try {
                    stdin.write(line + "\n");
                    stdin.flush();
                } catch (IOException e) {
                    stderr.append("[benchmark] could not write: ").append(e).append('\n');
                }
            }
        }

        /** Asks the peer to close, ends its input, waits; kills this process (and only it) if it stays. */
        @Override
        public void close() throws InterruptedException {
            send("{\"type\":\"close\"}");
            synchronized (stdin) {
                try {
                    stdin.close();
                } catch (IOException e) {
                    // it has gone already
                }
            }
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            }
        }

        private static void lines(InputStream in, java.util.function.Consumer<String> sink) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process has gone
            }
        }

        private static void daemon(Runnable task) {
            Thread t = new Thread(task, "peer-io");
            t.setDaemon(true);
            t.start();
        }
    }
}
