package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceState;
import io.reactiveice.internal.agent.PathCounters;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.AbstractQueue;
import java.util.Collections;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * Application datagrams over the selected pair, on the same sockets as the STUN traffic and told
 * apart by their first byte (<a href="https://www.rfc-editor.org/rfc/rfc7983">RFC 7983</a>). The data
 * path reads the selected pair from a snapshot and never goes through the agent's serialized
 * context. Sending stops with {@link IceFailedException} once consent is lost (RFC 7675).
 */
public final class IceConnection {
    /** What the data path reads of its session: the snapshots and the sockets, never the core. Any thread. */
    interface Path {
        /** The selected pair now, or {@code null}. */
        CandidatePair selectedPair();

        /** The state now. */
        IceState state();

        /** The socket bound to {@code base}, or {@code null}. */
        PacketSocket socket(InetSocketAddress base);

        /**
         * Data from {@code base} to {@code remote} could not leave: no route there (the local address
         * or its route went). The default ignores it.
         */
        default void unreachable(InetSocketAddress base, InetSocketAddress remote) {
        }

        /** Runs a task on the session's serialized context; {@code false} once the session is closed. */
        boolean run(Runnable task);

        /** The error for what cannot be done now, {@code context}, with the session's failure reason if it has one. */
        default IceFailedException failed(String context) {
            return new IceFailedException(context);
        }
    }

    private final Path session;
    /** Which remote addresses' data is delivered, held or dropped (RFC 8445 section 12.2). */
    private final RemoteAdmission admission;
    /** The datagrams sent and received per path, for the statistics. */
    private final SessionTraffic traffic;
    /** Datagrams received while nobody reads are kept up to this many; later ones are dropped. */
    static final int RECEIVE_BUFFER = 1024;

    /** The received datagrams waiting for their reader. */
    private final Inbox inbox = new Inbox(RECEIVE_BUFFER);
    private static final AtomicLongFieldUpdater<IceConnection> DROPPED =
            AtomicLongFieldUpdater.newUpdater(IceConnection.class, "dropped");
    private volatile long dropped; // through DROPPED: a field, not an AtomicLong (an idle session's heap counts)
    /** A test seam: runs when a reader has left (cancelled or completed), before the next may come. */
    Runnable renewing = () -> { };

    /**
     * @param clock the session's scheduler, the clock of held datagrams
     * @param worker the session's worker, where held datagrams expire
     */
    IceConnection(Path session, Scheduler clock, Scheduler.Worker worker) {
        this.session = session;
        this.admission = new RemoteAdmission(this, clock, worker);
        this.traffic = new SessionTraffic(clock, session);
        inbox.left = () -> renewing.run();
    }

    /**
     * The datagrams received over ICE, one {@code ByteBuf} each, which the subscriber must release.
     *
     * <p>One subscriber at a time: a second one while the first is subscribed gets an
     * {@link IllegalStateException}. Once a subscriber has cancelled (e.g. after {@code take(n)}) or
     * completed, {@code receive()} may be subscribed again: the next subscriber gets what arrives from
     * then on (up to {@value #RECEIVE_BUFFER} datagrams are kept until it subscribes), never what the
     * earlier one left unrequested, which is released when it cancels. It completes when the session
     * closes, and at once for a subscriber that comes after that.
     */
    public Flux<ByteBuf> receive() {
        return inbox;
    }

    /**
     * Sends each buffer as one datagram over the selected pair, with backpressure; every buffer is
     * released. Datagrams keep going out while the state is {@link IceState#DISCONNECTED DISCONNECTED},
     * which is only a warning; it errors with {@link IceFailedException} when no pair is
     * selected yet, once consent is lost (FAILED, 30 s without a consent response, <a
     * href="https://www.rfc-editor.org/rfc/rfc7675#section-5.1">RFC 7675 section 5.1</a>), or after the
     * session is closed.
     *
     * @param data the datagrams
     * @return completes when all are written
     */
    public Mono<Void> send(Publisher<? extends ByteBuf> data) {
        return Mono.defer(() -> {
            CandidatePair pair = session.selectedPair();
            PacketSocket socket = pair == null ? null : session.socket(pair.base());
            if (socket == null || !session.state().canSend()) {
                SessionTraffic.Tally discarded = pair == null ? null : traffic.open(pair.base(), pair.remoteAddress());
                return Flux.from(data).doOnNext(b -> {
                    if (discarded != null) {
                        discarded.discarded(b);
                    }
                    b.release();
                }).then(Mono.<Void>error(() -> session.failed("cannot send: ICE is " + session.state())))
                        .doOnTerminate(() -> end(discarded)).doOnCancel(() -> end(discarded));
            }
            // counted by this subscription's tally, whose onNext calls come one at a time (Reactive
            // Streams rule 1.3): plain fields, no allocation per datagram; each datagram goes where the
            // tally says, so it is counted on the path it takes
            SessionTraffic.Tally tally = traffic.open(pair.base(), current(pair));
            // a send that fails for want of a route tells the session, which fails that pair and moves
            // off it at once, often before the network monitor's next poll sees the address gone
            return socket.sendAll(Flux.from(data).doOnNext(b -> {
                if (!session.state().canSend()) {
                    tally.discarded(b);
                    b.release();
                    throw session.failed("cannot send: ICE is " + session.state());
                }
                tally.sent(b, current(pair));
            }), b -> tally.remote).doOnError(e -> {
                if (SessionSockets.unreachable(e)) {
                    session.unreachable(pair.base(), current(pair));
                }
            }).doOnTerminate(tally::end).doOnCancel(tally::end); // before the caller sees the end: then exact
        });
    }

