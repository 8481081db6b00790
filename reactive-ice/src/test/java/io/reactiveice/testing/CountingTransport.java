package io.reactiveice.testing;

import io.netty.buffer.ByteBuf;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Real UDP ({@link PacketTransport#udp()}) that counts every datagram each way per path (a local and
 * a remote address), the way the statistics name them: application datagrams (RFC 7983: first byte
 * 4 or more) and their bytes, STUN Binding requests and responses. What a test compares the session's
 * statistics with, packet for packet. Thread-safe; counts are taken as the datagram is handed to the
 * socket or by it, before anything else sees it.
 */
public final class CountingTransport implements PacketTransport {
    /** The counts of one direction of one path. */
    public static final class Counts {
        /** Application datagrams. */
        public final AtomicLong packets = new AtomicLong();
        /** Their bytes. */
        public final AtomicLong bytes = new AtomicLong();
        /** STUN Binding requests. */
        public final AtomicLong requests = new AtomicLong();
        /** STUN Binding responses, success or error. */
        public final AtomicLong responses = new AtomicLong();

        void count(ByteBuf b) {
            int n = b.readableBytes();
            int first = n == 0 ? -1 : b.getUnsignedByte(b.readerIndex());
            if (first >= 4) {
                packets.incrementAndGet();
                bytes.addAndGet(n);
            } else if (n >= 20) {
                int type = b.getUnsignedShort(b.readerIndex());
                if (type == 0x0001) {
                    requests.incrementAndGet();
                } else if (type == 0x0101 || type == 0x0111) {
                    responses.incrementAndGet();
                }
            }
        }
    }

    private record Key(InetSocketAddress local, InetSocketAddress remote) {
    }

    private final PacketTransport udp = PacketTransport.udp();
    private final Map<Key, Counts> sent = new ConcurrentHashMap<>();
    private final Map<Key, Counts> received = new ConcurrentHashMap<>();

    /** What was sent from {@code local} to {@code remote}. */
    public Counts sent(InetSocketAddress local, InetSocketAddress remote) {
        return sent.computeIfAbsent(new Key(local, remote), k -> new Counts());
    }

    /** What arrived at {@code local} from {@code remote}. */
    public Counts received(InetSocketAddress local, InetSocketAddress remote) {
        return received.computeIfAbsent(new Key(local, remote), k -> new Counts());
    }

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        Counted counted = new Counted();
        return udp.bind(local, (data, sender) -> {
            PacketSocket s = counted.socket;
            if (s != null) {
                received(s.localAddress(), sender).count(data);
            }
            receiver.onPacket(data, sender);
        }).map(socket -> {
            counted.socket = socket;
            return counted.wrap(socket);
        });
    }

    /** The socket a receiver belongs to, known once bound. */
    private final class Counted {
        volatile PacketSocket socket;

        PacketSocket wrap(PacketSocket socket) {
            return new PacketSocket() {
                @Override
                public InetSocketAddress localAddress() {
                    return socket.localAddress();
                }

                @Override
                public void send(ByteBuf data, InetSocketAddress to) {
                    sent(socket.localAddress(), to).count(data);
                    socket.send(data, to);
                }

                @Override
                public void send(ByteBuf data, InetSocketAddress to, Consumer<Throwable> onFailure) {
                    sent(socket.localAddress(), to).count(data);
                    socket.send(data, to, onFailure);
                }

                @Override
                public void sendLater(ByteBuf data, InetSocketAddress to) {
                    sent(socket.localAddress(), to).count(data);
                    socket.sendLater(data, to);
                }

                @Override
                public void flush() {
                    socket.flush();
                }

                @Override
                public Mono<Void> sendAll(Publisher<? extends ByteBuf> data,
                        Function<ByteBuf, InetSocketAddress> destination) {
                    return socket.sendAll(Flux.from(data)
                            .doOnNext(b -> sent(socket.localAddress(), destination.apply(b)).count(b)), destination);
                }

                @Override
                public Optional<ScheduledExecutorService> eventLoop() {
                    return socket.eventLoop();
                }

                @Override
                public void dispose() {
                    socket.dispose();
                }

                @Override
                public boolean isDisposed() {
                    return socket.isDisposed();
                }
            };
        }
    }
}
