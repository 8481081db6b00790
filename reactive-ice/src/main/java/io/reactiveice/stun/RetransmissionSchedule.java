package io.reactiveice.stun;

import java.time.Duration;
import java.util.Objects;

/**
 * When a STUN client transaction sends and when it gives up
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>).
 *
 * <p>Over UDP the request is sent at 0, RTO, 3 RTO, 7 RTO ... doubling the interval each time, Rc
 * sends in all; after the last one the client waits Rm times RTO before declaring a timeout. With
 * the defaults (RTO 500 ms, Rc 7, Rm 16) the sends happen at 0, 500, 1500, 3500, 7500, 15500 and
 * 31500 ms and the transaction fails at 39500 ms. Over TCP or TLS there is one send and a timeout of
 * 39.5 s (section 6.2.2).
 *
 * @param rto the initial retransmission timeout
 * @param rc the number of sends in all (1 for reliable transports)
 * @param rm the multiple of RTO to wait after the last send
 * @param reliableTimeout for a reliable transport, the whole timeout; {@code null} for UDP
 */
public record RetransmissionSchedule(Duration rto, int rc, int rm, Duration reliableTimeout) {
    /** RFC 8489's defaults for UDP: RTO 500 ms, Rc 7, Rm 16. */
    public static final RetransmissionSchedule UDP_DEFAULT =
            new RetransmissionSchedule(Duration.ofMillis(500), 7, 16, null);
    /** RFC 8489's default for TCP and TLS: one send, 39.5 s. */
    public static final RetransmissionSchedule RELIABLE_DEFAULT =
            new RetransmissionSchedule(Duration.ofMillis(500), 1, 0, Duration.ofMillis(39_500));

    /** Checks the ranges. */
    public RetransmissionSchedule {
        Objects.requireNonNull(rto, "rto");
        if (rto.isNegative() || rto.isZero()) {
            throw new IllegalArgumentException("rto must be positive but was " + rto);
        }
        if (rc < 1) {
            throw new IllegalArgumentException("rc must be at least 1 but was " + rc);
        }
        if (rm < 0) {
            throw new IllegalArgumentException("rm must be at least 0 but was " + rm);
        }
        if (reliableTimeout != null && (reliableTimeout.isNegative() || reliableTimeout.isZero())) {
            throw new IllegalArgumentException("reliableTimeout must be positive but was " + reliableTimeout);
        }
    }

    /** A UDP schedule with another initial RTO (e.g. one estimated from earlier transactions). */
    public RetransmissionSchedule withRto(Duration rto) {
        return new RetransmissionSchedule(rto, rc, rm, reliableTimeout);
    }

    /** Whether this is a schedule for a reliable transport (one send). */
    public boolean isReliable() {
        return reliableTimeout != null;
    }

    /** The number of sends. */
    public int sends() {
        return isReliable() ? 1 : rc;
    }

    /** The time between send {@code n - 1} and send {@code n} (n from 1), or the wait before the first (0). */
    public Duration gapBefore(int n) {
        if (n <= 0) {
            return Duration.ZERO;
        }
        return rto.multipliedBy(1L << Math.min(n - 1, 30));
    }

    /** The time from the last send until the transaction times out. */
    public Duration finalWait() {
        return isReliable() ? reliableTimeout : rto.multipliedBy(rm);
    }

    /** The time from the first send until the transaction times out. */
    public Duration total() {
        Duration t = Duration.ZERO;
        for (int n = 1; n < sends(); n++) {
            t = t.plus(gapBefore(n));
        }
        return t.plus(finalWait());
    }
}
