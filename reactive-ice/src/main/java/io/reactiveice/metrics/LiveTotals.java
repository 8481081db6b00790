package io.reactiveice.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Totals over things that count for themselves (sessions, shared ports): the counts of the live
 * ones, read when a meter is read, plus what the closed ones had. Nothing is added per packet: the
 * live ones' counters are those their statistics keep anyway.
 *
 * <p>Each total only grows as a counter must: a closed one leaves the live set before its counts are
 * added to the closed sum, so a read in between sees too little, never too much, and a live count
 * read from another thread may lag (never run ahead); the total reported is never less than the one
 * reported before.
 *
 * @param <T> what is counted
 */
final class LiveTotals<T> {
    private final Set<T> live = ConcurrentHashMap.newKeySet();
    private final List<Total> totals = new ArrayList<>();

    /** One count summed over the live and the closed ones. */
    final class Total {
        private final ToLongFunction<T> count;
        private final AtomicLong closed = new AtomicLong();
        private final AtomicLong reported = new AtomicLong();

        private Total(ToLongFunction<T> count) {
            this.count = count;
        }

        /** The total now, any thread; never less than the last one returned. */
        double value() {
            long sum = closed.get();
            for (T t : live) {
                sum += count.applyAsLong(t);
            }
            long s = sum;
            return reported.accumulateAndGet(s, Math::max);
        }
    }

    /** A total of {@code count}; all are made before the first {@link #opened}. */
    synchronized Total total(ToLongFunction<T> count) {
        Total t = new Total(count);
        totals.add(t);
        return t;
    }

    void opened(T t) {
        live.add(t);
    }

    /** {@code t} closed: its final counts go into the closed sums, once. */
    void closed(T t) {
        if (live.remove(t)) {
            for (Total total : totals) {
                total.closed.addAndGet(total.count.applyAsLong(t));
            }
        }
    }

    /** How many are live now. */
    int size() {
        return live.size();
    }
}
