package io.reactiveice.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.reactiveice.sdp.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The signalling path between {@link FreshJvmChromiumBenchmark} and its page, with no WebDriver
 * round trip on it (a WebDriver command takes 15 to 60 ms here): a small HTTP server on one lab
 * address that serves the page, pushes commands to it as server-sent events the moment they are
 * {@link #send sent}, and hands every event the page POSTs to the run's consumer on arrival.
 * Nagle is off, so that no small write waits for an acknowledgement.
 */
final class PageRelay implements AutoCloseable {
    private static final String PAGE = "chromium-peer.html";
    private static final String CLOSE = "\u0000close";

    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] page;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    private record Run(Consumer<Map<String, Object>> fromPage, BlockingQueue<String> toPage) {
    }

    private PageRelay(HttpServer server, ExecutorService threads, byte[] page) {
        this.server = server;
        this.threads = threads;
        this.page = page;
    }

    /**
     * Binds {@code address} (port chosen by the kernel) and starts serving.
     *
     * @param address a lab address: the only one the server listens on
     * @return the running relay
     */
    static PageRelay start(InetAddress address) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // read once, when the first server is made
        byte[] page;
        try (InputStream in = PageRelay.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IOException(PAGE + " is not on the class path");
            }
            page = in.readAllBytes();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 16);
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "page-relay");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        PageRelay relay = new PageRelay(server, threads, page);
        server.createContext("/", relay::serve);
        server.start();
        return relay;
    }

    /** {@code http://address:port}: the page's origin. */
    String origin() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** The page's address for {@code run}. */
    URI page(String run) {
        return URI.create(origin() + "/?run=" + run);
    }

    /**
     * Opens a run: what its page posts goes to {@code fromPage}, on a server thread, as it arrives.
     *
     * @param run the run's id, in the page's query
     * @param fromPage gets every event of the page, parsed
     */
    void open(String run, Consumer<Map<String, Object>> fromPage) {
        runs.put(run, new Run(fromPage, new LinkedBlockingQueue<>()));
    }

    /** Pushes one JSON object to the run's page (queued until the page listens). */
    void send(String run, String json) {
        Run r = runs.get(run);
        if (r != null) {
            r.toPage().add(json);
        }
    }

    /** Ends the run's event stream; the page's later posts are dropped. */
    void close(String run) {
        Run r = runs.remove(run);
        if (r != null) {
            r.toPage().add(CLOSE);
        }
    }

    @Override
    public void close() {
        runs.keySet().forEach(this::close);
        server.stop(0);
        threads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            String run = query != null && query.startsWith("run=") ? query.substring(4) : "";
            switch (path) {
                case "/" -> respond(exchange, "text/html; charset=utf-8", page);
                case "/events" -> events(exchange, runs.get(run));
                case "/post" -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    respond(exchange, "text/plain", new byte[0]);
                    Run r = runs.get(run);
                    if (r != null) {
                        r.fromPage().accept(JsonReader.readObject(new String(body, StandardCharsets.UTF_8)));
                    }
                }
                default -> {
                    exchange.sendResponseHeaders(404, -1);
                }
            }
        } catch (IllegalArgumentException malformed) {
            // not an object: the page never posts one, so it was not the page
        }
    }

    private static void respond(HttpExchange exchange, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    /** The run's commands as server-sent events, each flushed alone, until the run is closed. */
    private static void events(HttpExchange exchange, Run run) throws IOException {
        if (run == null) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (String json = run.toPage().take(); !json.equals(CLOSE); json = run.toPage().take()) {
                out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the page was left
        }
    }
}
