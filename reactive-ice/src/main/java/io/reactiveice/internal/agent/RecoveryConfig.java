package io.reactiveice.internal.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of automatic recovery ({@link Recovery}): whether the agent may ask for an ICE restart
 * of its own (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-9">RFC 8445 section 9</a>), and
 * how often.
 *
 * @param restart whether the agent asks for a restart when no valid pair is left and none is coming
 * @param restartInterval the least time between two automatic restarts, doubled after each one that
 *     did not lead to a selected pair; also how long a valid backup (consent failover) or, with
 *     renomination active, a pair that may still succeed is given to take over before the first one
 * @param maxRestartInterval the most the interval grows to
 */
public record RecoveryConfig(boolean restart, Duration restartInterval, Duration maxRestartInterval) {
    /** No automatic restart (the default): moving and renominating only, which need no signalling. */
    public static final RecoveryConfig OFF = new RecoveryConfig(false, Duration.ofSeconds(2), Duration.ofSeconds(30));

    /** Checks the ranges, naming the field. */
    public RecoveryConfig {
        Objects.requireNonNull(restartInterval, "restartInterval");
        Objects.requireNonNull(maxRestartInterval, "maxRestartInterval");
        if (restartInterval.isNegative() || restartInterval.isZero()) {
            throw new IllegalArgumentException("restartInterval must be positive but was " + restartInterval);
        }
        if (maxRestartInterval.compareTo(restartInterval) < 0) {
            throw new IllegalArgumentException("maxRestartInterval must not be shorter than restartInterval "
                    + restartInterval + " but was " + maxRestartInterval);
        }
    }

    /**
     * These settings: {@link #OFF} itself when they are the default's, so that the sessions that keep
     * the default share it (an idle session's heap counts), otherwise new ones.
     *
     * @param restart whether the agent restarts by itself
     * @param restartInterval the first interval between automatic restarts
     * @param maxRestartInterval the longest one
     * @return the settings
     */
    public static RecoveryConfig of(boolean restart, Duration restartInterval, Duration maxRestartInterval) {
        RecoveryConfig c = new RecoveryConfig(restart, restartInterval, maxRestartInterval);
        return c.equals(OFF) ? OFF : c;
    }

    /** These settings with automatic restarts on or off. */
    public RecoveryConfig withRestart(boolean on) {
        return new RecoveryConfig(on, restartInterval, maxRestartInterval);
    }
}
