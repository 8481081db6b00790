package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.Coturn;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;

/**
 * Waits on a {@link Coturn} the tests started, polling on a Reactor timer with a bound, until its
 * log (with {@code verbose}) shows the allocations deleted.
 */
final class CoturnChecks {
    private static final Pattern ALLOCATED = Pattern.compile("session (\\d+): new, realm=(.*)");
    private static final Pattern DELETION = Pattern.compile("lifetime=0(,|$)");

    private CoturnChecks() {
    }

    /**
     * Waits until {@code expected} allocations were deleted, then asserts that exactly so many were
     * made, deleted at the client's request (a Refresh with LIFETIME 0, not a closed connection or an
     * expiry) and gone. With {@code verbose}, coturn logs {@code : new, realm=} for each allocation,
     * {@code : refreshed, realm=... lifetime=0} for a deletion request and {@code : delete: realm=}
     * when one is gone; one a peer left behind would be held for its lifetime (600 s).
     */
    static void awaitAllocationsDeleted(Coturn coturn, int expected, Duration timeout) {
        Flux.interval(Duration.ZERO, Duration.ofMillis(50))
                .takeUntil(x -> count(coturn, ": delete: realm=") >= expected)
                .take(timeout)
                .blockLast(timeout.plusSeconds(5));
        String log = log(coturn);
        assertThat(count(coturn, ": new, realm=")).as("allocations made\n%s", log).isEqualTo(expected);
        assertThat(log.lines().filter(l -> l.contains(": refreshed, realm=") && DELETION.matcher(l).find()).count())
                .as("deletions the clients asked for\n%s", log).isEqualTo(expected);
        assertThat(count(coturn, ": delete: realm=")).as("allocations deleted\n%s", log).isEqualTo(expected);
    }

    /**
     * How each allocation reached coturn, in order: {@code tls} when coturn logged its TLS method,
     * {@code tcp} when its session was a TCP connection that the client closed, else {@code udp}.
     */
    static List<String> allocationTransports(Coturn coturn) {
        String log = log(coturn);
        return log.lines().map(ALLOCATED::matcher).filter(Matcher::find)
                .map(m -> m.group(2).contains("method=TLS") ? "tls"
                        : log.contains("session " + m.group(1) + ": TCP socket closed remotely") ? "tcp" : "udp")
                .toList();
    }

    private static long count(Coturn coturn, String marker) {
        return log(coturn).lines().filter(l -> l.contains(marker)).count();
    }

    private static String log(Coturn coturn) {
        return coturn.log();
    }
}
