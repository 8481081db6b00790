package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sans-IO STUN client transaction on RFC 8489 section 6.2.1's schedule, stepped on its own clock. */
class StunClientTransactionTest {
    private static final long MS = 1_000_000L;
    private static final TransactionId ID = TransactionId.random(new SplittableRandom(1));

    /** Steps the transaction to its end, calling it exactly when it asks; returns the send times in ms. */
    private static List<Long> run(StunClientTransaction t, List<Long> timeoutAt) {
        List<Long> sends = new ArrayList<>(List.of(t.startedAt() / MS));
        while (!t.isDone()) {
            long now = t.nextTimeout();
            StunClientTransaction.Tick tick = t.handleTimeout(now);
            if (tick == StunClientTransaction.Tick.RETRANSMIT) {
                sends.add(now / MS);
            } else if (tick == StunClientTransaction.Tick.TIMED_OUT) {
                timeoutAt.add(now / MS);
            }
        }
        return sends;
    }

    @Test
    void udpDefaultsSendAtTheSection621TimesAndTimeOutAt39500Ms() {
        // RFC 8489 section 6.2.1: with RTO 500 ms, Rc 7, Rm 16, sends at 0, 500, 1500, 3500, 7500,
        // 15500 and 31500 ms, a timeout at 39500 ms.
        List<Long> timeout = new ArrayList<>();
        List<Long> sends = run(StunClientTransaction.start(ID, RetransmissionSchedule.UDP_DEFAULT, 0), timeout);
        assertThat(sends).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(timeout).containsExactly(39500L);
    }

    @Test
    void aLargerRtoStretchesTheWholeScheduleAsRfc8445Section143Asks() {
        List<Long> timeout = new ArrayList<>();
        List<Long> sends = run(StunClientTransaction.start(ID, RetransmissionSchedule.UDP_DEFAULT, 1000 * MS, 10 * MS),
                timeout);
        assertThat(sends).containsExactly(10L, 1010L, 3010L, 7010L, 15010L, 31010L, 63010L);
        assertThat(timeout).containsExactly(79010L);
    }

    @Test
    void aReliableTransportSendsOnceAndWaits39500Ms() {
        // RFC 8489 section 6.2.2: no retransmission over TCP or TLS.
        List<Long> timeout = new ArrayList<>();
        List<Long> sends = run(StunClientTransaction.start(ID, RetransmissionSchedule.RELIABLE_DEFAULT, 0), timeout);
        assertThat(sends).containsExactly(0L);
        assertThat(timeout).containsExactly(39500L);
    }

    @Test
    void nothingIsDueBeforeItsTimeAndNothingAfterAResponse() {
        StunClientTransaction t = StunClientTransaction.start(ID, RetransmissionSchedule.UDP_DEFAULT, 0);
        assertThat(t.handleTimeout(499 * MS)).isEqualTo(StunClientTransaction.Tick.NONE);
        assertThat(t.sends()).isEqualTo(1);
        assertThat(t.handleTimeout(500 * MS)).isEqualTo(StunClientTransaction.Tick.RETRANSMIT);
        assertThat(t.sends()).isEqualTo(2);
        t.complete();
        assertThat(t.nextTimeout()).isEqualTo(Long.MAX_VALUE);
        assertThat(t.handleTimeout(40_000 * MS)).isEqualTo(StunClientTransaction.Tick.NONE);
    }

    @Test
    void aLateCallRetransmitsOnceAndTimesOutFirstWhenBothAreDue() {
        StunClientTransaction t = StunClientTransaction.start(ID, RetransmissionSchedule.UDP_DEFAULT, 0);
        assertThat(t.handleTimeout(2000 * MS)).isEqualTo(StunClientTransaction.Tick.RETRANSMIT);
        assertThat(t.nextTimeout()).isEqualTo(3000 * MS); // RTO doubled from the send just made
        assertThat(t.handleTimeout(39500 * MS)).isEqualTo(StunClientTransaction.Tick.TIMED_OUT);
        assertThat(t.isDone()).isTrue();
    }

    @Test
    void aReplacingTransactionKeepsTheTimeoutOfTheOneItReplaces() {
        StunClientTransaction first = StunClientTransaction.start(ID, RetransmissionSchedule.UDP_DEFAULT, 0);
        first.stopRetransmitting();
        assertThat(first.nextTimeout()).isEqualTo(39500 * MS);
        TransactionId other = TransactionId.random(new SplittableRandom(2));
        StunClientTransaction next = StunClientTransaction.replacing(first, other, 500 * MS, 50 * MS);
        assertThat(next.id()).isEqualTo(other);
        assertThat(next.timeoutAt()).isEqualTo(39500 * MS);
        assertThat(next.nextTimeout()).isEqualTo(550 * MS);
    }

    @Test
    void aNonPositiveRtoIsRefusedByName() {
        assertThatThrownBy(() -> StunClientTransaction.start(ID, RetransmissionSchedule.UDP_DEFAULT, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rtoNanos must be positive");
        assertThat(RetransmissionSchedule.UDP_DEFAULT.withRto(Duration.ofSeconds(1)).total())
                .isEqualTo(Duration.ofMillis(79_000));
    }
}
