package io.reactiveice.benchmarks;

import io.reactiveice.sdp.DataChannelDescription;
import io.reactiveice.sdp.DataChannelDescription.Fingerprint;
import io.reactiveice.sdp.DataChannelDescription.Setup;
import io.reactiveice.sdp.IceParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openqa.selenium.WebDriver;

/**
 * One run of {@link FreshJvmChromiumBenchmark}: a fresh page with one RTCPeerConnection, a freshly
 * started peer program (or aioice_peer.py), and the signalling between them relayed the moment it
 * appears on either side: the peer's lines ({@code shared/interop/PROTOCOL.md}) become a session
 * description and trickled candidates for the page, the page's description and candidates become
 * {@code credentials} and {@code candidate} lines for the peer. Ends when both say connected (or one
 * fails, or the time is up), then closes both.
 */
final class BrowserRun {
    private static final Set<String> ENDS = Set.of("connected", "failed");
    private static final AtomicInteger IDS = new AtomicInteger();

    /**
     * What one run measured; NaN where a side did not connect.
     *
     * @param peerMs the peer's {@code ice_ms}: from the remote credentials to connected, by its clock
     * @param chromiumMs Chromium's: from {@code setRemoteDescription} to {@code iceConnectionState}
     *     connected, by {@code performance.now()}
     * @param failure why not, or {@code null}
     */
    record Result(double peerMs, double chromiumMs, String failure) {
    }

    private final PageRelay relay;
    private final boolean chromiumOffers;
    private final boolean trace;
    private final String id = "r" + IDS.incrementAndGet();
    private final long startedAt = System.nanoTime();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Double> chromiumConnected = new CompletableFuture<>();
    private LabPeer peer; // guarded by this
    private String mid; // guarded by this; Chromium's media id once its description is known
    private boolean credentialsSent; // guarded by this: Chromium's credentials went to the peer
    private boolean descriptionSent; // guarded by this: the peer's description went to the page
    private final List<String> heldForPeer = new ArrayList<>(); // guarded by this
    private final List<Map<String, Object>> heldForPage = new ArrayList<>(); // guarded by this

    private BrowserRun(PageRelay relay, boolean chromiumOffers, boolean trace) {
        this.relay = relay;
        this.chromiumOffers = chromiumOffers;
        this.trace = trace;
    }

    /**
     * Runs once.
     *
     * @param driver the browser
     * @param relay the page's signalling path
     * @param peerCommand the peer to start, with its role ({@code --controlled} when Chromium offers)
     * @param chromiumOffers whether Chromium offers (and so controls) or answers the peer's offer
     * @param timeout for the page to load and for both sides to connect
     * @param trace whether to print every signalling message with this driver's milliseconds
     * @return what it measured
     */
    static Result once(WebDriver driver, PageRelay relay, List<String> peerCommand, boolean chromiumOffers,
            Duration timeout, boolean trace) throws InterruptedException {
        return new BrowserRun(relay, chromiumOffers, trace).run(driver, peerCommand, timeout);
    }

    private Result run(WebDriver driver, List<String> peerCommand, Duration timeout) throws InterruptedException {
        relay.open(id, this::fromPage);
        try {
            driver.get(relay.page(id).toString());
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            trace("driver", "page ready");
            LabPeer p = LabPeer.start(peerCommand, trace ? ProcessBuilder.Redirect.INHERIT
                    : ProcessBuilder.Redirect.DISCARD);
            synchronized (this) {
                peer = p;
            }
            try (p) {
                p.read(this::fromPeer);
                if (chromiumOffers) {
                    relay.send(id, "{\"op\":\"offer\"}");
                }
                Map<String, Object> end = p.await("state", "state", ENDS, timeout);
                double chromiumMs = chromiumConnected.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (end == null || !"connected".equals(end.get("state"))) {
                    return new Result(Double.NaN, chromiumMs, "peer: " + end);
                }
                return new Result(((Number) end.get("ice_ms")).doubleValue(), chromiumMs, null);
            }
        } catch (TimeoutException e) {
            return new Result(Double.NaN, Double.NaN, "timed out after " + timeout);
        } catch (ExecutionException e) {
            return new Result(Double.NaN, Double.NaN, e.getCause().getMessage());
        } finally {
            relay.send(id, "{\"op\":\"close\"}");
            relay.close(id);
        }
    }