    private static void end(SessionTraffic.Tally tally) {
        if (tally != null) {
            tally.end();
        }
    }

    private InetSocketAddress current(CandidatePair fallback) {
        CandidatePair now = session.selectedPair();
        return (now != null && now.base().equals(fallback.base()) ? now : fallback).remoteAddress();
    }

    /** The selected pair now. */
    public CandidatePair selectedPair() {
        return session.selectedPair();
    }

    /**
     * Datagrams not delivered: from an address that is not the peer of a valid pair (RFC 8445 section
     * 12.2), counting those held for the source of an authenticated check whose pair did not become
     * valid within 2 s (it failed, or ICE restarted or closed), or arriving while
     * {@value #RECEIVE_BUFFER} datagrams were already waiting for a reader (e.g. a browser's DTLS
     * ClientHello retransmissions that nobody reads).
     */
    public long dropped() {
        return dropped;
    }

    /**
     * On the I/O thread of {@code base}'s socket: a datagram that is not STUN, counted on its path unless
     * dropped. Delivered from the peer of a valid pair;
     * held from the source of an authenticated check whose pair is not valid yet; dropped otherwise.
     *
     * @return {@code false} if it was dropped because its source is the peer of no pair
     */
    boolean onData(InetSocketAddress base, ByteBuf data, InetSocketAddress sender) {
        int n = data.readableBytes();
        if (isValidRemote(sender)) {
            traffic.received(base, sender, n);
            deliver(data.retain());
        } else if (admission.hold(data, sender)) {
            traffic.received(base, sender, n);
            return true;
        } else if (isValidRemote(sender)) { // its hold was released just now: the pair became valid
            traffic.received(base, sender, n);
            deliver(data.retain());
        } else {
            DROPPED.incrementAndGet(this);
            return false;
        }
        return true;
    }

    /** On the session's worker: the data counts of the path from {@code base} to {@code remote}. */
    PathCounters counters(InetSocketAddress base, InetSocketAddress remote) {
        return traffic.counters(base, remote);
    }

    /** The session's application datagrams, for its metrics. */
    SessionTraffic traffic() {
        return traffic;
    }

    /**
     * Whether data from this address is delivered: the peer of the selected pair or of another valid
     * pair (RFC 8445 section 12.2); see {@link RemoteAdmission}. Any thread.
     */
    boolean isValidRemote(InetSocketAddress sender) {
        CandidatePair p = session.selectedPair();
        return p != null && p.remoteAddress().equals(sender) || admission.isValid(sender);
    }

    RemoteAdmission admission() {
        return admission;
    }

    /** Hands a datagram, retained for the reader, to the subscriber or the buffer; counted and released if full. */
    void deliver(ByteBuf data) {
        if (!inbox.offer(data)) {
            DROPPED.incrementAndGet(this);
        }
    }

    /** Held datagrams that were released without being delivered. */
    void countDropped(int n) {
        if (n > 0) {
            DROPPED.addAndGet(this, n);
        }
    }

    void close() {
        inbox.close();
    }

    /**
     * At most {@code capacity} elements, held in Reactor's linked SPSC queue, which grows and shrinks
     * in chunks of 16 slots instead of allocating all its slots up front, and is made by the first
     * offer: an idle session that never received data holds no chunk at all, one that did holds one
     * rather than {@value #RECEIVE_BUFFER} slots. One producer and one consumer at a time (as
     * {@link Inbox}'s lock guarantees); only the producer makes the queue, and the consumer sees it
     * through the volatile field.
     */
    static final class BoundedQueue<T> extends AbstractQueue<T> {
        private volatile Queue<T> queue; // made by the first offer
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<BoundedQueue> SIZE =
                AtomicIntegerFieldUpdater.newUpdater(BoundedQueue.class, "size");
        private volatile int size; // through SIZE
        private final int capacity;

        BoundedQueue(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public boolean offer(T t) {
            if (size >= capacity) {
                return false;
            }
            Queue<T> q = queue;
            if (q == null) {
                q = Queues.<T>unbounded(16).get();
                queue = q;
            }
            SIZE.incrementAndGet(this);
            return q.offer(t);
        }

        @Override
        public T poll() {
            Queue<T> q = queue;
            T t = q == null ? null : q.poll();
            if (t != null) {
                SIZE.decrementAndGet(this);
            }
            return t;
        }

        @Override
        public T peek() {
            Queue<T> q = queue;
            return q == null ? null : q.peek();
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean isEmpty() {
            Queue<T> q = queue;
            return q == null || q.isEmpty();
        }

        @Override
        public Iterator<T> iterator() {
            Queue<T> q = queue;
            return q == null ? Collections.emptyIterator() : q.iterator();
        }
    }
}
