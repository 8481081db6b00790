package io.reactiveice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceState;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@link SharedPortScaleBenchmark}, for the default build: 200 lite sessions on
 * one shared port of this JVM, driven by full agents in two child JVMs, on 127.0.0.1 and 127.0.0.2 (as
 * the long runs split their drivers; two agents of different drivers may share a port number, and the
 * counting must still tell their requests apart). It asserts counts,
 * never wall-clock figures: every session connects on both sides, and once idle each one receives
 * Binding requests at the consent cadence and no faster (a request/response ping-pong between the
 * agents would multiply the count). The driver's consent interval is 1 s, so that a 5 s window holds
 * several rounds.
 */
class SharedPortScaleIT {
    private static final Duration CONSENT = Duration.ofSeconds(1);

    @Test
    void twoHundredLiteSessionsOnOnePortConnectAndStayAtTheConsentCadence() throws Exception {
        SharedPortScaleBenchmark.Options options = new SharedPortScaleBenchmark.Options(200, 20, 50, CONSENT,
                Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(5), false, 0, false, false,
                io.reactiveice.SharedUdpPort.DEFAULT_RECEIVE_BUFFER, 20, List.of(), 2, false);

        SharedPortScaleBenchmark.Result r = SharedPortScaleBenchmark.run(options, false);
        System.out.printf("idle window: %d requests received, %d success responses sent, %d requests unanswered%n",
                r.requests(), r.successes(), r.unanswered());

        assertThat(r.failed()).as("first failure: %s", r.firstFailure()).isZero();
        assertThat(r.established()).isEqualTo(200);
        assertThat(r.states().keySet()).as("lite states after the idle window")
                .allMatch(s -> s == IceState.COMPLETED || s == IceState.CONNECTED);
        // RFC 7675: one request per 0.8-1.2 intervals; a 5 s window holds 4 to 7 of them, give or take one at each edge
        int[] band = SharedPortScaleBenchmark.consentBand(CONSENT, r.idleSeconds());
        int[] perSession = r.requestsPerSession();
        assertThat(Arrays.stream(perSession).max().orElseThrow()).as("most requests one session received")
                .isLessThanOrEqualTo(band[1]);
        assertThat(Arrays.stream(perSession).min().orElseThrow()).as("fewest requests one session received")
                .isPositive();
        assertThat(r.requestRatePerSession()).as("requests per session per second").isBetween(0.6, 1.25);
        // by transaction id: each request received in the window has had its success response sent
        assertThat(r.unanswered()).as("requests of the window never answered (of %d)", r.requests()).isZero();
        assertThat(r.unknownUfrag() + r.rateLimited() + r.unroutable()).as("dropped by the shared port").isZero();
    }
}
