package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The sockets of ICE-TCP host candidates over real TCP on 127.0.0.1 (RFC 6544 with RFC 4571 framing):
 * an active socket opens one connection per remote address on its first datagram and carries datagrams
 * both ways as frames, in order and none lost; a connection that closes or cannot be opened is
 * reported, and what is sent on it afterwards fails as unreachable, so its pair can fail at once. A
 * stream of datagrams goes out on the open connection; a frame the receiver keeps outlives its read.
 */
class TcpCandidateSocketsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final int DATAGRAMS = 10_000;

    private final List<String> atPassive = new CopyOnWriteArrayList<>();
    private final List<String> atActive = new CopyOnWriteArrayList<>();
    private final Sinks.Many<InetSocketAddress[]> lostAtPassive = Sinks.many().replay().all();
    private final Sinks.Many<InetSocketAddress[]> lostAtActive = Sinks.many().replay().all();
    private TcpPassiveSocket passive;
    private TcpActiveSocket active;

    @AfterEach
    void close() {
        if (active != null) {
            active.dispose();
        }
        if (passive != null) {
            passive.dispose();
        }
    }

    private static String text(ByteBuf data) {
        return data.toString(StandardCharsets.US_ASCII);
    }

    private static ByteBuf datagram(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private void start() {
        passive = TcpPassiveSocket.listen(new InetSocketAddress(LOOPBACK, 0), (data, sender) -> {
            atPassive.add(text(data));
            passive.send(datagram("re " + text(data)), sender); // an answer on the connection it came on
        }, (base, remote) -> lostAtPassive.tryEmitNext(new InetSocketAddress[] {base, remote})).block(TIMEOUT);
        active = new TcpActiveSocket(LOOPBACK, (data, sender) -> atActive.add(sender.getPort() + " " + text(data)),
                (base, remote) -> lostAtActive.tryEmitNext(new InetSocketAddress[] {base, remote}));
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        assertThat(io.reactiveice.testing.Await.until(condition, TIMEOUT)).as("condition within %s", TIMEOUT).isTrue();
    }

    @Test
    void tenThousandDatagramsGoEachWayOverOneConnectionInOrderAndNoneIsLost() throws Exception {
        start();
        assertThat(active.localAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, 9));

        for (int i = 0; i < DATAGRAMS; i++) {
            active.send(datagram("n" + i + ".".repeat(i % 200)), passive.localAddress());
        }

        await(() -> atActive.size() == DATAGRAMS);
        assertThat(active.links()).isEqualTo(1);
        assertThat(passive.connections()).as("one connection for the pair").isEqualTo(1);
        for (int i = 0; i < DATAGRAMS; i++) {
            String sent = "n" + i + ".".repeat(i % 200);
            assertThat(atPassive.get(i)).isEqualTo(sent);
            assertThat(atActive.get(i)).isEqualTo(passive.localAddress().getPort() + " re " + sent);
        }
    }

    @Test
    void aStreamGoesOutOnTheOpenConnectionInOrderAndAStreamToNoConnectionFailsAsUnreachable() {
        start();
        active.send(datagram("open"), passive.localAddress());
        await(() -> atActive.size() == 1); // the connection is open: the stream takes it

        active.sendAll(Flux.range(0, DATAGRAMS).map(i -> datagram("s" + i + ".".repeat(i % 300))),
                b -> passive.localAddress()).block(TIMEOUT);

        await(() -> atActive.size() == 1 + DATAGRAMS);
        for (int i = 0; i < DATAGRAMS; i++) {
            assertThat(atPassive.get(1 + i)).isEqualTo("s" + i + ".".repeat(i % 300));
        }
        InetSocketAddress nobody = new InetSocketAddress(LOOPBACK, 1);
        assertThatThrownBy(() -> passive.sendAll(Flux.range(0, 3).map(i -> datagram("x")), b -> nobody).block(TIMEOUT))
                .hasCauseInstanceOf(java.net.NoRouteToHostException.class);
    }

    @Test
    void longDatagramsGoOutWholeAndOneTooLongForAFrameFails() {
        start();
        // 2,048 is copied behind its length, 2,049 and up go out as a length buffer and the datagram itself
        int[] lengths = {2_047, 2_048, 2_049, 10_000, io.reactiveice.internal.tcp.FramedStream.MAX_FRAME - 3};
        for (int n : lengths) {
            active.send(datagram("L" + ".".repeat(n - 1)), passive.localAddress());
        }
        await(() -> atActive.size() == lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            assertThat(atPassive.get(i)).hasSize(lengths[i]).startsWith("L.");
        }
        Sinks.One<Throwable> failure = Sinks.one();
        active.send(Unpooled.buffer(io.reactiveice.internal.tcp.FramedStream.MAX_FRAME + 1)
                .writeZero(io.reactiveice.internal.tcp.FramedStream.MAX_FRAME + 1), passive.localAddress(), failure::tryEmitValue);
        assertThat(failure.asMono().block(TIMEOUT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
        assertThatThrownBy(() -> active.sendAll(Flux.just(Unpooled.buffer(70_000).writeZero(70_000)),
                b -> passive.localAddress()).block(TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void framesTheReceiverKeepsStayIntactAfterTheReadsThatCarriedThemAreGone() {
        List<ByteBuf> kept = new CopyOnWriteArrayList<>();
        start();
        TcpPassiveSocket keeping = TcpPassiveSocket.listen(new InetSocketAddress(LOOPBACK, 0),
                (data, sender) -> kept.add(data.retain()), (base, remote) -> { }).block(TIMEOUT);
        try {
            for (int i = 0; i < DATAGRAMS; i++) {
                active.send(datagram("k" + i + ".".repeat(i % 200)), keeping.localAddress());
            }
            await(() -> kept.size() == DATAGRAMS);
            for (int i = 0; i < DATAGRAMS; i++) { // read long after their reads were released and reused
                assertThat(text(kept.get(i))).isEqualTo("k" + i + ".".repeat(i % 200));
            }
        } finally {
            kept.forEach(ByteBuf::release);
            keeping.dispose();
        }
    }

    @Test
    void sixHundredActiveSocketsEachOpenTheirOwnConnectionToOneAddress() {
        // as the sessions of a client all reaching one shared TCP port: no pool, no cap per remote address
        java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
        reactor.netty.DisposableServer server = reactor.netty.tcp.TcpServer.create()
                .bindAddress(() -> new InetSocketAddress(LOOPBACK, 0))
                .handle((in, out) -> {
                    accepted.incrementAndGet();
                    return in.receive().then();
                }).bindNow(TIMEOUT);
        List<TcpActiveSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 600; i++) {
                TcpActiveSocket s = new TcpActiveSocket(LOOPBACK, (data, sender) -> { }, (base, remote) -> { });
                sockets.add(s);
                s.send(datagram("x"), (InetSocketAddress) server.address());
            }
            await(() -> accepted.get() == 600);
        } finally {
            sockets.forEach(TcpActiveSocket::dispose);
            server.disposeNow(TIMEOUT);
        }
    }

    @Test
    void aConnectionThatClosesIsReportedOnBothSidesAndIsNotOpenedAgain() throws Exception {
        start();
        active.send(datagram("hello"), passive.localAddress());
        await(() -> atActive.size() == 1);

        passive.dispose(); // the listening side goes away: its connection closes

        InetSocketAddress[] lost = lostAtActive.asFlux().blockFirst(TIMEOUT);
        assertThat(lost).containsExactly(active.localAddress(), passive.localAddress());
        Sinks.One<Throwable> failure = Sinks.one();
        active.send(datagram("after"), passive.localAddress(), failure::tryEmitValue);
        assertThat(failure.asMono().block(TIMEOUT)).isInstanceOf(java.net.NoRouteToHostException.class);
        assertThat(active.links()).as("not opened again").isEqualTo(1);
        assertThat(atPassive).containsExactly("hello");
    }

    @Test
    void aPassiveSideThatClosesAConnectionReportsIt() throws Exception {
        start();
        active.send(datagram("hello"), passive.localAddress());
        await(() -> atActive.size() == 1);

        active.dispose(); // the active side goes away

        InetSocketAddress[] lost = lostAtPassive.asFlux().blockFirst(TIMEOUT);
        assertThat(lost[0]).isEqualTo(passive.localAddress());
        assertThat(lost[1].getAddress()).isEqualTo(LOOPBACK);
        assertThat(lost[1].getPort()).isNotEqualTo(9);
        Sinks.One<Throwable> failure = Sinks.one();
        passive.send(datagram("after"), lost[1], failure::tryEmitValue);
        assertThat(failure.asMono().block(TIMEOUT)).isInstanceOf(java.net.NoRouteToHostException.class);
    }

    @Test
    void aConnectionThatCannotBeOpenedFailsItsDatagramsAndIsReported() throws Exception {
        start();
        InetSocketAddress closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = new InetSocketAddress(LOOPBACK, s.getLocalPort()); // free once closed: refused
        }
        Sinks.One<Throwable> failure = Sinks.one();

        active.send(datagram("nobody"), closedPort, failure::tryEmitValue);

        assertThat(failure.asMono().block(TIMEOUT)).isInstanceOf(java.net.NoRouteToHostException.class)
                .hasMessageContaining(closedPort.toString());
        assertThat(lostAtActive.asFlux().blockFirst(TIMEOUT)).containsExactly(active.localAddress(), closedPort);
    }

    @Test
    void oneAddressMayHoldOnlySoManyConnectionsAtOnce() throws Exception {
        start();
        List<java.net.Socket> raw = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < TcpPassiveSocket.MAX_CONNECTIONS_PER_ADDRESS; i++) {
                raw.add(new java.net.Socket(LOOPBACK, passive.localAddress().getPort(), LOOPBACK, 0));
            }
            await(() -> passive.connections() == TcpPassiveSocket.MAX_CONNECTIONS_PER_ADDRESS);
            try (java.net.Socket oneTooMany = new java.net.Socket(LOOPBACK, passive.localAddress().getPort(), LOOPBACK, 0)) {
                oneTooMany.setSoTimeout((int) TIMEOUT.toMillis());
                assertThat(oneTooMany.getInputStream().read()).as("closed by the passive side").isEqualTo(-1);
            }
            assertThat(passive.refused()).isEqualTo(1);
            assertThat(passive.connections()).isEqualTo(TcpPassiveSocket.MAX_CONNECTIONS_PER_ADDRESS);
        } finally {
            for (java.net.Socket s : raw) {
                s.close();
            }
        }
    }
}
