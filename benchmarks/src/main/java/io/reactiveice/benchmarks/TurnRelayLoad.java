package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactiveice.IceServer;
import io.reactiveice.turn.TurnDatagram;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnRelay;
import io.reactiveice.turn.TurnRelayAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * Our TURN client under load: relays opened with {@link TurnRelayAllocator#open(IceServer)} on one
 * coturn, each with a permission and a channel bound to the echo peer (RFC 8656 sections 9 and 12),
 * then numbered datagrams sent with {@link TurnRelay#send} as ChannelData and their echoes read from
 * {@link TurnRelay#receive()}, each timed.
 *
 * <p>Every datagram carries the run's id, its sequence number and {@code System.nanoTime()} at
 * sending in its first 16 bytes; the echo's arrival, on the relay's I/O thread, gives its round trip.
 * Echoes of another run, duplicates and late arrivals count as strays, not as received.
 */
final class TurnRelayLoad implements AutoCloseable {
    /** The first bytes of every datagram: run id, sequence number, send time. */
    static final int HEADER = 16;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final List<Endpoint> endpoints;

    private TurnRelayLoad(List<Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    /** How the datagrams are sent. */
    sealed interface Pacing {
        /**
         * At most {@code size} datagrams of each relay in flight: the echo of one lets the next go,
         * sent from the relay's I/O thread, so no socket buffer on the way can overflow.
         */
        record Window(int size) implements Pacing {
        }

        /**
         * {@code burst} datagrams per relay every {@code period} from a thread of its own, whether or
         * not echoes came back: {@code turnutils_uclient}'s way. Like its timer, a late tick sends one
         * burst, not the bursts it missed.
         */
        record Bursts(int burst, Duration period) implements Pacing {
        }
    }

    /**
     * One run over all relays.
     *
     * @param sent datagrams sent
     * @param received echoes received
     * @param strays echoes that were not expected (duplicates, another run's)
     * @param seconds from the first send to the last echo
     * @param rtt the round trips of the received datagrams, sorted, in nanoseconds
     */
    record Result(long sent, long received, long strays, double seconds, long[] rtt) {
        /** Echoes received per second, from the first send to the last echo. */
        double perSecond() {
            return seconds > 0 ? received / seconds : Double.NaN;
        }
    }

    /**
     * Opens {@code relays} relays, permits the peer on each and binds a channel to it: the first
     * datagram to a peer goes as a Send indication and asks for the channel; the load starts only
     * when {@link TurnEvent.ChannelBound} has arrived and that datagram's echo with it. Blocks.
     */
    static TurnRelayLoad open(IceServer server, InetSocketAddress peer, int relays) {
        TurnRelayAllocator allocator =
                TurnRelayAllocator.create().localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        List<Endpoint> endpoints = new ArrayList<>();
        TurnRelayLoad load = new TurnRelayLoad(endpoints);
        try {
            for (int i = 0; i < relays; i++) {
                TurnRelay relay = allocator.open(server).block(TIMEOUT);
                Endpoint e = new Endpoint(relay, peer);
                endpoints.add(e);
                CompletableFuture<TurnEvent> bound = relay.events()
                        .filter(ev -> ev instanceof TurnEvent.ChannelBound b && b.peer().equals(peer))
                        .next().toFuture();
                relay.permit(peer).block(TIMEOUT);
                Phase probe = new Phase(RUNS.incrementAndGet(), 1, HEADER, false);
                e.phase = probe;
                e.sendNext(probe);
                bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                awaitEchoes(List.of(probe), TIMEOUT);
                if (probe.received.get() != 1) {
                    throw new IllegalStateException("no echo through " + relay + " (the relay dropped "
                            + relay.dropped() + " datagrams, " + probe.strays.get() + " strays)");
                }
            }
            return load;
        } catch (Exception e) {
            load.close();
            throw new IllegalStateException("could not set up " + relays + " relays through " + server, e);
        }
    }

    /**
     * Sends {@code datagrams} datagrams of {@code length} bytes through every relay and waits for the
     * echoes, until all are back or none has come for {@code stall}.
     */
    Result run(int datagrams, int length, Pacing pacing, Duration stall) {
        if (length < HEADER) {
            throw new IllegalArgumentException("length must be at least " + HEADER + " but was " + length);
        }
        int id = RUNS.incrementAndGet();
        boolean windowed = pacing instanceof Pacing.Window;
        List<Phase> phases = new ArrayList<>();
        for (Endpoint e : endpoints) {
            Phase p = new Phase(id, datagrams, length, windowed);
            e.phase = p;
            phases.add(p);
        }
        long start = System.nanoTime();
        Thread pacer = null;
        if (pacing instanceof Pacing.Window w) {
            for (int i = 0; i < w.size(); i++) {
                for (int k = 0; k < endpoints.size(); k++) {
                    endpoints.get(k).sendNext(phases.get(k));
                }
            }
        } else if (pacing instanceof Pacing.Bursts b) {
            pacer = new Thread(() -> bursts(phases, b), "turn-bench-pacer");
            pacer.setDaemon(true);
            pacer.start();
        }
        try {
            awaitEchoes(phases, stall);
        } finally {
            endpoints.forEach(e -> e.phase = null);
            if (pacer != null) {
                pacer.interrupt();
            }
        }
        return result(phases, start);
    }

    /** Sends a burst per relay on every tick until every phase has sent all, or the thread is interrupted. */
    private void bursts(List<Phase> phases, Pacing.Bursts b) {
        long period = b.period().toNanos();
        long next = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()
                && phases.stream().anyMatch(p -> p.claimed.get() < p.total)) {
            for (int k = 0; k < endpoints.size(); k++) {
                for (int i = 0; i < b.burst(); i++) {
                    endpoints.get(k).sendNext(phases.get(k));
                }
            }
            next = Math.max(next + period, System.nanoTime()); // late: no catching up
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    private static Result result(List<Phase> phases, long start) {
        long sent = 0;
        long received = 0;
        long strays = 0;
        long last = start;
        int n = 0;
        for (Phase p : phases) {
            sent += Math.min(p.claimed.get(), p.total);
            received += p.received.get();
            strays += p.strays.get();
            last = Math.max(last, p.lastEcho);
        }
        long[] rtt = new long[(int) received];
        for (Phase p : phases) {
            for (long r : p.rtt) {
                if (r > 0 && n < rtt.length) {
                    rtt[n++] = r;
                }
            }
        }
        long[] sorted = Arrays.copyOf(rtt, n);
        Arrays.sort(sorted);
        return new Result(sent, received, strays, (last - start) / 1e9, sorted);
    }

    /** Waits until every phase has all its echoes, or none came for {@code stall}. */
    private static void awaitEchoes(List<Phase> phases, Duration stall) {
        long seen = -1;
        long since = System.nanoTime();
        long expected = phases.stream().mapToLong(p -> p.total).sum();
        while (true) {
            long got = phases.stream().mapToLong(p -> p.received.get()).sum();
            if (got >= expected) {
                return;
            }
            long now = System.nanoTime();
            if (got != seen) {
                seen = got;
                since = now;
            } else if (now - since > stall.toNanos()) {
                return;
            }
            BenchSupport.pause(2);
        }
    }

    /** The local ports of the relays' sockets (their mapped addresses: the same on loopback). */
    Set<Integer> localPorts() {
        return endpoints.stream().map(e -> e.relay.mappedAddress().getPort()).collect(Collectors.toSet());
    }

    /** How many datagrams the relays dropped on receipt (malformed, unknown channel, not authentic). */
    long dropped() {
        return endpoints.stream().mapToLong(e -> e.relay.dropped()).sum();
    }

    /** Deletes every allocation and waits for coturn's answers. */
    @Override
    public void close() {
        for (Endpoint e : endpoints) {
            e.reading.dispose();
            e.relay.close().block(TIMEOUT);
        }
    }

    /** One run's bookkeeping on one relay. */
    private static final class Phase {
        final int id;
        final int total;
        final int length;
        final boolean windowed;
        final long[] rtt; // written on the relay's I/O thread before received is incremented
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicLong strays = new AtomicLong();
        volatile long lastEcho;

        Phase(int id, int total, int length, boolean windowed) {
            this.id = id;
            this.total = total;
            this.length = length;
            this.windowed = windowed;
            this.rtt = new long[total];
        }
    }

    /** One relay, its reader and the run it is in. */
    private static final class Endpoint {
        final TurnRelay relay;
        final InetSocketAddress peer;
        final Disposable reading;
        volatile Phase phase;

        Endpoint(TurnRelay relay, InetSocketAddress peer) {
            this.relay = relay;
            this.peer = peer;
            this.reading = relay.receive().subscribe(this::onEcho);
        }

        /** Sends the phase's next datagram, if any is left; from any thread. */
        void sendNext(Phase p) {
            int seq = p.claimed.getAndIncrement();
            if (seq >= p.total) {
                return;
            }
            ByteBuf b = ByteBufAllocator.DEFAULT.buffer(p.length);
            b.writeInt(p.id).writeInt(seq).writeLong(System.nanoTime()).writeZero(p.length - HEADER);
            relay.send(b, peer); // releases b
        }

        /** On the relay's I/O thread. */
        private void onEcho(TurnDatagram d) {
            long now = System.nanoTime();
            Phase p = phase;
            ByteBuf c = d.content();
            boolean counted = false;
            try {
                int at = c.readerIndex();
                if (p != null && c.readableBytes() >= HEADER && c.getInt(at) == p.id) {
                    int seq = c.getInt(at + 4);
                    if (seq >= 0 && seq < p.total && p.rtt[seq] == 0) {
                        p.rtt[seq] = Math.max(1, now - c.getLong(at + 8));
                        p.lastEcho = now;
                        p.received.incrementAndGet();
                        counted = true;
                    }
                }
                if (!counted && p != null) {
                    p.strays.incrementAndGet();
                }
            } finally {
                c.release();
            }
            if (counted && p.windowed) {
                sendNext(p);
            }
        }
    }
}
