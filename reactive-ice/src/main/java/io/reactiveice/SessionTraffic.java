package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.internal.agent.PathCounters;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.core.scheduler.Scheduler;

/**
 * The application datagrams of a session, counted per path (a base and a remote address) for its
 * statistics (W3C webrtc-stats' packets and bytes of {@code RTCIceCandidatePairStats}). No lock, no
 * atomic operation and no allocation per datagram:
 * <ul>
 *   <li>a path's received counts are plain fields of the thread that receives on its socket (a socket
 *       is received on by one event loop), in {@link #received};
 *   <li>a send's counts are plain fields of its {@link Tally}, one per {@link IceConnection#send}
 *       subscription, written by whichever thread signals that subscription's {@code onNext} (Reactive
 *       Streams rule 1.3: one at a time, each after the one before). When the send ends, before its
 *       {@code Mono} completes, or when it moves to another remote address of its base, the tally is
 *       added into its path's sent counts: several sends may end at once, so these are atomic adds,
 *       a few per send, none per datagram;
 *   <li>a send that goes on for {@value #VISIBLE_AFTER} datagrams is made visible to snapshots while it
 *       runs: the session's worker takes it into its list of live tallies (the worker's own), and it is
 *       then added into its path on the worker too, so that a snapshot never counts it twice. A shorter
 *       send costs the worker nothing;
 *   <li>the list of paths is copy-on-write, appended with a compare-and-set by the first thread that
 *       needs a path (once per path; a path is never removed, and only the peer of a valid or heard
 *       pair gets one, which bounds them).
 * </ul>
 * The worker's {@link #counters snapshot} reads fields that other threads write: it may miss the
 * datagrams in flight at that instant, and those of sends under way that have not reached
 * {@value #VISIBLE_AFTER}; never more, never twice. It is exact for sends whose {@code Mono} completed
 * before the snapshot was asked for, and for received datagrams the application has read.
 */
final class SessionTraffic {
    /** After this many datagrams a send under way is seen by snapshots. */
    static final int VISIBLE_AFTER = 64;
    private static final Path[] NONE = {};
    private static final AtomicReferenceFieldUpdater<SessionTraffic, Path[]> PATHS =
            AtomicReferenceFieldUpdater.newUpdater(SessionTraffic.class, Path[].class, "paths");

    private final Scheduler clock;
    private final IceConnection.Path worker;
    private volatile Path[] paths = NONE;
    private static final Tally[] NO_TALLIES = {};
    /**
     * The long sends under way: written by the worker only (copy on write, a rare event), read by
     * the worker's snapshots and by {@link #totals} on any thread.
     */
    private volatile Tally[] live = NO_TALLIES;

    /**
     * @param clock the session's clock, of the timestamps
     * @param worker runs a task on the session's worker ({@link IceConnection.Path#run})
     */
    SessionTraffic(Scheduler clock, IceConnection.Path worker) {
        this.clock = clock;
        this.worker = worker;
    }

    /** One path's counts. */
    static final class Path {
        private static final AtomicLongFieldUpdater<Path> SENT = AtomicLongFieldUpdater.newUpdater(Path.class, "packetsSent");
        private static final AtomicLongFieldUpdater<Path> SENT_BYTES = AtomicLongFieldUpdater.newUpdater(Path.class, "bytesSent");
        private static final AtomicLongFieldUpdater<Path> SENT_AT = AtomicLongFieldUpdater.newUpdater(Path.class, "lastSentAt");
        private static final AtomicLongFieldUpdater<Path> DISCARDED =
                AtomicLongFieldUpdater.newUpdater(Path.class, "packetsDiscarded");
        private static final AtomicLongFieldUpdater<Path> DISCARDED_BYTES =
                AtomicLongFieldUpdater.newUpdater(Path.class, "bytesDiscarded");
        final InetSocketAddress base;
        final InetSocketAddress remote;
        // the receiving thread's, plain
        long packetsReceived;
        long bytesReceived;
        long lastReceivedAt = Long.MIN_VALUE;
        // the ended sends', through the updaters
        volatile long packetsSent;
        volatile long bytesSent;
        volatile long lastSentAt = Long.MIN_VALUE;
        volatile long packetsDiscarded;
        volatile long bytesDiscarded;

