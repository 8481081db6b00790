package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.candidate.TransportProtocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;

/**
 * Datagrams per second, one direction, on 127.0.0.1, through an ICE-TCP pair (<a
 * href="https://www.rfc-editor.org/rfc/rfc6544">RFC 6544</a>: two sessions with {@code udpCandidates(false)},
 * {@code tcpCandidates(true)}, so the selected pair is an active/passive TCP pair) beside plain Reactor
 * Netty TCP between a {@code TcpClient} and a {@code TcpServer} with the same framing (RFC 4571: a
 * 16-bit length before each datagram, Netty's {@link LengthFieldPrepender} and
 * {@link LengthFieldBasedFrameDecoder}: {@code plain-tcp}), {@code TCP_NODELAY} on both as the library sets
 * it, in the same run, round-robin, for each datagram size ({@code --sizes}, default 100 and 1000 bytes).
 * The library writes a datagram of up to 2,048 bytes as one buffer behind its length (a copy) rather than
 * two buffers as {@code LengthFieldPrepender} does, so {@code plain-tcp-1buf} is the plain link with that
 * same framing: ICE against it shows what ICE itself costs, against {@code plain-tcp} what a user gains
 * over the obvious Netty pipeline.
 *
 * <p>TCP loses nothing: the sender is held back by the connection's writability (Reactor Netty's
 * {@code send} of an endless {@code Flux}, which {@code IceConnection.send} uses too), so the sent and
 * received rates agree and the figure is what one sender and one receiver reach together. Each window
 * prints the sender's and receiver's threads (Reactor Netty's TCP loops) and, for ICE, the selected pair.
 *
 * <p>Placement: Reactor Netty hands out its TCP loops in turn, so the two connections of a link may share
 * one loop (for the ICE pair, about one time in four here; never for the plain link, whose two ends are
 * set up back to back). One loop then runs sender and receiver and the window measures that, not the
 * path. With {@code --placement=split} (the default) such a window is printed, not counted, and the link
 * is set up afresh (up to 4 times); {@code --placement=any} counts every window.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.TcpThroughputBenchmark
 * --rounds=12 --warmup=1 --seconds=2 --sizes=100,1000}
 */
public final class TcpThroughputBenchmark {
    /** How often a link is set up afresh, with {@code --placement=split}, until sender and receiver are on two loops. */
    private static final int MAX_ATTEMPTS = 4;

    private TcpThroughputBenchmark() {
    }

