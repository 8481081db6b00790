package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.sdp.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A peer program run as a process and spoken to with the JSON lines of the peer protocol
 * ({@code shared/interop/PROTOCOL.md}). Its stdout is read on a thread of its own: every line is
 * kept, parsed, and the signalling lines are passed on, in order, to the peer it is relayed to.
 * Every wait is bounded; a failed wait reports what both peers printed, stdout and stderr.
 */
final class PeerProcess implements AutoCloseable {
    static final Set<String> SIGNALLING = Set.of("credentials", "candidate", "end-of-candidates");

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final List<String> lines = new ArrayList<>(); // guarded by this
    private final List<Map<String, Object>> messages = new ArrayList<>(); // guarded by this
    private final List<Long> arrivals = new ArrayList<>(); // System.nanoTime() of each message's line; guarded by this
    private final List<String> malformed = new ArrayList<>(); // guarded by this
    private final StringBuffer stderr = new StringBuffer();
    private volatile Supplier<String> report = this::describe;
    private boolean stdoutEnded; // guarded by this

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        daemon(name + "-stderr", () -> copy(process.getErrorStream(), line -> stderr.append(line).append('\n')));
    }

    /**
     * Starts a peer; its stdout is read only once {@link #relay} or {@link #read} is called.
     *
     * @param name how reports call it
     * @param command the program and its arguments
     */
    static PeerProcess start(String name, List<String> command) {
        try {
            return new PeerProcess(name, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The command of our peer program: this test's own java binary on the shaded jar, leaks fatal to
     * logs; with {@code -Dicepeer.logback=FILE} the peer logs as that logback configuration says.
     */
    static List<String> icePeer(String... options) {
        Path jar = Path.of("target", "ice-peer.jar").toAbsolutePath();
        assertThat(jar).as("the peer program is built in the package phase: mvn -DskipTests package -pl samples")
                .exists();
        List<String> command = new ArrayList<>(List.of(java(), "-Dio.netty.leakDetection.level=paranoid"));
        String logback = System.getProperty("icepeer.logback"); // e.g. a DEBUG configuration, to trace a failure
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(options));
        return command;
    }

    /** The java binary running this test. */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Reads both peers' stdout, passing each one's signalling lines to the other; failures report both. */
    static void relay(PeerProcess a, PeerProcess b) {
        Supplier<String> both = () -> a.describe() + "\n" + b.describe();
        a.report = both;
        b.report = both;
        a.read(b);
        b.read(a);
    }

    /** Reads stdout, passing signalling lines to {@code to} (or nowhere when {@code null}). */
    void read(PeerProcess to) {
        daemon(name + "-stdout", () -> {
            copy(process.getInputStream(), line -> onLine(line, to));
            synchronized (this) {
                stdoutEnded = true;
                notifyAll();
            }
        });
    }

    private void onLine(String line, PeerProcess to) {
        Map<String, Object> message = null;
        try {
            message = JsonReader.readObject(line);
        } catch (IllegalArgumentException e) {
            synchronized (this) {
                malformed.add(line);
            }
        }
        if (message != null && to != null && SIGNALLING.contains(String.valueOf(message.get("type")))) {
            to.send(line);
        }
        synchronized (this) {
            lines.add(line);
            if (message != null) {
                messages.add(message);
                arrivals.add(System.nanoTime());
            }
            notifyAll();
        }
    }

    /** Writes one line to the peer's stdin; a peer that has gone is reported by the waits, not here. */
    void send(String jsonLine) {
        synchronized (stdin) {
            try {
                stdin.write(jsonLine + "\n");
                stdin.flush();
            } catch (IOException e) {
                stderr.append("[test] could not write to ").append(name).append(": ").append(e).append('\n');
            }
        }
    }

    /** Closes the peer's stdin: end of input, which the protocol treats as {@code close}. */
    void closeStdin() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException e) {
                stderr.append("[test] could not close stdin: ").append(e).append('\n');
            }
        }
    }

    /** Waits for the first message of a type that matches, failing with both peers' output after {@code timeout}. */
    Map<String, Object> await(String type, Predicate<Map<String, Object>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (Map<String, Object> m : messages) {
                    if (type.equals(m.get("type")) && match.test(m)) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(name + ": no " + type + " line as expected within " + timeout + "\n"
                            + report.get());
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /**
     * Waits for the first message of a type that matches, as {@link #await}, and gives when its line
     * was read here ({@link System#nanoTime()}).
     */
    long awaitArrival(String type, Predicate<Map<String, Object>> match, Duration timeout) {
        Map<String, Object> m = await(type, match, timeout);
        synchronized (this) {
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i) == m) {
                    return arrivals.get(i);
                }
            }
        }
        throw new AssertionError("unreachable: an awaited message is kept");
    }

    /** Waits for {@code state} to be reported. */
    Map<String, Object> awaitState(String state, Duration timeout) {
        return await("state", m -> state.equals(m.get("state")), timeout);
    }

    /** Waits for the process to exit by itself; kills it and fails with both peers' output otherwise. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + timeout + "\n" + report.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        awaitEndOfStdout(Duration.ofSeconds(5));
        return process.exitValue();
    }

    /** The process has gone: waits (bounded) until its last stdout line was read. */
    private synchronized void awaitEndOfStdout(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stdoutEnded) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": stdout not closed " + timeout + " after exit\n" + report.get());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Checks the framing rules of the protocol over everything the peer printed, after it exited:
     * only JSON objects on stdout, {@code hello} first, {@code credentials} before any candidate,
     * {@code end-of-candidates} after the last, loopback addresses only, {@code state closed} last.
     */
    synchronized void assertSpokeTheProtocol() {
        String r = report.get();
        assertThat(malformed).as("stdout lines that are not JSON objects\n%s", r).isEmpty();
        assertThat(messages).as("stdout of %s\n%s", name, r).isNotEmpty();
        assertThat(messages.get(0)).as("the first line\n%s", r).containsEntry("type", "hello");
        List<String> types = messages.stream().map(m -> String.valueOf(m.get("type"))).toList();
        int credentials = types.indexOf("credentials");
        int end = types.indexOf("end-of-candidates");
        assertThat(credentials).as("credentials line\n%s", r).isPositive();
        assertThat(types.indexOf("candidate")).as("first candidate after credentials\n%s", r).isGreaterThan(credentials);
        assertThat(types.lastIndexOf("candidate")).as("end-of-candidates after the last candidate\n%s", r)
                .isLessThan(end);
        for (Map<String, Object> m : messages("candidate")) {
            assertThat((String) m.get("candidate")).as("loopback only\n%s", r).contains(" 127.0.0.1 ");
        }
        Map<String, Object> last = messages.get(messages.size() - 1);
        assertThat(last).as("the last line\n%s", r).containsEntry("type", "state").containsEntry("state", "closed");
    }

    /** A number member of a message. */
    static double number(Map<String, Object> message, String field) {
        Object v = message.get(field);
        assertThat(v).as("%s in %s", field, message).isInstanceOf(Number.class);
        return ((Number) v).doubleValue();
    }

    /** Every parsed stdout message of a type, in order. */
    synchronized List<Map<String, Object>> messages(String type) {
        return messages.stream().filter(m -> type.equals(m.get("type"))).toList();
    }

    /** Every stdout line so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Stdout lines that were not JSON objects (the protocol allows none). */
    synchronized List<String> malformed() {
        return List.copyOf(malformed);
    }

    String stderr() {
        return stderr.toString();
    }

    /** Everything both peers printed, for assertion messages. */
    String report() {
        return report.get();
    }

    private synchronized String describe() {
        return "---- " + name + " stdout ----\n" + String.join("\n", lines) + "\n---- " + name + " stderr ----\n"
                + stderr;
    }

    /** Kills the peer if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copy(InputStream in, Consumer<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // the process has gone
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

}
