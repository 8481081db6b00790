package io.reactiveice.benchmarks;

import io.reactiveice.sdp.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One run of the samples' peer program ({@code ice-peer.jar}, {@code shared/interop/PROTOCOL.md})
 * for {@link NatLabBenchmark} and {@link FreshJvmChromiumBenchmark}: its stdout read on a thread of
 * its own, every line handed on as it arrives (the signalling lines to the other peer), the
 * {@code state} and {@code selected} lines kept. Ended by closing its stdin, or killed (this process
 * only, by its handle) if it does not exit.
 */
final class LabPeer implements AutoCloseable {
    private static final Set<String> SIGNALLING = Set.of("credentials", "candidate", "end-of-candidates");

    private final Process process;
    private final Writer stdin;
    private final List<Map<String, Object>> messages = new ArrayList<>(); // guarded by this
    private boolean ended; // guarded by this

    private LabPeer(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts the command; its stderr is discarded. */
    static LabPeer start(List<String> command) {
        return start(command, ProcessBuilder.Redirect.DISCARD);
    }

    /** Starts the command with its stderr sent to {@code stderr}. */
    static LabPeer start(List<String> command, ProcessBuilder.Redirect stderr) {
        try {
            return new LabPeer(new ProcessBuilder(command).redirectError(stderr).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Reads both peers' stdout, each one's signalling lines written to the other. */
    static void relay(LabPeer a, LabPeer b) {
        a.read((line, m) -> {
            if (isSignalling(m)) {
                b.send(line);
            }
        });
        b.read((line, m) -> {
            if (isSignalling(m)) {
                a.send(line);
            }
        });
    }

    /** Whether a message is one that a driver passes on to the other peer. */
    static boolean isSignalling(Map<String, Object> message) {
        return SIGNALLING.contains(String.valueOf(message.get("type")));
    }

    /**
     * Reads the peer's stdout on a thread of its own, handing every line (and the object parsed from
     * it) to {@code onLine} the moment it is read, before it is kept for {@link #await}.
     */
    void read(BiConsumer<String, Map<String, Object>> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Map<String, Object> m = JsonReader.readObject(line);
                    onLine.accept(line, m);
                    synchronized (this) {
                        messages.add(m);
                        notifyAll();
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // the process has gone, or printed something else than the protocol: the run has no result
            }
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }, "lab-peer");
        t.setDaemon(true);
        t.start();
    }

    /** Writes one line to the peer's stdin; nothing if it has exited. */
    void send(String line) {
        synchronized (stdin) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException gone) {
                // the peer has exited: its outcome is in what it printed
            }
        }
    }

    /**
     * Waits for the first message of a type whose field {@code key} is one of {@code values}.
     *
     * @return the message, or {@code null} when the peer ended or {@code timeout} passed first
     */
    synchronized Map<String, Object> await(String type, String key, Set<String> values, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Map<String, Object> m : messages) {
                if (type.equals(m.get("type")) && (key == null || values.contains(String.valueOf(m.get(key))))) {
                    return m;
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** The last {@code selected} line so far, or {@code null}. */
    synchronized Map<String, Object> lastSelected() {
        Map<String, Object> last = null;
        for (Map<String, Object> m : messages) {
            if ("selected".equals(m.get("type"))) {
                last = m;
            }
        }
        return last;
    }

    /** Closes stdin (the protocol's close) and waits for the exit; kills the process if it does not come. */
    @Override
    public void close() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException gone) {
                // already exited
            }
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
