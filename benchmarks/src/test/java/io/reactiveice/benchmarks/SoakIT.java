package io.reactiveice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@link SoakBenchmark}, for the default build: 100 sessions (50 pairs) on
 * 127.0.0.1 churned at up to 4 pairs per second for 40 s, sampled every 5 s, under the build's
 * paranoid leak detection. It asserts no leak report, that churn really happened and data flowed,
 * and no growth trend after warm-up: the open file descriptors and threads of the second half of the
 * run stay within a small margin of the first half's highest reading (pairs in the middle of their
 * cycle hold sockets, so single readings move a little), and closing every session gives the
 * descriptors back. It asserts counts, never times.
 */
class SoakIT {
    private static final int WORKERS = 2;
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    @Test
    void churnedSessionsLeakNoBufferAndNeitherDescriptorsNorThreadsGrow() {
        int fdsBefore = SoakBenchmark.openFileDescriptors();
        SoakBenchmark.Options options = new SoakBenchmark.Options(100, Duration.ofSeconds(40), 4, WORKERS, 10,
                Duration.ofSeconds(5));
        LeakWatch leaks = LeakWatch.install();
        SoakBenchmark.Result r;
        try {
            r = SoakBenchmark.run(options, leaks, s -> System.out.println(SoakBenchmark.row(s)));
        } finally {
            leaks.uninstall();
        }

        assertThat(r.leaks()).as("leak reports").isEmpty();
        assertThat(r.cycles()).as("pairs cycled (exchange, restart, exchange, close)").isGreaterThanOrEqualTo(10);
        assertThat(r.failures()).as("failed cycles; first: %s", r.firstFailure()).isLessThanOrEqualTo(Math.max(2, r.cycles() / 20));
        SoakBenchmark.Sample last = r.samples().get(r.samples().size() - 1);
        assertThat(last.echoed()).as("datagrams echoed of %d sent", last.sent()).isGreaterThanOrEqualTo(last.sent() * 9 / 10);

        List<SoakBenchmark.Sample> running = r.samples().subList(0, r.samples().size() - 1).stream()
                .filter(s -> s.seconds() >= WARM_UP.toSeconds()).toList();
        assertThat(running).as("samples after warm-up").hasSizeGreaterThanOrEqualTo(4);
        List<SoakBenchmark.Sample> first = running.subList(0, running.size() / 2);
        List<SoakBenchmark.Sample> second = running.subList(running.size() / 2, running.size());
        // each pair in mid-cycle holds two sockets more than a settled one; a worker holds at most one such pair
        int fdMargin = 4 * WORKERS + 8;
        assertThat(max(second, SoakBenchmark.Sample::fds)).as("open fds, second half vs first")
                .isLessThanOrEqualTo(max(first, SoakBenchmark.Sample::fds) + fdMargin);
        assertThat(max(second, SoakBenchmark.Sample::threads)).as("threads, second half vs first")
                .isLessThanOrEqualTo(max(first, SoakBenchmark.Sample::threads) + 8);
        // all sessions closed: their sockets are gone; event loops created meanwhile keep a few fds each
        assertThat(last.live()).isZero();
        assertThat(last.fds()).as("open fds after closing everything").isLessThanOrEqualTo(fdsBefore + 32);
        assertThat(ManagementFactory.getThreadMXBean().getThreadCount()).as("threads after closing everything")
                .isLessThanOrEqualTo(max(running, SoakBenchmark.Sample::threads) + 8);
    }

    private static int max(List<SoakBenchmark.Sample> samples, ToIntFunction<SoakBenchmark.Sample> f) {
        return samples.stream().mapToInt(f).max().orElseThrow();
    }
}
