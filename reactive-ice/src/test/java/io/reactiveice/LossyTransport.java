package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/** Real sockets that drop a share of what they send, at random (seeded): loss injected in the transport. */
final class LossyTransport implements PacketTransport {
    private final PacketTransport inner = PacketTransport.udp();
    private final double loss;
    private final SplittableRandom random;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    LossyTransport(double loss, long seed) {
        this.loss = loss;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        return inner.bind(local, receiver).map(socket -> new PacketSocket() {
            @Override
            public InetSocketAddress localAddress() {
                return socket.localAddress();
            }

            @Override
            public void send(ByteBuf data, InetSocketAddress to) {
                sent.incrementAndGet();
                boolean drop;
                synchronized (random) { // test code: sends come from several threads
                    drop = random.nextDouble() < loss;
                }
                if (drop) {
                    dropped.incrementAndGet();
                    data.release();
                } else {
                    socket.send(data, to);
                }
            }

            @Override
            public void dispose() {
                socket.dispose();
            }

            @Override
            public boolean isDisposed() {
                return socket.isDisposed();
            }
        });
    }
}
