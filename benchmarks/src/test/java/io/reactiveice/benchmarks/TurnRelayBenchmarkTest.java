package io.reactiveice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link TurnRelayBenchmark} end to end with a small load, against a real coturn and coturn's own
 * client: every row runs and reports sane, non-zero figures. The figures themselves are not judged:
 * a test run is no measurement.
 */
class TurnRelayBenchmarkTest {
    private static final int DATAGRAMS = 2_000;
    private static final int PINGS = 200;

    @Test
    void everyRowRunsThroughCoturnAndReportsNonZeroFigures() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TurnRelayBenchmark.Options options = new TurnRelayBenchmark.Options(DATAGRAMS, 100, 1, 16, 2, PINGS, 1_000, 0.25);

        TurnRelayBenchmark.Summary summary =
                TurnRelayBenchmark.run(options, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(summary.failures()).as(output).isEmpty();
        assertThat(TurnRelayBenchmark.rows(summary.runs())).as(output).containsExactly("uclient x1", "ours x1 window 16",
                "ours x1 uclient's pacing", "uclient x2", "ours x2 window 16", "ours x2 uclient's pacing",
                "direct, 1 in flight",
                "ours x1, 1 in flight");
        for (TurnRun run : summary.runs()) {
            long expected = (long) run.clients() * (run.row().contains("1 in flight") ? PINGS : DATAGRAMS);
            assertThat(run.sent()).as(run.describe()).isEqualTo(expected);
            assertThat(run.echoed()).as(run.describe()).isPositive().isLessThanOrEqualTo(expected);
            if (run.row().startsWith("ours") && run.row().contains("window")) {
                // windows keep every socket buffer far from full: a loss here would be the client's
                assertThat(run.echoed()).as(run.describe()).isEqualTo(expected);
            }
            if (!run.row().startsWith("direct")) {
                assertThat(run.atPeer().datagrams()).as(run.describe()).isGreaterThanOrEqualTo(run.echoed());
                assertThat(run.atPeer().sources()).as(run.describe()).isEqualTo(run.clients());
                assertThat(run.peerRate()).as(run.describe()).isPositive();
            }
            if (run.row().startsWith("uclient")) {
                assertThat(run.uclient().sent()).isEqualTo(expected);
                assertThat(run.uclient().rttAverageMillis()).isNotNegative();
            } else {
                assertThat(run.rtt()).as(run.describe()).hasSize((int) run.echoed());
                assertThat(run.rtt()[0]).as(run.describe()).isPositive();
            }
        }
        assertThat(output).contains("| uclient x1 | 1 | 1 |", "| ours x2 window 16 | 2 | 1 |", "latency the relay adds");
    }
}
