package io.reactiveice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The totals over live and closed counters that the session and port meters read. */
class LiveTotalsTest {
    private final LiveTotals<AtomicLong> totals = new LiveTotals<>();
    private final LiveTotals<AtomicLong>.Total total = totals.total(AtomicLong::get);

    @Test
    void aTotalIsTheLiveCountsPlusWhatTheClosedOnesHadOnceEach() {
        AtomicLong a = new AtomicLong(3);
        AtomicLong b = new AtomicLong(4);
        totals.opened(a);
        totals.opened(b);
        assertThat(total.value()).isEqualTo(7);
        a.addAndGet(10);
        assertThat(total.value()).isEqualTo(17);

        totals.closed(a);
        totals.closed(a); // told twice, counted once
        a.addAndGet(100); // no longer read
        assertThat(total.value()).isEqualTo(17);
        assertThat(totals.size()).isEqualTo(1);
        totals.closed(b);
        assertThat(total.value()).isEqualTo(17);
        assertThat(totals.size()).isZero();
    }

    // a live count read from another thread may be seen high once and lower later (a send moving
    // from its tally into its path); a counter must not go back
    @Test
    void aTotalNeverGoesBack() {
        AtomicLong a = new AtomicLong(10);
        totals.opened(a);
        assertThat(total.value()).isEqualTo(10);
        a.set(8);
        assertThat(total.value()).isEqualTo(10);
        a.set(12);
        assertThat(total.value()).isEqualTo(12);
    }
}