    /** On a server thread: one event of the page. */
    private synchronized void fromPage(Map<String, Object> m) {
        trace("page", m.toString());
        switch (String.valueOf(m.get("ev"))) {
            case "ready" -> ready.complete(null);
            case "local" -> {
                DataChannelDescription local = DataChannelDescription.parse((String) m.get("sdp"));
                mid = local.mid();
                toPeer("{\"type\":\"credentials\",\"ufrag\":" + quote(local.ice().ufrag()) + ",\"pwd\":"
                        + quote(local.ice().pwd()) + "}");
                credentialsSent = true;
                heldForPeer.forEach(this::toPeer);
                heldForPeer.clear();
                heldForPage.forEach(this::peerLine);
                heldForPage.clear();
            }
            case "candidate" -> forPeer("{\"type\":\"candidate\",\"candidate\":" + quote((String) m.get("candidate")) + "}");
            case "end-of-candidates" -> forPeer("{\"type\":\"end-of-candidates\"}");
            case "ice" -> {
                String state = String.valueOf(m.get("state"));
                if ((state.equals("connected") || state.equals("completed")) && m.get("ms") instanceof Number ms) {
                    chromiumConnected.complete(ms.doubleValue());
                } else if (state.equals("failed")) {
                    chromiumConnected.completeExceptionally(new IllegalStateException("Chromium: ICE failed"));
                }
            }
            case "error" -> {
                IllegalStateException e = new IllegalStateException("the page: " + m.get("message"));
                ready.completeExceptionally(e);
                chromiumConnected.completeExceptionally(e);
            }
            default -> {
                // nothing else is posted
            }
        }
    }

    private void forPeer(String line) {
        if (credentialsSent) {
            toPeer(line);
        } else {
            heldForPeer.add(line);
        }
    }

    private void toPeer(String line) {
        trace("to peer", line);
        peer.send(line);
    }

    /** On the peer's reader thread: one line of its stdout. */
    private synchronized void fromPeer(String line, Map<String, Object> m) {
        trace("peer", line);
        if (!LabPeer.isSignalling(m)) {
            return;
        }
        if (chromiumOffers && mid == null) {
            heldForPage.add(m); // an answer needs the offer's media id
        } else {
            peerLine(m);
        }
    }

    private void peerLine(Map<String, Object> m) {
        switch (String.valueOf(m.get("type"))) {
            case "credentials" -> {
                IceParameters ice = new IceParameters((String) m.get("ufrag"), (String) m.get("pwd"), List.of("trickle"),
                        Boolean.TRUE.equals(m.get("ice-lite")));
                String sdp = new DataChannelDescription(ice, chromiumOffers ? mid : "0",
                        chromiumOffers ? Setup.ACTIVE : Setup.ACTPASS, Fingerprint.sha256(new byte[32]), List.of(),
                        false).format(1, 1);
                toPage("{\"op\":" + quote(chromiumOffers ? "answer" : "answer-offer") + ",\"sdp\":" + quote(sdp) + "}");
                descriptionSent = true;
            }
            case "candidate" -> {
                if (descriptionSent) {
                    toPage("{\"op\":\"candidate\",\"candidate\":" + quote(candidateAttribute((String) m.get("candidate")))
                            + ",\"mid\":" + quote(chromiumOffers ? mid : "0") + "}");
                }
            }
            default -> {
                // end-of-candidates: Chromium does not need it to connect
            }
        }
    }

    private void toPage(String json) {
        trace("to page", json.length() > 120 ? json.substring(0, 120) + "..." : json);
        relay.send(id, json);
    }

    /** {@code candidate:...}, the form {@code RTCIceCandidateInit.candidate} takes. */
    private static String candidateAttribute(String c) {
        String s = c.startsWith("a=") ? c.substring(2) : c;
        return s.startsWith("candidate:") ? s : "candidate:" + s;
    }

    private void trace(String who, String what) {
        if (trace) {
            System.out.printf(Locale.ROOT, "%9.2f %-8s %s%n", (System.nanoTime() - startedAt) / 1e6, who, what);
        }
    }

    /** A JSON string. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
