package io.reactiveice.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The end of {@link TurnRelayBenchmark}'s output: the medians of every row over the rounds as a
 * Markdown table, our rate over {@code turnutils_uclient}'s round by round, and the latency the
 * relay adds.
 */
final class TurnRelaySummary {
    private final List<TurnRun> runs;
    private final TurnRelayBenchmark.Options options;

    TurnRelaySummary(List<TurnRun> runs, TurnRelayBenchmark.Options options) {
        this.runs = runs;
        this.options = options;
    }

    /** Prints the table, the ratios and the added latency. */
    void print(PrintStream out) {
        out.println();
        out.println("medians over " + options.rounds() + " rounds (rates at the echo peer while every allocation of the"
                + " run was sending; round trips in microseconds):");
        out.println();
        out.println("| row | allocations | sent | echoed | loss | relayed datagrams/s (at the peer) | echoes/s (at the"
                + " client) | RTT min | RTT median | RTT p99 | uclient's own RTT average (whole ms) |"
                + " client CPU µs/datagram | coturn CPU µs/datagram | other processes, cores |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String row : TurnRelayBenchmark.rows(runs)) {
            out.printf(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.3f %% | %s | %s | %s | %s | %s | %s | %.2f | %.2f | %.2f |%n",
                    row, runs.stream().filter(r -> r.row().equals(row)).findFirst().map(TurnRun::clients).orElse(0),
                    m(row, TurnRun::sent), m(row, TurnRun::echoed), 100 * m(row, TurnRun::loss),
                    rate(m(row, TurnRun::peerRate)), rate(m(row, TurnRun::clientRate)), micros(m(row, r -> r.rttMicros(0))),
                    micros(m(row, r -> r.rttMicros(50))), micros(m(row, r -> r.rttMicros(99))),
                    uclientRtt(m(row, r -> r.uclient() == null ? Double.NaN : r.uclient().rttAverageMillis())),
                    m(row, TurnRun::clientMicrosPerDatagram), m(row, TurnRun::coturnMicrosPerDatagram),
                    m(row, TurnRun::othersCores));
        }
        out.println();
        String window = "window " + options.window();
        ratio(out, "ours x1 " + window, "uclient x1", true);
        ratio(out, "ours x1 uclient's pacing", "uclient x1", false);
        if (options.clients() > 1) {
            ratio(out, "ours x" + options.clients() + " " + window, "uclient x" + options.clients(), true);
        }
        addedLatency(out);
    }

    private double m(String row, ToDoubleFunction<TurnRun> figure) {
        return TurnRelayBenchmark.median(runs, row, figure);
    }

    /** Our rate at the peer over uclient's, in each round, and whether the median reaches 100 %. */
    private void ratio(PrintStream out, String ours, String theirs, boolean target) {
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            Optional<TurnRun> a = find(ours, round);
            Optional<TurnRun> b = find(theirs, round);
            if (a.isPresent() && b.isPresent() && b.get().peerRate() > 0) {
                ratios.add(a.get().peerRate() / b.get().peerRate());
            }
        }
        double median = BenchSupport.median(ratios);
        out.printf(Locale.ROOT, "rate %s / %s: median %.1f %% %s%s%n", ours, theirs, 100 * median,
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.0f%%", 100 * r)).toList(),
                target ? "; target (at least uclient's rate): " + (median >= 1 ? "met" : "missed") : "");
    }

    /** Through the relay minus straight to the peer, one datagram in flight, per round; the medians. */
    private void addedLatency(PrintStream out) {
        List<Double> medians = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            Optional<TurnRun> relay = find("ours x1, 1 in flight", round);
            Optional<TurnRun> direct = find("direct, 1 in flight", round);
            if (relay.isPresent() && direct.isPresent()) {
                medians.add(relay.get().rttMicros(50) - direct.get().rttMicros(50));
                p99s.add(relay.get().rttMicros(99) - direct.get().rttMicros(99));
            }
        }
        out.printf(Locale.ROOT, "latency the relay adds (round trip through coturn minus straight to the peer, one in"
                + " flight): median %s us, p99 %s us (medians over %d rounds)%n", micros(BenchSupport.median(medians)),
                micros(BenchSupport.median(p99s)), medians.size());
    }

    private Optional<TurnRun> find(String row, int round) {
        return runs.stream().filter(r -> r.round() == round && r.row().equals(row)).findFirst();
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "—" : String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String micros(double micros) {
        return Double.isNaN(micros) ? "—" : String.format(Locale.ROOT, "%.1f", micros);
    }

    private static String uclientRtt(double millis) {
        return Double.isNaN(millis) ? "—" : String.format(Locale.ROOT, "%.3f ms", millis);
    }
}
