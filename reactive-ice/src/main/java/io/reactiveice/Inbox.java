package io.reactiveice;

import io.netty.buffer.ByteBuf;
import java.util.Queue;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * The received datagrams of one {@link IceConnection}, waiting for their reader: one subscriber at a
 * time, each with its own demand.
 *
 * <p>Every datagram has exactly one owner at every moment, so none can leak: the sockets' I/O threads
 * hand it over under a lock into the bounded queue; it leaves the queue under the same lock either to
 * the subscriber (which then owns it and must release it) or to {@link ByteBuf#release()} (a reader
 * leaving, the session closing, the queue full). Emissions happen outside the lock, one at a time (the
 * {@code emitting} flag), so a subscriber that requests or cancels inside {@code onNext} simply changes
 * the state the emitting loop reads next. (Reactor's unicast sink did this with a discard hook taken
 * from its subscriber's context, which a cancel racing an emission could already have dropped.)
 */
final class Inbox extends Flux<ByteBuf> {
    private final Object lock = new Object();
    private final Queue<ByteBuf> queue; // guarded by lock
    private Reader reader; // guarded by lock
    private boolean emitting; // guarded by lock
    private boolean closed; // guarded by lock
    /** A test seam: runs when a reader has left, outside the lock. */
    volatile Runnable left = () -> { };

    Inbox(int capacity) {
        this.queue = new IceConnection.BoundedQueue<>(capacity);
    }

    /**
     * Takes a retained datagram: kept for the reader, or released when the queue is full or closed.
     *
     * @return whether it was kept
     */
    boolean offer(ByteBuf data) {
        synchronized (lock) {
            if (closed || !queue.offer(data)) {
                data.release();
                return false;
            }
        }
        drain();
        return true;
    }

    /** The session closed: what nobody reads is released; the reader completes once it has read the rest. */
    void close() {
        synchronized (lock) {
            closed = true;
            if (reader == null) {
                releaseQueued();
            }
        }
        drain();
    }

    @Override
    public void subscribe(CoreSubscriber<? super ByteBuf> actual) {
        Reader r = new Reader(actual);
        synchronized (lock) {
            if (reader != null) {
                r = null;
            } else {
                reader = r;
            }
        }
        if (r == null) {
            Operators.error(actual, new IllegalStateException("receive() has a subscriber already; it takes one at a time"));
            return;
        }
        actual.onSubscribe(r);
        drain();
    }

    private void releaseQueued() { // under lock
        for (ByteBuf b; (b = queue.poll()) != null;) {
            b.release();
        }
    }

    /** Emits what the reader asked for, and its completion once closed and empty; one thread at a time. */
    private void drain() {
        for (;;) {
            Reader r;
            ByteBuf next = null;
            synchronized (lock) {
                r = reader;
                if (emitting || r == null) {
                    return;
                }
                if (r.requested > 0 && !queue.isEmpty()) {
                    next = queue.poll();
                    r.requested--;
                } else if (!closed || !queue.isEmpty()) {
                    return;
                } else {
                    reader = null; // closed and empty: it completes
                }
                emitting = true;
            }
            try {
                if (next != null) {
                    r.actual.onNext(next);
                } else {
                    r.actual.onComplete();
                }
            } finally {
                synchronized (lock) {
                    emitting = false;
                }
            }
            if (next == null) {
                left.run();
            }
        }
    }

    /** One subscriber's subscription. */
    private final class Reader implements Subscription {
        final CoreSubscriber<? super ByteBuf> actual;
        long requested; // guarded by lock

        Reader(CoreSubscriber<? super ByteBuf> actual) {
            this.actual = actual;
        }

        @Override
        public void request(long n) {
            if (!Operators.validate(n)) {
                return;
            }
            synchronized (lock) {
                requested = Operators.addCap(requested, n);
            }
            drain();
        }

        /** The reader leaves: what it left unrequested is released, and the next reader may come. */
        @Override
        public void cancel() {
            boolean wasReader;
            synchronized (lock) {
                wasReader = reader == this;
                if (wasReader) {
                    reader = null;
                    releaseQueued();
                }
            }
            if (wasReader) {
                left.run();
            }
        }
    }
}
