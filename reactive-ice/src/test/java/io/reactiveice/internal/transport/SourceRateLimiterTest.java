package io.reactiveice.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-source token bucket, with time as a number. */
class SourceRateLimiterTest {
    private static final long MS = 1_000_000L;

    private static InetAddress ip(int last) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
    }

    @Test
    void aSourceGetsItsBurstThenItsRate() throws UnknownHostException {
        SourceRateLimiter limiter = new SourceRateLimiter(10, 5, 100);
        int allowed = 0;
        for (int i = 0; i < 20; i++) {
            allowed += limiter.tryAcquire(ip(1), 0) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(limiter.tryAcquire(ip(1), 99 * MS)).isFalse(); // 0.99 of a token
        assertThat(limiter.tryAcquire(ip(1), 100 * MS)).isTrue(); // one token after 100 ms at 10/s
        assertThat(limiter.tryAcquire(ip(2), 100 * MS)).as("another source has its own bucket").isTrue();
    }

    @Test
    void itNeverTracksMoreSourcesThanItsBound() throws UnknownHostException {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 3);
        for (int i = 1; i <= 10; i++) {
            limiter.tryAcquire(ip(i), 0);
        }
        assertThat(limiter.sources()).isEqualTo(3);
    }

    @Test
    void badSettingsNameTheField() {
        assertThatThrownBy(() -> new SourceRateLimiter(0, 1, 1)).hasMessageContaining("perSecond");
        assertThatThrownBy(() -> new SourceRateLimiter(1, 0.5, 1)).hasMessageContaining("burst");
        assertThatThrownBy(() -> new SourceRateLimiter(1, 1, 0)).hasMessageContaining("maxSources");
    }
}
