package io.reactiveice.samples;

import io.reactiveice.sdp.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the driver's JSON lines from stdin on a thread of its own (a blocking read must never run on
 * an event loop or a Reactor worker) and hands each object to the peer. A malformed line is
 * reported on stderr and skipped; the end of the input is reported once.
 */
final class StdinCommands implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StdinCommands.class);

    private final InputStream in;
    private final Consumer<Map<String, Object>> onMessage;
    private final Runnable onEof;

    /**
     * A reader of {@code in}.
     *
     * @param in the driver's lines
     * @param onMessage gets every well-formed object, in order
     * @param onEof runs once at the end of the input (or when reading fails)
     */
    StdinCommands(InputStream in, Consumer<Map<String, Object>> onMessage, Runnable onEof) {
        this.in = in;
        this.onMessage = onMessage;
        this.onEof = onEof;
    }

    /** Starts the reader on a daemon thread named {@code ice-peer-stdin}. */
    Thread start() {
        Thread t = new Thread(this, "ice-peer-stdin");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> message;
                try {
                    message = JsonReader.readObject(line);
                } catch (IllegalArgumentException e) {
                    log.warn("ignoring a stdin line that is not a JSON object ({})", e.getMessage());
                    continue;
                }
                onMessage.accept(message);
            }
            log.debug("end of stdin");
        } catch (IOException e) {
            log.warn("reading stdin failed: {}", e.toString());
        } finally {
            onEof.run();
        }
    }
}
