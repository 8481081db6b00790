package io.reactiveice.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/**
 * The end of {@link SharedPortScaleBenchmark}'s output: the establishment (count, rate against the
 * target, per-session times), the idle window (Binding requests and their answers, requests per
 * session against the consent cadence, the CPU it cost this JVM and the driver, the shared port's
 * drops) and the heap per idle lite session against the target.
 */
final class SharedPortScaleSummary {

    private SharedPortScaleSummary() {
    }

    /** Prints the figures of {@code r}, a run with the settings {@code o}. */
    static void print(SharedPortScaleBenchmark.Options o, SharedPortScaleBenchmark.Result r) {
        System.out.println();
        establishment(o, r);
        idleWindow(o, r);
        if (r.heapPerSession() >= 0) {
            System.out.printf(Locale.ROOT, "heap per idle lite session: %,d B (%.2f KiB); target < 4 KiB: %s%n",
                    r.heapPerSession(), r.heapPerSession() / 1024.0,
                    r.heapPerSession() < SharedPortScaleBenchmark.TARGET_HEAP_BYTES ? "met" : "missed");
        }
    }

    private static void establishment(SharedPortScaleBenchmark.Options o, SharedPortScaleBenchmark.Result r) {
        double target = SharedPortScaleBenchmark.TARGET_PER_SECOND;
        System.out.printf(Locale.ROOT, "sessions: %,d requested, %,d established, %,d failed%s%n", r.sessions(),
                r.established(), r.failed(), r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")");
        System.out.printf(Locale.ROOT, "establishment: %.2f s, %.0f sessions/s with %d in flight; target >= %.0f/s: %s%n",
                r.establishSeconds(), r.establishedPerSecond(), o.inflight(), target,
                r.establishedPerSecond() >= target && r.failed() == 0 ? "met" : "missed");
        long[] ok = Arrays.stream(r.latencies()).filter(t -> t != Long.MAX_VALUE).toArray();
        System.out.printf(Locale.ROOT, "per-session establishment ms (start of the lite session to both sides selected):"
                + " median %s, p90 %s, p99 %s, max %s%n", BenchSupport.millis(BenchSupport.percentile(ok, 50)),
                BenchSupport.millis(BenchSupport.percentile(ok, 90)), BenchSupport.millis(BenchSupport.percentile(ok, 99)),
                BenchSupport.millis(ok.length == 0 ? -1 : ok[ok.length - 1]));
    }

    private static void idleWindow(SharedPortScaleBenchmark.Options o, SharedPortScaleBenchmark.Result r) {
        int[] sorted = r.requestsPerSession().clone();
        Arrays.sort(sorted);
        int[] band = SharedPortScaleBenchmark.consentBand(o.consentInterval(), r.idleSeconds());
        long outside = Arrays.stream(sorted).filter(c -> c < band[0] || c > band[1]).count();
        System.out.printf(Locale.ROOT, "idle window %.1f s: %,d Binding requests received (%.4f per session per s,"
                + " i.e. one per %.2f s; consent interval %d ms), %,d success responses sent, %,d other datagrams sent;"
                + " %,d of the window's requests never answered%n",
                r.idleSeconds(), r.requests(), r.requestRatePerSession(), 1 / r.requestRatePerSession(),
                o.consentInterval().toMillis(), r.successes(), r.otherSent(), r.unanswered());
        System.out.printf(Locale.ROOT, "requests per session in the window: min %d, median %d, p99 %d, max %d;"
                + " expected %d..%d; outside: %d sessions%n", sorted[0], sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1], band[0], band[1], outside);
        double cpuPerSecond = r.cpuNanos() / r.idleSeconds();
        System.out.printf(Locale.ROOT, "service CPU in the window: %.0f ms (%.1f ms per s = %.2f%% of one core; baseline"
                + " with no sessions %.1f ms per s); GC %d ms; per request answered %.1f us, net of the baseline"
                + " %.1f us%n", r.cpuNanos() / 1e6, cpuPerSecond / 1e6, cpuPerSecond / 1e7, r.baselineCpuPerSecond() / 1e6,
                r.gcMillis(), r.cpuNanos() / 1e3 / r.successes(),
                (cpuPerSecond - r.baselineCpuPerSecond()) * r.idleSeconds() / 1e3 / r.successes());
        double perRequest = r.cpuNanos() / 1e3 / r.successes();
        System.out.printf(Locale.ROOT, "service CPU per answered consent request: %.1f us; target <= %.0f us: %s%n",
                perRequest, SharedPortScaleBenchmark.TARGET_CPU_PER_REQUEST_US,
                perRequest <= SharedPortScaleBenchmark.TARGET_CPU_PER_REQUEST_US ? "met" : "missed");
        System.out.printf(Locale.ROOT, "driver CPU in the window: %.0f ms (%.1f ms per s)%n", r.driverCpuNanos() / 1e6,
                r.driverCpuNanos() / r.idleSeconds() / 1e6);
        System.out.printf(Locale.ROOT, "lite states after the window: %s; shared port: %d unknown ufrag, %d rate-limited,"
                + " %d unroutable%n", r.states(), r.unknownUfrag(), r.rateLimited(), r.unroutable());
    }
}
