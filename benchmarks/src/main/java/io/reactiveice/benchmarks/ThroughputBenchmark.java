package io.reactiveice.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.udp.UdpResources;
import reactor.netty.udp.UdpServer;

/**
 * Datagrams per second, one direction, 100-byte datagrams on 127.0.0.1, through {@link IceConnection}
 * beside plain Reactor Netty UDP between two bound {@code UdpServer}s, in the same run and on the
 * same event loop transport (Reactor Netty's default UDP loops: epoll where it loads, NIO with
 * {@code -Dreactor.netty.native=false}).
 *
 * <p>The sender writes as fast as Reactor Netty accepts ({@code outbound().sendObject} of an endless
 * {@code Flux}, the same pipeline {@code IceConnection.send} uses); the receiver counts. UDP drops
 * what the receiving socket cannot take, so both rates are reported, with the kernel's own count of
 * receive-buffer drops ({@code /proc/net/snmp}, system-wide). On a shared machine the rates swing with
 * other processes' load, so each window also reports the CPU other processes took during it
 * ({@code /proc/stat} minus this JVM), and the summary is given over all windows and over the quiet
 * ones ({@code --quiet}, default under 0.25 cores).
 *
 * <p><b>Event loops.</b> Sender and receiver must not share an event loop: an endless send keeps
 * that loop's task queue from ever emptying, and Netty 4.2 then polls the loop's sockets only once
 * per {@code io.netty.eventLoop.maxTaskProcessingQuantumMs} (default 1 s), so the receiver would see
 * about 16 datagrams per second (one read of 16 messages per poll). With Reactor Netty 1.3.7 on
 * epoll every {@code UdpServer.bind()} advances the loop group's round-robin twice (once to pick the
 * loop, once in {@code IoEventLoopGroup.isCompatible} while detecting the transport), so with 2 UDP
 * loops (the default on 2 cores) every socket of the process lands on the same loop. By default ({@code --placement=split}) the benchmark probes this and,
 * where consecutive binds share a loop, advances the group once between the two binds of a link;
 * every window prints the sender's and the receiver's thread. {@code --placement=default} leaves
 * placement alone, to show the effect.
 *
 * <p>Links, measured round-robin for {@code --rounds} rounds (default 12) so that a change of machine
 * load hits them alike; each gets a fresh pair of sockets or sessions, {@code --warmup} s (default 1)
 * of sending, then {@code --seconds} s (default 2) measured. Short windows, many of them: on a shared
 * machine a burst of someone else's build then spoils a few windows, not the run:
 * <ul>
 *   <li>{@code plain}: two {@code UdpServer}s configured as the library's {@code UdpPacketTransport}
 *       configures its sockets (nothing but the bind address);
 *   <li>{@code ice}: two connected sessions with the library's default transport;
 *   <li>with epoll only, {@code plain-recvmmsg}: {@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE}
 *       2048 and a fixed 64 KiB receive buffer, so that each read is one {@code recvmmsg} of up to 32
 *       datagrams; {@code plain-recvmmsg-gro} adds {@code UDP_GRO}; {@code ice-recvmmsg}: the sessions
 *       over {@code PacketTransport.udp(configurer)} with the same options.
 * </ul>
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.reactiveice.benchmarks.ThroughputBenchmark}
 */
public final class ThroughputBenchmark {
    static final int DATAGRAM = 100;
    static final int SLOT = 2048;
    static final int SLOTS_PER_READ = 32;

    private ThroughputBenchmark() {
    }

    /** A one-way path from a sender to a counting receiver. */
    interface Link extends AutoCloseable {
        /** Sends every datagram of the stream; each buffer is released by the link. */
        Mono<Void> send(Flux<ByteBuf> datagrams);

        /** Datagrams received so far. */
        long received();

        /** What the first received datagram's buffer was, to show whether reads were batched. */
        String firstBuffer();

        /** The thread the receiver counted on. */
        String receiverThread();

        @Override
        void close();
    }

    /** One measured window. */
    record Window(String link, double sentPerSecond, double receivedPerSecond, long kernelDrops, double othersCores,
            String buffer, String threads, boolean oneLoop) {
        double loss() {
            return sentPerSecond == 0 ? 0 : 1 - receivedPerSecond / sentPerSecond;
        }
    }