        Path(InetSocketAddress base, InetSocketAddress remote) {
            this.base = base;
            this.remote = remote;
        }

        boolean is(InetSocketAddress b, InetSocketAddress r) {
            return remote.equals(r) && base.equals(b);
        }

        void add(long packets, long bytes, long at, long discarded, long discardedBytes) {
            if (packets != 0) {
                SENT.addAndGet(this, packets);
                SENT_BYTES.addAndGet(this, bytes);
                SENT_AT.accumulateAndGet(this, at, Math::max);
            }
            if (discarded != 0) {
                DISCARDED.addAndGet(this, discarded);
                DISCARDED_BYTES.addAndGet(this, discardedBytes);
            }
        }
    }

    /** The counts of one send subscription, on their way into its path. */
    final class Tally {
        private static final AtomicIntegerFieldUpdater<Tally> ENDED =
                AtomicIntegerFieldUpdater.newUpdater(Tally.class, "ended");
        final InetSocketAddress base;
        /** Where the datagrams go now: what {@link IceConnection#send} gives the socket as their destination. */
        InetSocketAddress remote;
        long packets;
        long bytes;
        long lastAt = Long.MIN_VALUE;
        long packetsDiscarded;
        long bytesDiscarded;
        /** Datagrams counted in all, up to {@link #VISIBLE_AFTER}. */
        private int seen;
        /** The worker was asked to take it in as live: from then on its counts go through the worker. */
        private boolean visible;
        @SuppressWarnings("unused") // through ENDED: cancel and completion may race
        private volatile int ended;

        private Tally(InetSocketAddress base, InetSocketAddress remote) {
            this.base = base;
            this.remote = remote;
        }

        /** On the sending thread: {@code b} goes to {@code to}. */
        void sent(ByteBuf b, InetSocketAddress to) {
            if (to != remote && !to.equals(remote)) { // the path moved on its base (a rebinding): a new path
                hand(false);
                remote = to;
            }
            packets++;
            bytes += b.readableBytes();
            lastAt = clock.now(TimeUnit.NANOSECONDS);
            if (!visible && ++seen == VISIBLE_AFTER) {
                visible = true;
                worker.run(() -> {
                    if (ended == 0) {
                        Tally[] now = live;
                        Tally[] grown = Arrays.copyOf(now, now.length + 1);
                        grown[now.length] = this;
                        live = grown;
                    }
                });
            }
        }

        /** On the sending thread: {@code b} was released unsent. */
        void discarded(ByteBuf b) {
            packetsDiscarded++;
            bytesDiscarded += b.readableBytes();
        }

        /** The send ended (completed, failed or cancelled): its counts go into its path, once. */
        void end() {
            if (ENDED.compareAndSet(this, 0, 1)) {
                hand(true);
            }
        }

        /** Adds what is counted so far into the path, through the worker once visible; starts again from zero. */
        private void hand(boolean last) {
            long p = packets;
            long n = bytes;
            long at = lastAt;
            long dp = packetsDiscarded;
            long dn = bytesDiscarded;
            InetSocketAddress to = remote;
            packets = 0;
            bytes = 0;
            packetsDiscarded = 0;
            bytesDiscarded = 0;
            if (!visible) { // no snapshot sees this tally: added here, in the path's atomic fields
                path(base, to).add(p, n, at, dp, dn);
                return;
            }
            // in one task with its removal from the live ones: a snapshot sees it in one place only
            worker.run(() -> {
                path(base, to).add(p, n, at, dp, dn);
                if (last) {
                    removeLive(this);
                }
            });
        }
    }

