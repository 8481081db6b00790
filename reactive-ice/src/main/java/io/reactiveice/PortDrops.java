package io.reactiveice;

import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;

/**
 * A shared port's drop counts as its {@link IceMetrics} reads them: the counters the port keeps
 * anyway, by {@link IceMetrics.DropReason}, told to the recorder once when the port is bound and once
 * when it is disposed. The same for the UDP and the TCP port.
 */
final class PortDrops implements IceMetrics.PortCounters {
    private final IceMetrics metrics;
    private final String transport;
    private final Set<IceMetrics.DropReason> reasons;
    private final ToLongFunction<IceMetrics.DropReason> counts;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param metrics where to report
     * @param transport {@code udp} or {@code tcp}
     * @param reasons the reasons the port counts
     * @param counts the port's count of each of them
     */
    PortDrops(IceMetrics metrics, String transport, Set<IceMetrics.DropReason> reasons,
            ToLongFunction<IceMetrics.DropReason> counts) {
        this.metrics = metrics;
        this.transport = transport;
        this.reasons = Set.copyOf(reasons);
        this.counts = counts;
    }

    /** The port is bound: its counts may be read from now on. */
    void bound() {
        if (metrics != IceMetrics.NONE) {
            metrics.sharedPortBound(this);
        }
    }

    /** The port is disposed: its counts are final (told once, however often it is disposed). */
    void closed() {
        if (metrics != IceMetrics.NONE && closed.compareAndSet(false, true)) {
            metrics.sharedPortClosed(this);
        }
    }

    @Override
    public String transport() {
        return transport;
    }

    @Override
    public Set<IceMetrics.DropReason> reasons() {
        return reasons;
    }

    @Override
    public long dropped(IceMetrics.DropReason reason) {
        return reasons.contains(reason) ? counts.applyAsLong(reason) : 0;
    }
}
