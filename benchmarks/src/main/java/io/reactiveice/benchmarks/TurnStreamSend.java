package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnRelay;
import io.reactiveice.turn.TurnRelayAllocator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What a stream costs our TURN client against datagrams sent one by one: one allocation on a coturn
 * of 127.0.0.1 with a bound channel, {@code --datagrams} datagrams (default 200,000) of
 * {@code --length} bytes (default 100) to a sink on 127.0.0.1, sent either by one
 * {@code relay.send(buffer, peer)} call each from the main thread, or as one
 * {@code relay.send(peer, Flux)}, which goes through the socket's {@code sendAll} (batched writes,
 * {@code sendmmsg} on epoll). {@code --rounds} rounds (default 5), alternating the two.
 *
 * <p>Each row gives the client's CPU per datagram sent (this JVM's CPU minus the sink thread's), the
 * rate at the sink (datagrams received over the time from the first to the last) and the loss (sent
 * minus received: without a window, coturn or the kernel drop what they cannot take).
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.TurnStreamSend}
 */
public final class TurnStreamSend {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final long QUIET_NANOS = Duration.ofMillis(500).toNanos();

    private TurnStreamSend() {
    }

    /**
     * Runs the rounds and prints one line per run and the medians.
     *
     * @param args {@code --datagrams=N --length=N --rounds=N}
     */
    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        System.out.println("machine: " + BenchSupport.machine() + "; load average " + BenchSupport.loadAverage());
        measure(BenchSupport.intArg(args, "datagrams", 200_000), BenchSupport.intArg(args, "length", 100),
                BenchSupport.intArg(args, "rounds", 5), System.out);
    }

    /**
     * The whole program.
     *
     * @return the median client CPU per datagram one by one and as a stream (us), and the fewest
     *     datagrams any counted run delivered to the sink
     */
    static double[] measure(int datagrams, int length, int rounds, PrintStream out) throws IOException {
        try (Coturn coturn = Coturn.start(); Sink sink = new Sink()) {
            IceServer server = IceServer.parse("turn:127.0.0.1:" + coturn.address().getPort(), Coturn.USER,
                    Coturn.PASSWORD);
            TurnRelay relay = TurnRelayAllocator.create()
                    .localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).open(server)
                    .block(TIMEOUT);
            Mono<TurnEvent> bound = relay.events().filter(e -> e instanceof TurnEvent.ChannelBound).next()
                    .cache();
            bound.subscribe();
            relay.permit(sink.address()).block(TIMEOUT);
            relay.send(sink.address(), Flux.just(datagram(length))).block(TIMEOUT); // asks for the channel
            bound.block(TIMEOUT);
            List<Double> eachCpu = new ArrayList<>();
            List<Double> streamCpu = new ArrayList<>();
            double fewest = Double.MAX_VALUE;
            for (int r = 0; r <= rounds; r++) { // round 0 warms both ways up and is not counted
                for (boolean stream : new boolean[] {false, true}) {
                    double[] row = run(relay, sink, datagrams, length, stream);
                    out.printf(Locale.ROOT, "%s round %d %-6s: client CPU %.2f us per datagram, at the sink"
                            + " %,.0f datagrams/s, loss %.2f %%%n", r == 0 ? "warm-up" : "       ", r,
                            stream ? "stream" : "each", row[0], row[1], row[2]);
                    if (r > 0) {
                        (stream ? streamCpu : eachCpu).add(row[0]);
                        fewest = Math.min(fewest, row[3]);
                    }
                }
            }
            double[] medians = {BenchSupport.median(eachCpu), BenchSupport.median(streamCpu), fewest};
            out.printf(Locale.ROOT, "median client CPU per datagram: one by one %.2f us, as a stream %.2f us%n",
                    medians[0], medians[1]);
            relay.close().block(TIMEOUT);
            return medians;
        }
    }

    private static ByteBuf datagram(int length) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(length);
        return b.writeZero(length);
    }

    /** One run: client CPU in us per datagram, datagrams per second at the sink, loss in percent, received. */
    private static double[] run(TurnRelay relay, Sink sink, int n, int length, boolean stream) {
        sink.reset();
        long cpu0 = ScaleDriver.cpuNanos() - sink.cpuNanos();
        if (stream) {
            relay.send(sink.address(), Flux.range(0, n).map(i -> datagram(length))).block(TIMEOUT);
        } else {
            for (int i = 0; i < n; i++) {
                relay.send(datagram(length), sink.address());
            }
        }
        sink.awaitQuiet();
        long cpu = ScaleDriver.cpuNanos() - sink.cpuNanos() - cpu0;
        long received = sink.received.get();
        double seconds = (sink.last.get() - sink.first.get()) / 1e9;
        return new double[] {cpu / 1e3 / n, seconds > 0 ? received / seconds : 0, 100.0 * (n - received) / n, received};
    }

    /** A UDP sink on 127.0.0.1 with a thread of its own that counts what arrives and when. */
    private static final class Sink implements AutoCloseable {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        final AtomicLong received = new AtomicLong();
        final AtomicLong first = new AtomicLong();
        final AtomicLong last = new AtomicLong();
        private final DatagramChannel channel;
        private final Thread thread;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Sink() throws IOException {
            channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(this::receive, "sink");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long cpuNanos() {
            return THREADS.getThreadCpuTime(thread.getId());
        }

        void reset() {
            received.set(0);
            first.set(0);
            last.set(0);
        }

        /** Returns once nothing has arrived for half a second (a stopped sender, or a finished one). */
        void awaitQuiet() {
            long seen = -1;
            long since = System.nanoTime();
            while (System.nanoTime() - since < QUIET_NANOS) {
                long now = received.get();
                if (now != seen) {
                    seen = now;
                    since = System.nanoTime();
                }
                BenchSupport.pause(20);
            }
        }

        private void receive() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(2048);
            while (open.get()) {
                try {
                    buffer.clear();
                    channel.receive(buffer);
                    long now = System.nanoTime();
                    first.compareAndSet(0, now);
                    last.set(now);
                    received.incrementAndGet();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            open.set(false);
            channel.close();
        }
    }
}
