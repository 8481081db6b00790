package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.internal.agent.IceAgentCore;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.scheduler.Scheduler;

/**
 * Which remote addresses' application data reaches the application (RFC 8445 section 12.2).
 *
 * <p>Data is delivered from the peer of a valid pair (our own check on it succeeded, RFC 8445
 * section 7.2.5.3.2), and only from there: the set is rebuilt from the core after every input, so an
 * address leaves it when its pair is no longer valid, after a restart or when the session closes.
 * An authenticated check of the peer never admits its source on its own: MESSAGE-INTEGRITY covers the
 * message, not where it came from, and an observer can replay a captured check from an address of
 * its own. Data from the source of such a check, whose pair our check has not validated yet, is held
 * instead: at most {@value #HOLD} datagrams per address, each for at most {@link #HOLD_NANOS 2 s}.
 * When the pair becomes valid they are delivered (the peer may start sending as soon as its own check
 * succeeded, before ours does); when it fails, on restart or close, or when they have waited that
 * long, they are released and counted as dropped. Held datagrams may reach the reader after ones that
 * arrived later, as datagrams may.
 *
 * <p>The data path reads an immutable set: no allocation, lock or queue for data from a valid pair.
 * The holds are touched under their own lock, by the I/O threads that hold data and by the session's
 * worker that releases it; the rest is the worker's only.
 */
final class RemoteAdmission {
    /** The datagrams held per heard address. */
    static final int HOLD = 16;
    /** How long a held datagram waits for its pair to become valid, 2 s. */
    static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final IceConnection connection;
    private final Scheduler clock;
    private final Scheduler.Worker worker;
    private volatile Set<InetSocketAddress> valid = Set.of();
    /** Made by the worker when it first holds for an address (most sessions never do: an idle session's heap counts). */
    private volatile Map<InetSocketAddress, Held> held;
    /** update()'s scratch, one per thread: update() runs on a worker and never inside another update(). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final Set<InetSocketAddress> validNow = new HashSet<>(4);
        final List<InetSocketAddress> heardNow = new ArrayList<>(2);
    }

    RemoteAdmission(IceConnection connection, Scheduler clock, Scheduler.Worker worker) {
        this.connection = connection;
        this.clock = clock;
        this.worker = worker;
    }

    /** Whether data from this address is delivered: the peer of a valid pair. Any thread; allocates nothing. */
    boolean isValid(InetSocketAddress sender) {
        return valid.contains(sender);
    }

    /**
     * On an I/O thread: holds (retains) a datagram from the source of an authenticated check whose pair
     * is not valid yet.
     *
     * @return {@code false} if the address is not held for, or its hold is full or was just released
     */
    boolean hold(ByteBuf data, InetSocketAddress sender) {
        Map<InetSocketAddress, Held> holds = held;
        Held h = holds == null ? null : holds.get(sender);
        if (h == null) {
            return false;
        }
        int outcome = h.offer(data, clock.now(TimeUnit.NANOSECONDS));
        if (outcome == Held.FIRST) {
            armExpiry(h, HOLD_NANOS);
        }
        return outcome != Held.REFUSED;
    }

    /**
     * On the worker, after every input: takes the valid pairs' and the heard pairs' remote addresses
     * from the core, delivers what was held for an address that is valid now, and releases what was
     * held for one that is neither (its pair failed, a restart, a close).
     */
    void update(IceAgentCore core) {
        Scratch scratch = SCRATCH.get();
        Set<InetSocketAddress> validNow = scratch.validNow;
        List<InetSocketAddress> heardNow = scratch.heardNow;
        validNow.clear();
        heardNow.clear();
        core.remoteAddresses(validNow, heardNow);
        if (!validNow.equals(valid)) {
            valid = Set.copyOf(validNow); // published before the holds are released, see onData
        }
        Map<InetSocketAddress, Held> holds = held;
        if (holds != null && !holds.isEmpty()) {
            for (Iterator<Map.Entry<InetSocketAddress, Held>> it = holds.entrySet().iterator(); it.hasNext();) {
                Map.Entry<InetSocketAddress, Held> e = it.next();
                if (validNow.contains(e.getKey())) {
                    it.remove();
                    e.getValue().release(true);
                } else if (!heardNow.contains(e.getKey())) {
                    it.remove();
                    e.getValue().release(false);
                }
            }
        }
        for (int i = 0; i < heardNow.size(); i++) {
            InetSocketAddress a = heardNow.get(i);
            if (!validNow.contains(a) && (holds == null || !holds.containsKey(a))) {
                if (holds == null) {
                    holds = new ConcurrentHashMap<>(2);
                    held = holds;
                }
                holds.put(a, new Held());
            }
        }
        validNow.clear(); // nothing of this session stays in the thread's scratch
        heardNow.clear();
    }

    /** How many addresses data is held for now (diagnostics and tests). */
    int heldAddresses() {
        Map<InetSocketAddress, Held> holds = held;
        return holds == null ? 0 : holds.size();
    }

    private void armExpiry(Held h, long delay) {
        try {
            worker.schedule(() -> {
                long next = h.expire(clock.now(TimeUnit.NANOSECONDS));
                if (next > 0) {
                    armExpiry(h, next);
                }
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) { // the session is closed: nothing will release it later
            h.release(false);
        }
    }

    /** The datagrams held for one address, oldest first, in a ring; guarded by {@code this}. */
    private final class Held {
        static final int REFUSED = 0;
        static final int HELD = 1;
        static final int FIRST = 2; // held, and no expiry is armed: the caller arms one

        private final ByteBuf[] datagrams = new ByteBuf[HOLD];
        private final long[] heldAt = new long[HOLD];
        private int head;
        private int size;
        private boolean armed;
        private boolean released;

        synchronized int offer(ByteBuf data, long now) {
            if (released || size == HOLD) {
                return REFUSED;
            }
            int i = (head + size++) % HOLD;
            datagrams[i] = data.retain();
            heldAt[i] = now;
            if (armed) {
                return HELD;
            }
            armed = true;
            return FIRST;
        }

        /**
         * Drops the datagrams that have waited {@link #HOLD_NANOS}.
         *
         * @return the delay until the next one has, or 0 when none is left (no expiry armed then)
         */
        long expire(long now) {
            int expired = 0;
            long next;
            synchronized (this) {
                while (size > 0 && now - heldAt[head] >= HOLD_NANOS) {
                    datagrams[head].release();
                    datagrams[head] = null;
                    head = (head + 1) % HOLD;
                    size--;
                    expired++;
                }
                next = size == 0 || released ? 0 : Math.max(1, heldAt[head] + HOLD_NANOS - now);
                armed = next > 0;
            }
            connection.countDropped(expired);
            return next;
        }

        /** Ends the hold: its datagrams go to the reader if {@code deliver}, else they are released and counted. */
        void release(boolean deliver) {
            ByteBuf[] out = new ByteBuf[HOLD];
            int n;
            synchronized (this) {
                released = true;
                n = size;
                for (int k = 0; k < n; k++) {
                    int i = (head + k) % HOLD;
                    out[k] = datagrams[i];
                    datagrams[i] = null;
                }
                size = 0;
            }
            for (int k = 0; k < n; k++) {
                if (deliver) {
                    connection.deliver(out[k]);
                } else {
                    out[k].release();
                }
            }
            if (!deliver) {
                connection.countDropped(n);
            }
        }
    }
}
