package io.reactiveice.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The end of {@link TurnRelayBenchmark}'s output: the medians of every row as a Markdown table, over
 * every run and over the quiet runs only (those during which other processes took less than
 * {@code --quiet} cores); our round trips per second over {@code turnutils_uclient}'s round by round,
 * over every round and over the rounds in which both runs were quiet; and the latency the relay adds.
 */
final class TurnRelaySummary {
    private final List<TurnRun> runs;
    private final TurnRelayBenchmark.Options options;

    TurnRelaySummary(List<TurnRun> runs, TurnRelayBenchmark.Options options) {
        this.runs = runs;
        this.options = options;
    }

    /** Prints the tables, the ratios and the added latency. */
    void print(PrintStream out) {
        List<TurnRun> quiet = runs.stream().filter(this::quiet).toList();
        table(out, "all " + options.rounds() + " rounds", runs);
        if (quiet.size() < runs.size()) {
            table(out, "the quiet runs only (other processes under " + options.quiet() + " cores)", quiet);
        }
        out.println();
        String window = "window " + options.window();
        String c = "x" + options.clients();
        ratio(out, "ours x1 " + window, "uclient x1", true);
        ratio(out, "ours x1 uclient's pacing", "uclient x1", false);
        if (options.clients() > 1) {
            ratio(out, "ours " + c + " " + window, "uclient " + c, true);
            ratio(out, "ours " + c + " uclient's pacing", "uclient " + c, false);
        }
        addedLatency(out);
    }

    private boolean quiet(TurnRun run) {
        return run.othersCores() < options.quiet();
    }

    private void table(PrintStream out, String title, List<TurnRun> of) {
        out.println();
        out.println("medians over " + title + " (rates by the echo peer's clock while every allocation of the run"
                + " was sending; round trip times in microseconds; kernel drops on the whole machine):");
        out.println();
        out.println("| row | allocations | runs | sent | echoed | loss | datagrams/s at the peer | round trips/s | echoes/s"
                + " at the client | RTT min | RTT median | RTT p99 | uclient's own RTT average (whole ms) |"
                + " client CPU µs/datagram | coturn CPU µs/datagram | kernel drops | other processes, cores |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
                + " ---: | ---: |");
        for (String row : TurnRelayBenchmark.rows(of)) {
            List<TurnRun> r = of.stream().filter(x -> x.row().equals(row)).toList();
            out.printf(Locale.ROOT, "| %s | %d | %d | %,.0f | %,.0f | %.3f %% | %s | %s | %s | %s | %s | %s | %s | %.2f"
                    + " | %.2f | %,.0f | %.2f |%n", row, r.get(0).clients(), r.size(),
                    m(r, TurnRun::sent), m(r, TurnRun::echoed), 100 * m(r, TurnRun::loss),
                    rate(m(r, TurnRun::peerRate)), rate(m(r, TurnRun::roundTripRate)),
                    rate(m(r, TurnRun::clientRate)), micros(m(r, x -> x.rttMicros(0))),
                    micros(m(r, x -> x.rttMicros(50))), micros(m(r, x -> x.rttMicros(99))),
                    uclientRtt(m(r, x -> x.uclient() == null ? Double.NaN : x.uclient().rttAverageMillis())),
                    m(r, TurnRun::clientMicrosPerDatagram), m(r, TurnRun::coturnMicrosPerDatagram),
                    m(r, x -> x.drops().machine()), m(r, TurnRun::othersCores));
        }
    }

    private static double m(List<TurnRun> runs, ToDoubleFunction<TurnRun> figure) {
        return BenchSupport.median(runs.stream().map(figure::applyAsDouble).filter(d -> !Double.isNaN(d)).toList());
    }

    /**
     * Our round trips per second over uclient's in the same round: the median over every round, and
     * over the rounds in which both runs were quiet; with the target's verdict if {@code target}.
     */
    private void ratio(PrintStream out, String ours, String theirs, boolean target) {
        List<String> shown = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        List<Double> calm = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            Optional<TurnRun> a = find(ours, round);
            Optional<TurnRun> b = find(theirs, round);
            if (a.isPresent() && b.isPresent() && b.get().roundTripRate() > 0) {
                double r = a.get().roundTripRate() / b.get().roundTripRate();
                boolean q = quiet(a.get()) && quiet(b.get());
                all.add(r);
                if (q) {
                    calm.add(r);
                }
                shown.add(String.format(Locale.ROOT, "%.0f%%%s", 100 * r, q ? "*" : ""));
            }
        }
        double verdict = calm.isEmpty() ? BenchSupport.median(all) : BenchSupport.median(calm);
        out.printf(Locale.ROOT, "round trips/s %s / %s: median %.1f %% over all %d rounds, %.1f %% over the %d quiet"
                + " ones %s%s%n", ours, theirs, 100 * BenchSupport.median(all), all.size(),
                100 * BenchSupport.median(calm), calm.size(), shown, target ? "; target (at least uclient's rate, "
                + (calm.isEmpty() ? "all" : "quiet") + " rounds): " + (verdict >= 1 ? "met" : "missed") : "");
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
