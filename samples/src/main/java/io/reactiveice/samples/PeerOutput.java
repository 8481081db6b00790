package io.reactiveice.samples;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceStats;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.sdp.CandidateLine;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The peer's protocol lines on stdout: one JSON object per line, flushed at once. Lines come from
 * several threads (the agent's worker, the I/O threads, timers), so every write is serialized here.
 * After {@code closed} nothing more is written: it is the last line before exit.
 */
final class PeerOutput {
    private final PrintStream out;
    private final long startNanos;
    private final double uptimeAtStartMs;
    private boolean closed;

    /**
     * Lines to {@code out}; {@code t_ms} counts from the start of this JVM.
     *
     * @param out the protocol stream (the real stdout)
     */
    PeerOutput(PrintStream out) {
        this.out = out;
        this.startNanos = System.nanoTime();
        this.uptimeAtStartMs = ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** Milliseconds since the process started (the JVM's start, to the millisecond). */
    double tMs() {
        return uptimeAtStartMs + (System.nanoTime() - startNanos) / 1e6;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** Writes a line unless {@code closed} was written already. */
    synchronized void line(Json.Writer message) {
        if (!closed) {
            out.print(message + "\n");
            out.flush();
        }
    }

    void hello(String version, PeerOptions o) {
        line(Json.object().put("type", "hello").put("impl", "reactive-ice").put("version", version)
                .put("role", o.role().name().toLowerCase(Locale.ROOT)).put("echo", o.echo())
                .put("send", o.send()).put("relay_only", o.relayOnly()).put("lite", o.lite())
                .put("all_interfaces", o.allInterfaces()).put("auto_restart", o.autoRestart()));
    }

    void credentials(IceCredentials c, boolean lite) {
        Json.Writer message = Json.object().put("type", "credentials").put("ufrag", c.ufrag()).put("pwd", c.pwd());
        line(lite ? message.put("ice-lite", true) : message);
    }

    void candidate(IceCandidate c) {
        line(Json.object().put("type", "candidate").put("candidate", CandidateLine.format(c)));
    }

    void endOfCandidates() {
        line(Json.object().put("type", "end-of-candidates"));
    }

    /** A {@code state} line; {@code iceMs} is left out when {@code null}. */
    void state(String state, Double iceMs) {
        state(state, iceMs, null, null);
    }

    /**
     * A {@code state} line; {@code iceMs}, {@code reason} and {@code detail} are left out when
     * {@code null}. On {@code failed}, {@code reason} is the short name of why (an
     * {@link io.reactiveice.agent.IceFailureKind#code() IceFailureKind code} such as {@code checks-failed},
     * or {@code timeout} when {@code --timeout} ran out) and {@code detail} says it for a human.
     */
    void state(String state, Double iceMs, String reason, String detail) {
        Json.Writer w = Json.object().put("type", "state").put("state", state).put("t_ms", round(tMs(), 2));
        if (iceMs != null) {
            w.put("ice_ms", round(iceMs, 2));
        }
        if (reason != null) {
            w.put("reason", reason);
        }
        if (detail != null) {
            w.put("detail", detail);
        }
        line(w);
    }

    void gathered(int candidates) {
        line(Json.object().put("type", "state").put("state", "gathered").put("t_ms", round(tMs(), 2))
                .put("candidates", candidates));
    }

    void selected(CandidatePair pair) {
        line(Json.object().put("type", "selected")
                .put("local", CandidateLine.format(pair.local())).put("remote", CandidateLine.format(pair.remote()))
                .put("local_type", pair.local().type().token()).put("remote_type", pair.remote().type().token()));
    }

    void data(byte[] payload) {
        line(Json.object().put("type", "data").put("base64", Base64.getEncoder().encodeToString(payload))
                .put("t_ms", round(tMs(), 2)));
    }

    void stats(PingMeasurement.Stats s) {
        Json.Writer rtt = Json.object().put("min", s.rttMin()).put("median", s.rttMedian()).put("p90", s.rttP90())
                .put("max", s.rttMax());
        line(Json.object().put("type", "stats").put("sent", s.sent()).put("received", s.received())
                .put("loss", s.loss()).put("warmup_ms", s.warmupMs()).put("rtt_ms", rtt));
    }

    /**
     * A {@code pair-stats} line: the selected pair's statistics under their W3C webrtc-stats names
     * ({@code RTCIceCandidatePairStats}; round-trip times in seconds), with its candidates as
     * {@code local} and {@code remote}; {@code "selected": false} alone before a pair is selected.
     */
    void pairStats(IceStats stats) {
        Optional<IceCandidatePairStats> selected = stats.selectedCandidatePair();
        Json.Writer w = Json.object().put("type", "pair-stats").put("selected", selected.isPresent());
        if (selected.isPresent()) {
            IceCandidatePairStats p = selected.get();
            w.put("local", CandidateLine.format(p.pair().local())).put("remote", CandidateLine.format(p.pair().remote()))
                    .put("state", p.state().w3cName()).put("nominated", p.nominated())
                    .put("requestsSent", p.requestsSent()).put("requestsReceived", p.requestsReceived())
                    .put("responsesSent", p.responsesSent()).put("responsesReceived", p.responsesReceived())
                    .put("consentRequestsSent", p.consentRequestsSent())
                    .put("packetsSent", p.packetsSent()).put("packetsReceived", p.packetsReceived())
                    .put("bytesSent", p.bytesSent()).put("bytesReceived", p.bytesReceived())
                    .put("currentRoundTripTime", p.currentRoundTripTime())
                    .put("totalRoundTripTime", p.totalRoundTripTime());
        }
        line(w.put("t_ms", round(tMs(), 2)));
    }

    /** The last line: {@code state closed}; nothing is written after it. */
    synchronized void closed() {
        state("closed", null);
        closed = true;
    }
}
