package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Real UDP (a {@link PacketTransport#udp} transport) with counters on the STUN Binding traffic, for the shared
 * port of {@link SharedPortScaleBenchmark}: requests received, in all and per source port (each
 * driver agent has a port of its own, so that is per session), and responses sent. The counters
 * are allocated up front, so they are part of the heap baseline.
 *
 * <p>Between {@link #trackAnswers()} and {@link #stopTracking()} it also remembers the transaction id of
 * every Binding request received, and forgets it when a success response with that id is sent: what is
 * left, once the responses in flight at the window's end have gone out, is the requests that really went
 * unanswered. Comparing the two counters over the window instead would count, at each edge, a request
 * whose answer falls on the other side of it.
 */
final class StunCountingTransport implements PacketTransport {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_SUCCESS = 0x0101;

    private final PacketTransport delegate;
    final AtomicIntegerArray requestsBySourcePort = new AtomicIntegerArray(65_536);
    final LongAdder requests = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder otherSent = new LongAdder();
    private final Map<TransactionId, Boolean> awaitingAnswer = new ConcurrentHashMap<>();
    private volatile boolean tracking;

    StunCountingTransport(PacketTransport delegate) {
        this.delegate = delegate;
    }

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        return delegate.bind(local, (data, sender) -> {
            if (stunType(data) == BINDING_REQUEST) {
                requests.increment();
                requestsBySourcePort.incrementAndGet(sender.getPort());
                if (tracking) {
                    awaitingAnswer.put(transactionId(data), Boolean.TRUE);
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
        awaitingAnswer.clear();
        tracking = true;
    }

    /** Stops remembering new requests; those remembered are still crossed off when answered. */
    void stopTracking() {
        tracking = false;
    }

    /** How many requests received while tracking have had no success response sent (yet). */
    int awaitingAnswer() {
        return awaitingAnswer.size();
    }

    private static TransactionId transactionId(ByteBuf b) {
        int i = b.readerIndex();
        return new TransactionId(b.getLong(i + 8), b.getInt(i + 16));
    }

    private void countSent(ByteBuf b) {
        if (stunType(b) == BINDING_SUCCESS) {
            successes.increment();
            if (!awaitingAnswer.isEmpty()) {
                awaitingAnswer.remove(transactionId(b));
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
            countSent(data);
            socket.send(data, to);
        }

        @Override
        public void sendLater(ByteBuf data, InetSocketAddress to) {
            countSent(data);
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
            return socket.sendAll(Flux.from(data).doOnNext(StunCountingTransport.this::countSent), destination);
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