    /** On the worker: {@code t} is no longer under way. */
    private void removeLive(Tally t) {
        Tally[] now = live;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == t) {
                Tally[] shrunk = Arrays.copyOf(now, now.length - 1);
                System.arraycopy(now, i + 1, shrunk, i, now.length - i - 1);
                live = now.length == 1 ? NO_TALLIES : shrunk;
                return;
            }
        }
    }

    /** Which of a session's totals {@link #totals} sums. */
    enum Total {
        PACKETS_SENT, BYTES_SENT, PACKETS_RECEIVED, BYTES_RECEIVED
    }

    /**
     * Any thread (a metrics recorder's): the session's total over every path, the long sends under way
     * included. It reads what other threads write with no lock, so it may lag by what is in flight; it
     * never counts a datagram twice: the paths are read first, and a tally's counts reach its path
     * (a volatile add on the worker) only after the sender zeroed them, so whoever sees them in the
     * path sees the tally without them.
     */
    long totals(Total which) {
        long sum = 0;
        for (Path p : paths) {
            sum += switch (which) {
                case PACKETS_SENT -> p.packetsSent;
                case BYTES_SENT -> p.bytesSent;
                case PACKETS_RECEIVED -> p.packetsReceived;
                case BYTES_RECEIVED -> p.bytesReceived;
            };
        }
        if (which == Total.PACKETS_SENT || which == Total.BYTES_SENT) {
            for (Tally t : live) {
                sum += which == Total.PACKETS_SENT ? t.packets : t.bytes;
            }
        }
        return sum;
    }

    /** A send subscription starts on the path from {@code base} to {@code remote}: its tally. Any thread. */
    Tally open(InetSocketAddress base, InetSocketAddress remote) {
        return new Tally(base, remote);
    }
    /**
     * On the thread that receives on {@code base}'s socket: an application datagram of {@code n} bytes
     * from {@code sender}, the peer of a valid or heard pair.
     */
    void received(InetSocketAddress base, InetSocketAddress sender, int n) {
        Path p = path(base, sender);
        p.packetsReceived++;
        p.bytesReceived += n;
        p.lastReceivedAt = clock.now(TimeUnit.NANOSECONDS);
    }

    /** The path from {@code base} to {@code remote}, added if it is new. Any thread. */
    private Path path(InetSocketAddress base, InetSocketAddress remote) {
        for (;;) {
            Path[] now = paths;
            for (Path p : now) {
                if (p.is(base, remote)) {
                    return p;
                }
            }
            Path[] grown = Arrays.copyOf(now, now.length + 1);
            Path added = new Path(base, remote);
            grown[now.length] = added;
            if (PATHS.compareAndSet(this, now, grown)) {
                return added;
            }
        }
    }

    /** On the worker: the counts of the path from {@code base} to {@code remote}, the sends under way included. */
    PathCounters counters(InetSocketAddress base, InetSocketAddress remote) {
        Path p = null;
        for (Path q : paths) {
            if (q.is(base, remote)) {
                p = q;
            }
        }
        long sent = p == null ? 0 : p.packetsSent;
        long sentBytes = p == null ? 0 : p.bytesSent;
        long sentAt = p == null ? Long.MIN_VALUE : p.lastSentAt;
        long discarded = p == null ? 0 : p.packetsDiscarded;
        long discardedBytes = p == null ? 0 : p.bytesDiscarded;
        for (Tally t : live) {
            if (t.base.equals(base) && remote.equals(t.remote)) { // plain reads of the sender's fields: maybe stale
                sent += t.packets;
                sentBytes += t.bytes;
                sentAt = Math.max(sentAt, t.lastAt);
                discarded += t.packetsDiscarded;
                discardedBytes += t.bytesDiscarded;
            }
        }
        if (p == null && sent == 0 && discarded == 0) {
            return PathCounters.NONE;
        }
        return new PathCounters(sent, sentBytes, sentAt, p == null ? 0 : p.packetsReceived,
                p == null ? 0 : p.bytesReceived, p == null ? Long.MIN_VALUE : p.lastReceivedAt, discarded,
                discardedBytes);
    }
}
