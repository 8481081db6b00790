package io.reactiveice;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactiveice.metrics.MicrometerIceMetrics;

/** Two loopback sessions recording into a Micrometer registry, for {@link NoMetricsLoopback}'s control case. */
final class MicrometerPeers {
    private MicrometerPeers() {
    }

    static IcePeers loopback() {
        IceMetrics m = MicrometerIceMetrics.create(new SimpleMeterRegistry());
        return new IcePeers(c -> c.metrics(m), c -> c.metrics(m)).signal();
    }
}
