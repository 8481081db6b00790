package io.reactiveice.internal.transport;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP address, deterministic (time comes in as nanoseconds) and bounded:
 * it tracks at most {@code maxSources} addresses and forgets the least recently seen one beyond
 * that, so that spoofed sources cannot grow it. Not thread-safe: one receive thread uses it.
 */
public final class SourceRateLimiter {
    private final double perSecond;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long last;
    }

    /**
     * A limiter.
     *
     * @param perSecond tokens added per second and source
     * @param burst the most tokens a source can hold
     * @param maxSources the most sources tracked at once
     */
    public SourceRateLimiter(double perSecond, double burst, int maxSources) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("perSecond must be positive but was " + perSecond);
        }
        if (!(burst >= 1)) {
            throw new IllegalArgumentException("burst must be at least 1 but was " + burst);
        }
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources must be at least 1 but was " + maxSources);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /**
     * Takes one token for the source.
     *
     * @param source the source address
     * @param now the time in nanoseconds
     * @return {@code true} if the source may go on, {@code false} if it is over its rate
     */
    public boolean tryAcquire(InetAddress source, long now) {
        Bucket b = buckets.get(source);
        if (b == null) {
            b = new Bucket();
            b.tokens = burst;
            buckets.put(source, b);
        } else {
            double elapsed = Math.max(0, now - b.last) / 1e9;
            b.tokens = Math.min(burst, b.tokens + elapsed * perSecond);
        }
        b.last = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return true;
        }
        return false;
    }

    /** How many sources are tracked now. */
    public int sources() {
        return buckets.size();
    }
}
