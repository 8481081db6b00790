package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An in-process datagram network for deterministic session tests: every delivery is a task on the
 * given scheduler (a virtual-time one in tests) after a fixed latency; datagrams may be lost at
 * random (seeded) or blocked by a rule. Ports are assigned from 40000 up when 0 is asked for.
 */
final class InMemoryNetwork implements PacketTransport {
    /** One datagram put on the wire, with the virtual instant it was sent. */
    record Sent(long atNanos, InetSocketAddress from, InetSocketAddress to, byte[] data) {
    }

    private final Scheduler scheduler;
    private final long latencyNanos;
    private final Map<InetSocketAddress, PacketSocket.Receiver> bound = new ConcurrentHashMap<>();
    private final Random random = new Random(1);
    private volatile double loss;
    private volatile Predicate<Sent> blocked = s -> false;
    private int nextPort = 40_000;
    final List<Sent> sent = new CopyOnWriteArrayList<>();

    InMemoryNetwork(Scheduler scheduler, long latencyNanos) {
        this.scheduler = scheduler;
        this.latencyNanos = latencyNanos;
    }

    InMemoryNetwork loss(double probability) {
        this.loss = probability;
        return this;
    }

    InMemoryNetwork block(Predicate<Sent> rule) {
        this.blocked = rule;
        return this;
    }

    @Override
    public synchronized Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        InetSocketAddress address = local.getPort() == 0 ? new InetSocketAddress(local.getAddress(), nextPort++) : local;
        if (bound.putIfAbsent(address, receiver) != null) {
            return Mono.error(new IllegalStateException(address + " is in use"));
        }
        return Mono.just(new Socket(address));
    }

    private final class Socket implements PacketSocket {
        private final InetSocketAddress local;
        private volatile boolean disposed;

        Socket(InetSocketAddress local) {
            this.local = local;
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public void send(ByteBuf data, InetSocketAddress to) {
            byte[] bytes = new byte[data.readableBytes()];
            data.getBytes(data.readerIndex(), bytes);
            data.release();
            Sent s = new Sent(scheduler.now(TimeUnit.NANOSECONDS), local, to, bytes);
            sent.add(s);
            if (disposed || blocked.test(s) || (loss > 0 && random.nextDouble() < loss)) {
                return;
            }
            scheduler.schedule(() -> {
                PacketSocket.Receiver receiver = bound.get(to);
                if (receiver != null) {
                    ByteBuf copy = Unpooled.wrappedBuffer(bytes);
                    try {
                        receiver.onPacket(copy, local);
                    } finally {
                        copy.release();
                    }
                }
            }, latencyNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void dispose() {
            disposed = true;
            bound.remove(local);
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }
}
