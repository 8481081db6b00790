package io.reactiveice.agent;

import java.time.Duration;

/** Durations written for a human in failure messages. */
final class Durations {
    private Durations() {
    }

    /** {@code d} in seconds with up to three decimals, e.g. "30 s" or "7.5 s". */
    static String seconds(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 == 0) {
            return millis / 1000 + " s";
        }
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString() + " s";
    }
}
