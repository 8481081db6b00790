package io.reactiveice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Sends numbered datagrams over one {@link IceConnection} and checks that the other received every
 * one exactly once. Windows keep the receiving socket's buffer from overflowing on loopback, so a
 * loss means the library lost something, not the kernel.
 */
public final class DatagramTransfer {
    private DatagramTransfer() {
    }

    /**
     * Sends {@code total} datagrams tagged {@code tag} in windows of {@code window}, waiting for each
     * window to arrive, and asserts none was lost or duplicated.
     *
     * @return what arrived, in the order it arrived (a transport that keeps order can be checked with it)
     * @param from the sending side
     * @param to the receiving side (its {@code receive()} must not have a subscriber)
     * @param tag marks this transfer's datagrams
     * @param total how many
     * @param window how many at a time
     * @param timeout the bound of every wait
     */
    public static List<String> transfer(IceConnection from, IceConnection to, String tag, int total, int window,
            Duration timeout) {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        Disposable reading = to.receive().subscribe(buf -> {
            try {
                received.add(buf.toString(StandardCharsets.US_ASCII));
            } finally {
                buf.release();
            }
        });
        try {
            for (int start = 0; start < total; start += window) {
                int first = start;
                int count = Math.min(window, total - start);
                from.send(Flux.range(first, count).map(i -> datagram(tag, i))).block(timeout);
                int expected = first + count;
                Await.until(() -> received.size() >= expected, timeout);
            }
            List<String> all = new ArrayList<>(received);
            assertThat(all).hasSize(total).doesNotHaveDuplicates();
            assertThat(all).allMatch(s -> s.startsWith("data " + tag + " "));
            return all;
        } finally {
            reading.dispose();
        }
    }

    /** One numbered datagram of a transfer: lower-case ASCII, outside every RFC 7983 range. */
    public static ByteBuf datagram(String tag, int i) {
        return Unpooled.copiedBuffer("data " + tag + " " + i + " " + ".".repeat(60), StandardCharsets.US_ASCII);
    }
}
