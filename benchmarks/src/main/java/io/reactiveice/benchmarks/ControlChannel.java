package io.reactiveice.benchmarks;

import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.sdp.EndOfCandidates;
import io.reactiveice.sdp.IceParameters;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The signalling between the service JVM and the driver JVM of {@link SharedPortScaleBenchmark}: one
 * loopback TCP connection carrying one message per line, {@code VERB ARG...}. A reader thread hands
 * each line to a handler; a writer thread drains a queue and flushes whenever it is empty, so that
 * nobody (least of all an event loop) ever blocks on the socket, and a burst of messages costs few
 * writes.
 *
 * <p>ICE descriptions travel as the SDP lines the library reads and writes ({@code a=ice-ufrag:},
 * {@code a=ice-pwd:}, {@code a=ice-lite}, {@code a=candidate:}, {@code a=end-of-candidates}), joined
 * with {@code |}, which no ICE attribute contains.
 */
final class ControlChannel implements AutoCloseable {
    private static final String CLOSE = "\u0000close";

    private final Socket socket;
    private final LinkedBlockingQueue<String> outbound = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final Thread writer;

    ControlChannel(Socket socket, Consumer<String[]> handler) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8),
                1 << 16);
        this.reader = new Thread(() -> {
            try {
                String line;
                while ((line = in.readLine()) != null) {
                    handler.accept(line.split(" ", 3));
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("control channel: " + e);
                }
            }
            handler.accept(new String[] {"EOF"});
        }, "control-reader");
        this.writer = new Thread(() -> {
            try {
                for (;;) {
                    String line = outbound.take();
                    if (line == CLOSE) { // the sentinel itself, never an equal string
                        out.flush();
                        return;
                    }
                    out.write(line);
                    out.write('\n');
                    if (outbound.isEmpty()) {
                        out.flush();
                    }
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    System.err.println("control channel: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "control-writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    /** Queues one message; never blocks. */
    void send(String verb, Object... args) {
        StringBuilder sb = new StringBuilder(verb);
        for (Object a : args) {
            sb.append(' ').append(a);
        }
        outbound.add(sb.toString());
    }

    /** Sends what is queued, then closes the connection. */
    @Override
    public void close() {
        outbound.add(CLOSE);
        try {
            writer.join(5_000);
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A whole ICE description (parameters, candidates, end-of-candidates) as one message argument. */
    static String description(IceParameters parameters, List<IceCandidate> candidates) {
        List<String> lines = new ArrayList<>(parameters.toLines());
        candidates.forEach(c -> lines.add(CandidateLine.formatAttribute(c)));
        lines.add(EndOfCandidates.LINE);
        return String.join("|", lines);
    }

    /** The lines of a description made by {@link #description}. */
    static List<String> lines(String description) {
        return Arrays.asList(description.split("\\|"));
    }
}
