package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The --send measurement, on virtual time, against an in-process echo that may lose datagrams. */
class PingMeasurementTest {
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final List<String> sent = new ArrayList<>();

    private PingMeasurement measurement(Predicate<String> echoed, String... options) throws Exception {
        AtomicReference<PingMeasurement> self = new AtomicReference<>();
        PingMeasurement m = new PingMeasurement(PeerOptions.parse(options), payload -> {
            String text = new String(payload, StandardCharsets.US_ASCII);
            sent.add(text);
            if (echoed.test(text)) {
                self.get().onReceived(payload);
            }
        }, time);
        self.set(m);
        return m;
    }

    @Test
    void everyPingEchoedGivesFullStatsAsSoonAsTheLastComesBack() throws Exception {
        PingMeasurement m = measurement(text -> true, "--send", "20", "--size", "64");
        StepVerifier.withVirtualTime(m::run, () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(190)) // 20 pings, one every 10 ms from t = 0
                .assertNext(s -> {
                    assertThat(s.sent()).isEqualTo(20);
                    assertThat(s.received()).isEqualTo(20);
                    assertThat(s.loss()).isZero();
                    assertThat(s.warmupMs()).isNotNull();
                    assertThat(s.rttMin()).isNotNull().isLessThanOrEqualTo(s.rttMedian());
                    assertThat(s.rttP90()).isLessThanOrEqualTo(s.rttMax());
                })
                .verifyComplete();
        assertThat(sent.get(0)).isEqualTo("labwarm 0");
        List<String> pings = sent.subList(1, sent.size());
        assertThat(pings).hasSize(20).allMatch(p -> p.length() == 64 && p.startsWith("labping ") && p.endsWith("."));
        assertThat(pings.get(7)).startsWith("labping 7 ");
    }

    @Test
    void lostPingsAreWaitedForOnlyUntilTheWaitEnds() throws Exception {
        PingMeasurement m = measurement(text -> !text.matches("labping \\d*[13579] .*"), "--send", "10",
                "--wait", "2");
        StepVerifier.withVirtualTime(m::run, () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(90 + 2_000)) // the last ping at 90 ms, then --wait
                .assertNext(s -> {
                    assertThat(s.received()).isEqualTo(5);
                    assertThat(s.loss()).isEqualTo(0.5);
                })
                .verifyComplete();
    }

    @Test
    void probesRepeatEvery50msUntilOneComesBackOrTheWaitEnds() throws Exception {
        PingMeasurement m = measurement(text -> false, "--send", "3", "--wait", "1", "--interval", "0");
        StepVerifier.withVirtualTime(m::run, () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2_000)) // 1 s of probes, then 1 s for echoes that never come
                .assertNext(s -> {
                    assertThat(s.received()).isZero();
                    assertThat(s.loss()).isEqualTo(1.0);
                    assertThat(s.warmupMs()).isNull();
                    assertThat(s.rttMedian()).isNull();
                })
                .verifyComplete();
        assertThat(sent.stream().filter(t -> t.startsWith("labwarm "))).hasSize(20); // t = 0, 50, ..., 950 ms
        assertThat(sent.stream().filter(t -> t.startsWith("labping "))).hasSize(3);
    }

    @Test
    void anEchoingPeerRecognisesProbesAndPings() {
        assertThat(PingMeasurement.isProbe("labwarm 3".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(PingMeasurement.isProbe("labping 1 2 ...".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(PingMeasurement.isProbe("labpin".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(PingMeasurement.isProbe("hello".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }
}
