package io.reactiveice.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The end of {@link TurnRelayBenchmark}'s output: the medians of every row over the rounds as a
 * Markdown table, our round trips per second over {@code turnutils_uclient}'s round by round, and the
 * latency the relay adds; all of it over every round, then again over the quiet rounds only (those in
 * which other processes took less than {@code --quiet} cores during every run).
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
        List<Integer> all = new ArrayList<>();
        List<Integer> quiet = new ArrayList<>();
        for (int round = 1; round <= options.rounds(); round++) {
            int r = round;
            List<TurnRun> of = runs.stream().filter(x -> x.round() == r).toList();
            all.add(round);
            if (!of.isEmpty() && of.stream().allMatch(x -> x.othersCores() < options.quiet())) {
                quiet.add(round);
            }
        }
        print(out, "all " + all.size() + " rounds", all);
        if (!quiet.isEmpty() && quiet.size() < all.size()) {
            print(out, "the " + quiet.size() + " quiet rounds " + quiet + " (other processes under " + options.quiet()
                    + " cores in every run)", quiet);
        } else if (quiet.isEmpty()) {
            out.println("no round was quiet: other processes took " + options.quiet() + " cores or more during some"
                    + " run of every round");
        }
    }

    private void print(PrintStream out, String title, List<Integer> rounds) {
        List<TurnRun> of = runs.stream().filter(r -> rounds.contains(r.round())).toList();
        out.println();
        out.println("medians over " + title + " (rates by the echo peer's clock while every allocation of the run"
                + " was sending; round trip times in microseconds; kernel drops on the whole machine):");
        out.println();
        out.println("| row | allocations | sent | echoed | loss | datagrams/s at the peer | round trips/s | echoes/s at"
                + " the client | RTT min | RTT median | RTT p99 | uclient's own RTT average (whole ms) |"
                + " client CPU µs/datagram | coturn CPU µs/datagram | kernel drops | other processes, cores |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
                + " ---: |");
        for (String row : TurnRelayBenchmark.rows(of)) {
            out.printf(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.3f %% | %s | %s | %s | %s | %s | %s | %s | %.2f | %.2f"
                    + " | %,.0f | %.2f |%n",
                    row, of.stream().filter(r -> r.row().equals(row)).findFirst().map(TurnRun::clients).orElse(0),
                    m(of, row, TurnRun::sent), m(of, row, TurnRun::echoed), 100 * m(of, row, TurnRun::loss),
                    rate(m(of, row, TurnRun::peerRate)), rate(m(of, row, TurnRun::roundTripRate)),
                    rate(m(of, row, TurnRun::clientRate)), micros(m(of, row, r -> r.rttMicros(0))),
                    micros(m(of, row, r -> r.rttMicros(50))), micros(m(of, row, r -> r.rttMicros(99))),
                    uclientRtt(m(of, row, r -> r.uclient() == null ? Double.NaN : r.uclient().rttAverageMillis())),
                    m(of, row, TurnRun::clientMicrosPerDatagram), m(of, row, TurnRun::coturnMicrosPerDatagram),
                    m(of, row, r -> r.drops().machine()), m(of, row, TurnRun::othersCores));
        }
        out.println();
        String window = "window " + options.window();
        ratio(out, rounds, "ours x1 " + window, "uclient x1", true);
        ratio(out, rounds, "ours x1 uclient's pacing", "uclient x1", false);
        if (options.clients() > 1) {
            ratio(out, rounds, "ours x" + options.clients() + " " + window, "uclient x" + options.clients(), true);
        }
        addedLatency(out, rounds);
    }

    private static double m(List<TurnRun> runs, String row, ToDoubleFunction<TurnRun> figure) {
        return TurnRelayBenchmark.median(runs, row, figure);
    }

    /** Our round trips per second over uclient's, in each round, and whether the median reaches 100 %. */
    private void ratio(PrintStream out, List<Integer> rounds, String ours, String theirs, boolean target) {
        List<Double> ratios = new ArrayList<>();
        for (int round : rounds) {
            Optional<TurnRun> a = find(ours, round);
            Optional<TurnRun> b = find(theirs, round);
            if (a.isPresent() && b.isPresent() && b.get().roundTripRate() > 0) {
                ratios.add(a.get().roundTripRate() / b.get().roundTripRate());
            }
        }
        double median = BenchSupport.median(ratios);
        out.printf(Locale.ROOT, "round trips/s %s / %s: median %.1f %% %s%s%n", ours, theirs, 100 * median,
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.0f%%", 100 * r)).toList(),
                target ? "; target (at least uclient's rate): " + (median >= 1 ? "met" : "missed") : "");
    }

    /** Through the relay minus straight to the peer, one datagram in flight, per round; the medians. */
    private void addedLatency(PrintStream out, List<Integer> rounds) {
        List<Double> medians = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        for (int round : rounds) {
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
