package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.internal.agent.PathCounters;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import reactor.core.scheduler.Scheduler;

/**
 * The application datagrams of a session, counted per path (a base and a remote address) for its
 * statistics (W3C webrtc-stats' packets and bytes of {@code RTCIceCandidatePairStats}). No lock, no
 * atomic increment and no allocation per datagram; every counter has one writer:
 * <ul>
 *   <li>a path's received counts: the thread that receives on its socket (a socket is received on by
 *       one event loop), in {@link #received}, plain fields;
 *   <li>a send's counts: its {@link Tally}, one per {@link IceConnection#send} subscription, written
 *       by whichever thread signals that subscription's {@code onNext} (Reactive Streams rule 1.3: one
 *       at a time, each after the one before); the session's worker adds a tally into its path when
 *       the send ends, before its {@code Mono} completes, or when the send moves to another remote
 *       address of its base;
 *   <li>a path's sent counts and the live tallies: the session's worker;
 *   <li>the list of paths: copy-on-write, appended with a compare-and-set by the first thread that
 *       needs a path (once per path; a path is never removed, and only the peer of a valid or
 *       heard pair gets one, which bounds them).
 * </ul>
 * The worker's {@link #counters snapshot} reads plain fields that other threads write: it may miss the
 * datagrams in flight at that instant, never more. It is exact for a send whose {@code Mono} completed
 * before the snapshot was asked for, and for received datagrams the application has read.
 */
final class SessionTraffic {
    private static final Path[] NONE = {};
    private static final AtomicReferenceFieldUpdater<SessionTraffic, Path[]> PATHS =
            AtomicReferenceFieldUpdater.newUpdater(SessionTraffic.class, Path[].class, "paths");

    private final Scheduler clock;
    private final IceConnection.Path worker;
    private volatile Path[] paths = NONE;
    /** The sends under way (the worker's); made by the first send (an idle session's heap counts). */
    private List<Tally> live;

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
        final InetSocketAddress base;
        final InetSocketAddress remote;
        // the receiving thread's
        long packetsReceived;
        long bytesReceived;
        long lastReceivedAt = Long.MIN_VALUE;
        // the worker's
        long packetsSent;
        long bytesSent;
        long lastSentAt = Long.MIN_VALUE;
        long packetsDiscarded;
        long bytesDiscarded;

        Path(InetSocketAddress base, InetSocketAddress remote) {
            this.base = base;
            this.remote = remote;
        }

        boolean is(InetSocketAddress b, InetSocketAddress r) {
            return remote.equals(r) && base.equals(b);
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

        /** Hands what is counted so far to the worker, which adds it to the path; starts again from zero. */
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
            worker.run(() -> {
                Path path = path(base, to);
                path.packetsSent += p;
                path.bytesSent += n;
                path.lastSentAt = Math.max(path.lastSentAt, at);
                path.packetsDiscarded += dp;
                path.bytesDiscarded += dn;
                if (last && live != null) {
                    live.remove(this);
                }
            });
        }
    }

    /**
     * A send subscription starts on the path from {@code base} to {@code remote}: its tally, which the
     * worker reads meanwhile. Any thread.
     */
    Tally open(InetSocketAddress base, InetSocketAddress remote) {
        Tally t = new Tally(base, remote);
        worker.run(() -> {
            if (t.ended == 0) {
                if (live == null) {
                    live = new ArrayList<>(1);
                }
                live.add(t);
            }
        });
        return t;
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
        if (live != null) {
            for (Tally t : live) {
                if (t.base.equals(base) && remote.equals(t.remote)) { // plain reads of the sender's fields: maybe stale
                    sent += t.packets;
                    sentBytes += t.bytes;
                    sentAt = Math.max(sentAt, t.lastAt);
                    discarded += t.packetsDiscarded;
                    discardedBytes += t.bytesDiscarded;
                }
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
