package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The round trip to the echo peer without a relay: one socket of the library's own transport
 * ({@link PacketTransport#udp()}, the one a relay's socket uses) on 127.0.0.1, one datagram in flight,
 * the next sent from the I/O thread as soon as the echo of the last has arrived. What a relay adds is
 * its round trip minus this one.
 */
final class DirectPing {
    private DirectPing() {
    }

    /**
     * Pings the peer {@code pings} times with datagrams of {@code length} bytes.
     *
     * @return the round trips, sorted, in nanoseconds (fewer than asked if one got lost)
     */
    static long[] run(InetSocketAddress peer, int pings, int length) {
        long[] rtt = new long[pings];
        AtomicInteger done = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(1);
        PacketSocket[] socket = new PacketSocket[1];
        PacketSocket.Receiver receiver = (data, sender) -> {
            int i = done.get();
            if (i < pings && data.readableBytes() >= 8 && data.getInt(data.readerIndex()) == i) {
                rtt[i] = Math.max(1, System.nanoTime() - data.getLong(data.readerIndex() + 4));
                done.set(i + 1);
                if (i + 1 < pings) {
                    ping(socket[0], peer, i + 1, length);
                } else {
                    finished.countDown();
                }
            }
        };
        socket[0] = PacketTransport.udp().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), receiver)
                .block(Duration.ofSeconds(10));
        try {
            ping(socket[0], peer, 0, length);
            finished.await(10 + pings / 1_000L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket[0].dispose();
        }
        long[] measured = Arrays.copyOf(rtt, done.get());
        Arrays.sort(measured);
        return measured;
    }

    private static void ping(PacketSocket socket, InetSocketAddress peer, int i, int length) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(length);
        b.writeInt(i).writeLong(System.nanoTime()).writeZero(length - 12);
        socket.send(b, peer);
    }
}