    /**
     * Runs both links for every size and round, prints each window, then medians and per-round ratios.
     *
     * @param args {@code --rounds=N}, {@code --warmup=S}, {@code --seconds=S}, {@code --sizes=A,B},
     *     {@code --links=plain-tcp,plain-tcp-1buf,ice-tcp} (which to run), {@code --placement=split|any},
     *     {@code --quiet=C}: the CPU (in cores) other processes may take for a window to count as quiet
     */
    public static void main(String[] args) {
        BenchSupport.quietLogging();
        int rounds = BenchSupport.intArg(args, "rounds", 12);
        int warmup = BenchSupport.intArg(args, "warmup", 1);
        int seconds = BenchSupport.intArg(args, "seconds", 2);
        double quiet = Double.parseDouble(BenchSupport.stringArg(args, "quiet", "0.25"));
        List<Integer> sizes = new ArrayList<>();
        for (String s : BenchSupport.stringArg(args, "sizes", "100,1000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        System.out.println("TcpThroughputBenchmark: datagrams of " + sizes + " bytes on 127.0.0.1 over TCP (RFC 4571"
                + " framing), one way; " + rounds + " rounds of " + warmup + " s warm-up + " + seconds + " s measured per link");
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("epoll: " + BenchSupport.epollStatus());
        System.out.println("load average before: " + BenchSupport.loadAverage());
        Map<String, Supplier<ThroughputBenchmark.Link>> links = new LinkedHashMap<>();
        links.put("plain-tcp", () -> new PlainTcpLink(() -> new LengthFieldPrepender(2)));
        links.put("plain-tcp-1buf", () -> new PlainTcpLink(OneBufferFrames::new));
        links.put("ice-tcp", () -> new ThroughputBenchmark.IceLink(a -> a.udpCandidates(false).tcpCandidates(true), () -> { }));
        List<String> only = List.of(BenchSupport.stringArg(args, "links", "plain-tcp,plain-tcp-1buf,ice-tcp").split(","));
        links.keySet().retainAll(only); // e.g. one link alone under a profiler
        boolean split = !"any".equals(BenchSupport.stringArg(args, "placement", "split"));
        int discarded = 0;
        List<ThroughputBenchmark.Window> windows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int size : sizes) {
                for (Map.Entry<String, Supplier<ThroughputBenchmark.Link>> e : links.entrySet()) {
                    String name = e.getKey() + "-" + size;
                    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                        try (ThroughputBenchmark.Link link = e.getValue().get()) {
                            String path = link instanceof ThroughputBenchmark.IceLink ice ? "; selected " + tcpOnly(ice) : "";
                            ThroughputBenchmark.Window w = ThroughputBenchmark.measure(name, link, size, warmup, seconds);
                            boolean retry = split && w.oneLoop() && attempt < MAX_ATTEMPTS;
                            System.out.printf(Locale.ROOT, "round %d %-14s sent %,10.0f/s  received %,10.0f/s  (%,.1f MB/s)"
                                    + "  other processes %.2f cores  load %s%s%n      %s%s%n", round, name, w.sentPerSecond(),
                                    w.receivedPerSecond(), w.receivedPerSecond() * size / 1e6, w.othersCores(),
                                    BenchSupport.loadAverage(), retry ? "  (one loop: not counted, again)" : "",
                                    w.threads(), path);
                            if (retry) {
                                discarded++;
                                continue;
                            }
                            windows.add(w);
                            break;
                        }
                    }
                }
            }
        }
        System.out.println("placement: " + (split ? "split (" + discarded + " windows with sender and receiver on one loop"
                + " measured again on a fresh link)" : "any"));
        summarize(sizes, windows, quiet);
        System.out.println("load average after: " + BenchSupport.loadAverage());
    }

    /** The selected pair, after checking that it is a TCP pair (else the run measures the wrong thing). */
    private static String tcpOnly(ThroughputBenchmark.IceLink link) {
        CandidatePair pair = link.selectedPair();
        if (pair == null || pair.local().transport() != TransportProtocol.TCP) {
            throw new IllegalStateException("the selected pair is not a TCP pair: " + pair);
        }
        return pair + " (" + pair.local().tcpType() + " to " + pair.remote().tcpType() + ")";
    }

    private static void summarize(List<Integer> sizes, List<ThroughputBenchmark.Window> all, double quiet) {
        System.out.println();
        System.out.println("medians of received datagrams/s over all rounds (windows with other processes under " + quiet
                + " cores in brackets):");
        for (int size : sizes) {
            for (String link : List.of("plain-tcp", "plain-tcp-1buf", "ice-tcp")) {
                if (all.stream().noneMatch(x -> x.link().equals(link + "-" + size))) {
                    continue;
                }
                String name = link + "-" + size;
                List<ThroughputBenchmark.Window> w = all.stream().filter(x -> x.link().equals(name)).toList();
                List<ThroughputBenchmark.Window> calm = w.stream().filter(x -> x.othersCores() < quiet).toList();
                System.out.printf(Locale.ROOT, "  %-14s %,10.0f/s  [%,10.0f/s, %d of %d windows]%n", name,
                        median(w), median(calm), calm.size(), w.size());
            }
        }
        System.out.println("per-round ratios of received rates (both windows of the same round, quiet ones marked *):");
        for (int size : sizes) {
            ThroughputBenchmark.ratio(all, "ice-tcp-" + size, "plain-tcp-" + size, quiet);
            ThroughputBenchmark.ratio(all, "ice-tcp-" + size, "plain-tcp-1buf-" + size, quiet);
        }
    }

    private static double median(List<ThroughputBenchmark.Window> windows) {
        return BenchSupport.median(windows.stream().map(ThroughputBenchmark.Window::receivedPerSecond).toList());
    }

    /**
     * RFC 4571 framing as the library writes it: a datagram of up to 2,048 bytes copied behind its length
     * into one buffer, a longer one behind a 2-byte buffer of its own (the library's {@code FrameEncoder}
     * is not public, so the baseline has its own, the same).
     */
    static final class OneBufferFrames extends MessageToMessageEncoder<ByteBuf> {
        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf data, List<Object> out) {
            int n = data.readableBytes();
            if (n <= 2_048) {
                out.add(ctx.alloc().ioBuffer(2 + n).writeShort(n).writeBytes(data, data.readerIndex(), n));
            } else {
                out.add(ctx.alloc().ioBuffer(2).writeShort(n));
                out.add(data.retain());
            }
        }
    }

    /**
     * Plain Reactor Netty TCP on loopback: a client sends RFC 4571 frames to a server that counts them,
     * framed by {@code encoder} (Netty's {@link LengthFieldPrepender}, or {@link OneBufferFrames}).
     */
    static final class PlainTcpLink implements ThroughputBenchmark.Link {
        private final LongAdder received = new LongAdder();
        private final AtomicReference<String> first = new AtomicReference<>();
        private final AtomicReference<String> thread = new AtomicReference<>();
        private final DisposableServer server;
        private final Connection client;

        PlainTcpLink(Supplier<ChannelHandler> encoder) {
            this.server = TcpServer.create().bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .doOnConnection(c -> c.addHandlerLast(new LengthFieldBasedFrameDecoder(0xFFFF, 0, 2, 0, 2)))
                    .handle((in, out) -> in.receive().doOnNext(frame -> {
                        ThroughputBenchmark.noteFirst(first, thread, frame);
                        received.increment();
                    }).then())
                    .bindNow();
            this.client = TcpClient.create().bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
                    .remoteAddress(server::address).option(ChannelOption.TCP_NODELAY, true)
                    .doOnConnected(c -> c.addHandlerLast(encoder.get()))
                    .connectNow();
        }

        @Override
        public Mono<Void> send(Flux<ByteBuf> datagrams) {
            return client.outbound().send(datagrams).then();
        }

        @Override
        public long received() {
            return received.sum();
        }

        @Override
        public String firstBuffer() {
            return String.valueOf(first.get());
        }

        @Override
        public String receiverThread() {
            return thread.get();
        }

        @Override
        public void close() {
            client.disposeNow();
            server.disposeNow();
        }
    }
}
