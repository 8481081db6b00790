package io.reactiveice;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Two sessions, {@link #a} and {@link #b}, on a virtual clock and an in-memory network with 1 ms of
 * latency; after each test both are disposed, the clock runs one more second so that every close
 * completes, and is disposed.
 */
abstract class VirtualTimeSessions {
    static final long MS = 1_000_000L;
    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final InMemoryNetwork net = new InMemoryNetwork(clock, MS);
    IceSession a;
    IceSession b;

    @AfterEach
    void closeSessions() {
        if (a != null) {
            a.dispose();
        }
        if (b != null) {
            b.dispose();
        }
        clock.advanceTimeBy(Duration.ofSeconds(1));
        clock.dispose();
    }
}