    /**
     * Runs every link for every round and prints each window, then the medians.
     *
     * @param args {@code --rounds=N}, {@code --warmup=S}, {@code --seconds=S}, {@code --placement=split|default},
     *     {@code --quiet=C}: the CPU (in cores) other processes may take for a window to count as quiet
     */
    public static void main(String[] args) {
        BenchSupport.quietLogging();
        int rounds = BenchSupport.intArg(args, "rounds", 12);
        int warmup = BenchSupport.intArg(args, "warmup", 1);
        int seconds = BenchSupport.intArg(args, "seconds", 2);
        double quiet = Double.parseDouble(BenchSupport.stringArg(args, "quiet", "0.25"));
        boolean epoll = BenchSupport.reactorNettyUsesEpoll();
        System.out.println("ThroughputBenchmark: " + DATAGRAM + "-byte datagrams on 127.0.0.1, one way; " + rounds
                + " rounds of " + warmup + " s warm-up + " + seconds + " s measured per link");
        System.out.println("machine: " + BenchSupport.machine());
        System.out.println("epoll: " + BenchSupport.epollStatus() + "; Reactor Netty loops: " + (epoll ? "epoll" : "NIO"));
        boolean split = !"default".equals(BenchSupport.stringArg(args, "placement", "split"));
        boolean shared = consecutiveBindsShareLoop();
        Runnable between = split && shared ? () -> UdpResources.get().onClient(epoll).next() : () -> { };
        System.out.println("consecutive UdpServer binds share an event loop: " + shared + "; placement: "
                + (split ? "split (sender and receiver on different loops)" : "default"));
        System.out.println("load average before: " + BenchSupport.loadAverage());

        Map<String, Supplier<Link>> links = links(epoll, between);
        List<Window> windows = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, Supplier<Link>> e : links.entrySet()) {
                try (Link link = e.getValue().get()) {
                    Window w = measure(e.getKey(), link, warmup, seconds);
                    windows.add(w);
                    System.out.printf(Locale.ROOT, "round %d %-19s sent %,10.0f/s  received %,10.0f/s  loss %5.1f%%"
                            + "  kernel rcvbuf drops %,d  other processes %.2f cores  load %s%n      %s; %s%n", round,
                            w.link(), w.sentPerSecond(), w.receivedPerSecond(), 100 * w.loss(), w.kernelDrops(),
                            w.othersCores(), BenchSupport.loadAverage(), w.threads(), w.buffer());
                }
            }
        }
        summarize(links.keySet(), windows, quiet);
        System.out.println("load average after: " + BenchSupport.loadAverage());
    }

    /** The links to measure, by name, in the order they run in each round. */
    private static Map<String, Supplier<Link>> links(boolean epoll, Runnable between) {
        Map<String, Supplier<Link>> links = new LinkedHashMap<>();
        links.put("plain", () -> new PlainLink(s -> s, between));
        links.put("ice", () -> new IceLink(a -> a, between));
        if (epoll) {
            links.put("plain-recvmmsg", () -> new PlainLink(ThroughputBenchmark::recvmmsg, between));
            links.put("plain-recvmmsg-gro",
                    () -> new PlainLink(s -> recvmmsg(s).option(EpollChannelOption.UDP_GRO, true), between));
            links.put("ice-recvmmsg", () -> new IceLink(
                    a -> a.packetTransport(PacketTransport.udp(ThroughputBenchmark::recvmmsg)), between));
        }
        return links;
    }

    /** epoll's recvmmsg: 2048-byte slots, and a receive buffer that holds 32 of them (else Netty reads one by one). */
    static UdpServer recvmmsg(UdpServer server) {
        return server.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, SLOT)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(SLOT * SLOTS_PER_READ));
    }

    /** Whether two binds in a row, configured as the library's, get the same event loop. */
    static boolean consecutiveBindsShareLoop() {
        Connection first = UdpServer.create().bindAddress(() -> new InetSocketAddress("127.0.0.1", 0)).bindNow();
        Connection second = UdpServer.create().bindAddress(() -> new InetSocketAddress("127.0.0.1", 0)).bindNow();
        boolean same = first.channel().eventLoop() == second.channel().eventLoop();
        first.disposeNow();
        second.disposeNow();
        return same;
    }

    private static Window measure(String name, Link link, int warmupSeconds, int seconds) {
        return measure(name, link, DATAGRAM, warmupSeconds, seconds);
    }

    /** One window of {@code size}-byte datagrams: warm-up, then the measured seconds (also {@link TcpThroughputBenchmark}'s). */
    static Window measure(String name, Link link, int size, int warmupSeconds, int seconds) {
        EndlessDatagrams datagrams = new EndlessDatagrams(size);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Disposable sending = link.send(datagrams.flux()).subscribe(null, failure::set);
        try {
            BenchSupport.pause(warmupSeconds * 1_000L);
            long s0 = datagrams.sent();
            long r0 = link.received();
            BenchSupport.UdpCounters k0 = BenchSupport.UdpCounters.read();
            BenchSupport.CpuTimes c0 = BenchSupport.CpuTimes.read();
            long t0 = System.nanoTime();
            BenchSupport.pause(seconds * 1_000L);
            long s1 = datagrams.sent();
            long r1 = link.received();
            long t1 = System.nanoTime();
            double others = BenchSupport.CpuTimes.read().othersSince(c0);
            BenchSupport.UdpCounters k = BenchSupport.UdpCounters.read().minus(k0);
            double dt = (t1 - t0) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException(name + ": sending failed", failure.get());
            }
            return new Window(name, (s1 - s0) / dt, (r1 - r0) / dt, k.rcvbufErrors(), others, link.firstBuffer(),
                    "sender thread " + datagrams.senderThread() + ", receiver thread " + link.receiverThread(),
                    java.util.Objects.equals(datagrams.senderThread(), link.receiverThread()));
        } finally {
            datagrams.stop();
            BenchSupport.pause(300); // let the stream complete and the last datagrams land
            sending.dispose();
            datagrams.release();
        }
    }

    private static void summarize(Iterable<String> names, List<Window> all, double quiet) {
        List<Window> calm = all.stream().filter(w -> w.othersCores() < quiet).toList();
        summarize("all rounds", names, all);
        summarize("windows in which other processes took under " + quiet + " cores (" + calm.size() + " of " + all.size()
                + ")", names, calm);
        System.out.println("per-round ratios of received rates (both windows of the same round, quiet ones marked *):");
        ratio(all, "ice", "plain", quiet);
        if (all.stream().anyMatch(w -> w.link().equals("ice-recvmmsg"))) {
            ratio(all, "ice-recvmmsg", "plain-recvmmsg", quiet);
            ratio(all, "ice", "plain-recvmmsg", quiet);
            ratio(all, "ice-recvmmsg", "plain", quiet);
        }
    }

    private static void summarize(String title, Iterable<String> names, List<Window> windows) {
        System.out.println();
        System.out.println("medians over " + title + ":");
        Map<String, Double> received = new LinkedHashMap<>();
        for (String n : names) {
            List<Window> w = windows.stream().filter(x -> x.link().equals(n)).toList();
            double rx = BenchSupport.median(w.stream().map(Window::receivedPerSecond).toList());
            double tx = BenchSupport.median(w.stream().map(Window::sentPerSecond).toList());
            double loss = BenchSupport.median(w.stream().map(Window::loss).toList());
            received.put(n, rx);
            System.out.printf(Locale.ROOT, "  %-19s sent %,10.0f/s  received %,10.0f/s  loss %5.1f%%  (%d windows)%n", n,
                    tx, rx, 100 * loss, w.size());
        }
        double ice = received.getOrDefault("ice", Double.NaN);
        System.out.printf(Locale.ROOT, "  received ice / plain: %.1f%%", 100 * ice / received.getOrDefault("plain", Double.NaN));
        if (received.containsKey("ice-recvmmsg")) {
            System.out.printf(Locale.ROOT, ", ice-recvmmsg / plain-recvmmsg: %.1f%%, ice / plain-recvmmsg: %.1f%%",
                    100 * received.get("ice-recvmmsg") / received.get("plain-recvmmsg"),
                    100 * ice / received.get("plain-recvmmsg"));
        }
        System.out.println();
    }

    /**
     * The received rate of {@code a} over {@code b} in the same round: the median over all rounds and
     * over the rounds in which both windows were quiet.
     */
    static void ratio(List<Window> windows, String a, String b, double quiet) {
        List<Window> wa = windows.stream().filter(x -> x.link().equals(a)).toList();
        List<Window> wb = windows.stream().filter(x -> x.link().equals(b)).toList();
        List<Double> ratios = new ArrayList<>();
        List<Double> calm = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(wa.size(), wb.size()); i++) {
            double r = wa.get(i).receivedPerSecond() / wb.get(i).receivedPerSecond();
            boolean q = wa.get(i).othersCores() < quiet && wb.get(i).othersCores() < quiet;
            ratios.add(r);
            if (q) {
                calm.add(r);
            }
            shown.add(String.format(Locale.ROOT, "%.0f%%%s", 100 * r, q ? "*" : ""));
        }
        System.out.printf(Locale.ROOT, "  %s / %s: median %.1f%% over all %d rounds, %.1f%% over the %d quiet ones %s%n",
                a, b, 100 * BenchSupport.median(ratios), ratios.size(), 100 * BenchSupport.median(calm), calm.size(),
                shown);
    }

    /** Describes a received buffer once: its class and, for a slice, the size of the buffer it slices. */
    static void noteFirst(AtomicReference<String> first, AtomicReference<String> thread, ByteBuf content) {
        if (first.getPlain() == null) {
            ByteBuf parent = content.unwrap();
            thread.set(Thread.currentThread().getName());
            first.set(content.getClass().getSimpleName() + (parent == null ? "" : " of a " + parent.capacity() + "-byte buffer"));
        }
    }

    /** Plain Reactor Netty: a receiving and a sending {@code UdpServer}, each configured by {@code options}. */
    static final class PlainLink implements Link {
        private final LongAdder received = new LongAdder();
        private final AtomicReference<String> first = new AtomicReference<>();
        private final AtomicReference<String> thread = new AtomicReference<>();
        private final Connection receiver;
        private final Connection sender;
        private final InetSocketAddress to;

        PlainLink(UnaryOperator<UdpServer> options, Runnable between) {
            this.receiver = options.apply(UdpServer.create())
                    .bindAddress(() -> new InetSocketAddress("127.0.0.1", 0))
                    .handle((in, out) -> in.receiveObject().doOnNext(o -> {
                        if (o instanceof DatagramPacket p) { // what UdpPacketTransport does per datagram
                            noteFirst(first, thread, p.content());
                            received.increment();
                        }
                    }).then())
                    .bindNow();
            between.run();
            this.sender = options.apply(UdpServer.create()).bindAddress(() -> new InetSocketAddress("127.0.0.1", 0)).bindNow();
            this.to = (InetSocketAddress) receiver.channel().localAddress();
        }

        @Override
        public Mono<Void> send(Flux<ByteBuf> datagrams) {
            return sender.outbound().sendObject(datagrams.map(b -> new DatagramPacket(b, to))).then();
        }

        @Override
        public long received() {
            return received.sum();
        }

        @Override
        public String firstBuffer() {
            return first.get() + " on " + receiver.channel().getClass().getSimpleName();
        }

        @Override
        public String receiverThread() {
            return thread.get();
        }

        @Override
        public void close() {
            sender.disposeNow();
            receiver.disposeNow();
        }
    }

    /** Two connected sessions on loopback; the controlling one sends, the controlled one counts. */
    static final class IceLink implements Link {
        private final LongAdder received = new LongAdder();
        private final AtomicReference<String> first = new AtomicReference<>();
        private final AtomicReference<String> thread = new AtomicReference<>();
        private final LoopbackPeers peers;
        private final IceConnection from;
        private final Disposable reading;

        IceLink(UnaryOperator<IceAgent> config, Runnable between) {
            this.peers = LoopbackPeers.start(config, between);
            peers.signal();
            this.from = peers.a.connect().block(LoopbackPeers.TIMEOUT);
            IceConnection to = peers.b.connect().block(LoopbackPeers.TIMEOUT);
            this.reading = to.receive().subscribe(buf -> {
                noteFirst(first, thread, buf);
                received.increment();
                buf.release();
            });
        }

        @Override
        public Mono<Void> send(Flux<ByteBuf> datagrams) {
            return from.send(datagrams);
        }

        /** The selected pair's local and remote candidates, to show which transport carries the data. */
        CandidatePair selectedPair() {
            return from.selectedPair();
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
            reading.dispose();
            peers.close();
        }
    }
}
