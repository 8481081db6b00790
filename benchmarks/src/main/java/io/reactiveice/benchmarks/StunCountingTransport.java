package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Real UDP (a {@link PacketTransport#udp} transport) with counters on the STUN Binding traffic, for the shared
 * port of {@link SharedPortScaleBenchmark}: requests received, in all and per source (each driver agent
 * has a socket of its own, so that is per session), and responses sent. A source is the port and the
 * driver's address: driver {@code d} of {@code drivers} sends from {@code 127.0.0.(d + 1)}, so that each
 * driver has a port space of its own ({@link #sourceKey}). The counters are allocated up front, so they
 * are part of the heap baseline.
 *
 * <p>Between {@link #trackAnswers()} and {@link #stopTracking()} it also counts, per source, the
 * Binding requests received, and crosses one off for each success response sent to that port while
 * some are outstanding: what is left, once the responses in flight at the window's end have gone out,
 * is the requests that really went unanswered (a session answers its requests in order, one at a
 * time). Comparing the two totals over the window instead would count, at each edge, a request whose
 * answer falls on the other side of it. Two integer increments per request and no allocation: the
 * counting is part of the service's CPU that the benchmark measures (a map of transaction ids, as
 * before, cost about a tenth of the event loop's samples).
 */
final class StunCountingTransport implements PacketTransport {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;

    private final PacketTransport delegate;
    private final int sources;
    final AtomicIntegerArray requestsBySource;
    final LongAdder requests = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder otherSent = new LongAdder();
    private final AtomicIntegerArray trackedRequests;
    private final AtomicIntegerArray trackedAnswers;
    private volatile boolean tracking;

    /**
     * @param delegate the real transport
     * @param drivers how many driver addresses ({@code 127.0.0.1} up to {@code 127.0.0.drivers}) are told apart
     */
    StunCountingTransport(PacketTransport delegate, int drivers) {
        this.delegate = delegate;
        this.sources = drivers * 65_536;
        this.requestsBySource = new AtomicIntegerArray(sources);
        this.trackedRequests = new AtomicIntegerArray(sources);
        this.trackedAnswers = new AtomicIntegerArray(sources);
    }

    /**
     * The counters' index of a source: its port, plus 65,536 times the driver number that its address
     * {@code 127.0.0.(d + 1)} names; any other address counts as driver 0's.
     */
    int sourceKey(InetSocketAddress source) {
        byte[] ip = source.getAddress().getAddress();
        int driver = ip.length == 4 && ip[0] == 127 ? (ip[3] & 0xff) - 1 : 0;
        int key = driver * 65_536 + source.getPort();
        return key >= 0 && key < sources ? key : source.getPort();
    }

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        return delegate.bind(local, (data, sender) -> {
            if (stunType(data) == BINDING_REQUEST) {
                requests.increment();
                int key = sourceKey(sender);
                requestsBySource.incrementAndGet(key);
                if (tracking) {
                    trackedRequests.incrementAndGet(key);
                }
            }
            receiver.onPacket(data, sender);
        }).map(Counting::new);
    }

    /** The STUN message type of a datagram, or -1 if it is not STUN (RFC 7983 first byte, magic cookie). */
    static int stunType(ByteBuf b) {
        int i = b.readerIndex();
        if (b.readableBytes() < 20 || b.getUnsignedByte(i) > 3 || b.getInt(i + 4) != MAGIC_COOKIE) {
            return -1;
        }
        return b.getUnsignedShort(i);
    }

    /** From now on, remembers each Binding request received until a success response to it is sent. */
    void trackAnswers() {
        for (int p = 0; p < sources; p++) {
            trackedRequests.set(p, 0);
            trackedAnswers.set(p, 0);
        }
        tracking = true;
    }

    /** Stops remembering new requests; those remembered are still crossed off when answered. */
    void stopTracking() {
        tracking = false;
    }

    /** How many requests received while tracking have had no success response sent (yet). */
    int awaitingAnswer() {
        int awaiting = 0;
        for (int p = 0; p < sources; p++) {
            awaiting += trackedRequests.get(p) - trackedAnswers.get(p);
        }
        return awaiting;
    }

    private void countSent(ByteBuf b, InetSocketAddress to) {
        if (stunType(b) == BINDING_SUCCESS) {
            successes.increment();
            int key = sourceKey(to);
            if (trackedAnswers.get(key) < trackedRequests.get(key)) {
                trackedAnswers.incrementAndGet(key);
            }
        } else {
            otherSent.increment();
        }
    }

    /** The bound socket, counting what goes out. */
    private final class Counting implements PacketSocket {
        private final PacketSocket socket;

        Counting(PacketSocket socket) {
            this.socket = socket;
        }

        @Override
        public InetSocketAddress localAddress() {
            return socket.localAddress();
        }

        @Override
        public void send(ByteBuf data, InetSocketAddress to) {
            countSent(data, to);
            socket.send(data, to);
        }

        @Override
        public void sendLater(ByteBuf data, InetSocketAddress to) {
            countSent(data, to);
            socket.sendLater(data, to);
        }

        @Override
        public java.util.Optional<java.util.concurrent.ScheduledExecutorService> eventLoop() {
            return socket.eventLoop();
        }

        @Override
        public void flush() {
            socket.flush();
        }

        @Override
        public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
            return socket.sendAll(Flux.from(data).doOnNext(b -> countSent(b, destination.apply(b))), destination);
        }

        @Override
        public void dispose() {
            socket.dispose();
        }

        @Override
        public boolean isDisposed() {
            return socket.isDisposed();
        }
    }
}
