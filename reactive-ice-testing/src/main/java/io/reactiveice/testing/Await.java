package io.reactiveice.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import reactor.core.publisher.Flux;

/**
 * Waits for an event a test over real sockets counts, instead of closing a window on the clock: the
 * condition is polled every few milliseconds until it holds or {@code timeout} has passed, so a slow,
 * loaded machine only makes the wait longer. The caller asserts the condition afterwards, with its own
 * message. No {@code Thread.sleep}: the polling runs on Reactor's parallel scheduler.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(5);

    private Await() {
    }

    /**
     * Polls {@code condition} until it holds or {@code timeout} has passed.
     *
     * @return whether it holds now
     */
    public static boolean until(BooleanSupplier condition, Duration timeout) {
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(timeout, "timeout");
        if (!condition.getAsBoolean()) {
            Flux.interval(POLL).takeUntil(x -> condition.getAsBoolean()).take(timeout).blockLast();
        }
        return condition.getAsBoolean();
    }
}
