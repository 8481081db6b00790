package io.reactiveice.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.StunTimeoutException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** RFC 8489 section 6.2.1 retransmission timing, in virtual time. */
class StunTransactionTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);

    // RFC 8489 section 6.2.1: with RTO 500 ms, Rc 7, Rm 16 the request is sent at 0, 500, 1500, 3500,
    // 7500, 15500 and 31500 ms, and the transaction fails at 39500 ms.
    @Test
    void udpRequestIsSentAtTheExactRfcInstantsAndTimesOutAt39500Ms() {
        List<Long> sends = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    return StunTransaction.run(SERVER, () -> sends.add(clock.now(TimeUnit.MILLISECONDS)),
                            Mono.<String>never(), RetransmissionSchedule.UDP_DEFAULT, clock);
                })
                .expectSubscription()
                .then(() -> assertThat(sends).containsExactly(0L))
                .expectNoEvent(Duration.ofMillis(499))
                .then(() -> assertThat(sends).containsExactly(0L))
                .expectNoEvent(Duration.ofMillis(1))
                .then(() -> assertThat(sends).containsExactly(0L, 500L))
                .expectNoEvent(Duration.ofMillis(31_000))
                .then(() -> assertThat(sends).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L))
                .expectNoEvent(Duration.ofMillis(7_999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(StunTimeoutException.class);
                    StunTimeoutException timeout = (StunTimeoutException) e;
                    assertThat(timeout.sends()).isEqualTo(7);
                    assertThat(timeout.elapsed()).isEqualTo(Duration.ofMillis(39_500));
                    assertThat(timeout.server()).isEqualTo(SERVER);
                })
                .verify(VERIFY_TIMEOUT);
        assertThat(sends).hasSize(7);
    }

    @Test
    void responseEndsTheTransactionAndStopsEveryLaterSend() {
        List<Long> sends = new CopyOnWriteArrayList<>();
        AtomicReference<VirtualTimeScheduler> used = new AtomicReference<>();
        Sinks.One<String> response = Sinks.one();
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    used.set(clock);
                    return StunTransaction.run(SERVER, () -> sends.add(clock.now(TimeUnit.MILLISECONDS)),
                            response.asMono(), RetransmissionSchedule.UDP_DEFAULT, clock);
                })
                .expectSubscription()
                .thenAwait(Duration.ofMillis(1_600))
                .then(() -> response.tryEmitValue("answer"))
                .expectNext("answer")
                .expectComplete().verify(VERIFY_TIMEOUT);
        assertThat(sends).containsExactly(0L, 500L, 1_500L);
        used.get().advanceTimeBy(Duration.ofMinutes(1));
        assertThat(sends).containsExactly(0L, 500L, 1_500L);
    }

    // RFC 8489 section 6.2.2: over TCP/TLS one send and a 39.5 s timeout.
    @Test
    void reliableTransportSendsOnceAndTimesOutAt39500Ms() {
        List<Long> sends = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    return StunTransaction.run(SERVER, () -> sends.add(clock.now(TimeUnit.MILLISECONDS)),
                            Mono.<String>never(), RetransmissionSchedule.RELIABLE_DEFAULT, clock);
                })
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(39_499))
                .thenAwait(Duration.ofMillis(1))
                .expectError(StunTimeoutException.class)
                .verify(VERIFY_TIMEOUT);
        assertThat(sends).containsExactly(0L);
    }

    @Test
    void cancellingStopsTheResends() {
        List<Long> sends = new CopyOnWriteArrayList<>();
        AtomicReference<VirtualTimeScheduler> used = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    used.set(clock);
                    return StunTransaction.run(SERVER, () -> sends.add(clock.now(TimeUnit.MILLISECONDS)),
                            Mono.<String>never(), RetransmissionSchedule.UDP_DEFAULT, clock);
                })
                .expectSubscription()
                .thenAwait(Duration.ofMillis(600))
                .thenCancel()
                .verify(VERIFY_TIMEOUT);
        used.get().advanceTimeBy(Duration.ofMinutes(1));
        assertThat(sends).containsExactly(0L, 500L);
    }

    @Test
    void scheduleTotalsMatchTheRfcArithmetic() {
        assertThat(RetransmissionSchedule.UDP_DEFAULT.total()).isEqualTo(Duration.ofMillis(39_500));
        assertThat(RetransmissionSchedule.UDP_DEFAULT.withRto(Duration.ofMillis(100)).total())
                .isEqualTo(Duration.ofMillis(6_300 + 1_600));
        assertThat(RetransmissionSchedule.RELIABLE_DEFAULT.total()).isEqualTo(Duration.ofMillis(39_500));
    }
}
