package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceState;
import io.reactiveice.metrics.MicrometerIceMetrics;
import io.reactiveice.testing.Await;
import io.reactiveice.testing.CountingTransport;
import io.reactiveice.testing.DatagramTransfer;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The Micrometer meters over real sockets on 127.0.0.1 (issue 15 section 2): a session pair's
 * datagrams and bytes equal what was sent, its checks sent equal the Binding requests its sockets
 * carried, and the drops of a shared UDP and a shared TCP port are counted by reason, as the ports
 * count them.
 */
class IceMetricsIT {
    private static final Duration TIMEOUT = IcePeers.TIMEOUT;
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerIceMetrics metrics = MicrometerIceMetrics.create(registry);

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private double sessions(IceState state) {
        return registry.get("reactive.ice.sessions").tag("state", state.name().toLowerCase()).gauge().value();
    }

    private static long bytes(String tag, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            ByteBuf b = DatagramTransfer.datagram(tag, i);
            sum += b.readableBytes();
            b.release();
        }
        return sum;
    }

    @Test
    void aSessionPairsDatagramsAndBytesEqualWhatWasSentAndItsChecksWhatItsSocketsCarried() {
        CountingTransport countedA = new CountingTransport();
        CountingTransport countedB = new CountingTransport();
        CandidatePair ab;
        CandidatePair ba;
        try (IcePeers p = new IcePeers(c -> c.metrics(metrics).packetTransport(countedA),
                c -> c.metrics(metrics).packetTransport(countedB)).signal()) {
            IceConnection ca = p.a.connect().block(TIMEOUT);
            IceConnection cb = p.b.connect().block(TIMEOUT);
            assertThat(registry.get("reactive.ice.first.selected.pair.time").timer().count()).isEqualTo(2);
            DatagramTransfer.transfer(ca, cb, "a-b", 1_000, 100, TIMEOUT); // every one arrived, once
            DatagramTransfer.transfer(cb, ca, "b-a", 500, 100, TIMEOUT);
            long sent = bytes("a-b", 1_000) + bytes("b-a", 500);

            assertThat(counter("reactive.ice.datagrams.sent")).isEqualTo(1_500);
            assertThat(counter("reactive.ice.data.sent")).isEqualTo(sent);
            assertThat(counter("reactive.ice.datagrams.received")).isEqualTo(1_500);
            assertThat(counter("reactive.ice.data.received")).isEqualTo(sent);
            Await.until(() -> sessions(IceState.COMPLETED) == 2, TIMEOUT); // the second side may still be CONNECTED
            assertThat(sessions(IceState.COMPLETED)).isEqualTo(2);
            assertThat(registry.get("reactive.ice.connect.time").timer().count()).isEqualTo(2);
            ab = p.a.selectedPair();
            ba = p.b.selectedPair();
            p.a.dispose();
            p.b.dispose();
            p.a.onDispose().block(TIMEOUT);
            p.b.onDispose().block(TIMEOUT);
        }
        // closed: the counts are final, and what the sessions sent is what their sockets carried
        double requests = counter("reactive.ice.checks.sent", "kind", "check")
                + counter("reactive.ice.checks.sent", "kind", "retransmission")
                + counter("reactive.ice.checks.sent", "kind", "consent");
        assertThat(requests).isEqualTo(countedA.sent(ab.base(), ab.remoteAddress()).requests.get()
                + countedB.sent(ba.base(), ba.remoteAddress()).requests.get()).isPositive();
        long responsesReceived = countedA.received(ab.base(), ab.remoteAddress()).responses.get()
                + countedB.received(ba.base(), ba.remoteAddress()).responses.get();
        assertThat(counter("reactive.ice.checks.answered")).isPositive().isLessThanOrEqualTo(responsesReceived);
        long requestsReceived = countedA.received(ab.base(), ab.remoteAddress()).requests.get()
                + countedB.received(ba.base(), ba.remoteAddress()).requests.get();
        assertThat(counter("reactive.ice.checks.received")).isPositive().isLessThanOrEqualTo(requestsReceived);
        assertThat(counter("reactive.ice.data.sent")).as("kept after close")
                .isEqualTo(bytes("a-b", 1_000) + bytes("b-a", 500));
        assertThat(sessions(IceState.COMPLETED) + sessions(IceState.CONNECTED)).isZero();
    }

    @Test
    void aSharedUdpPortsDropsAreCountedByReason() {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(LOOPBACK).metrics(metrics).bind().block(TIMEOUT);
        PacketSocket stranger = PacketTransport.udp().bind(LOOPBACK, (data, sender) -> { }).block(TIMEOUT);
        try {
            // UDP may lose a datagram even on loopback: each is sent again until the port counted one
            sendUntil(stranger, port, () -> SharedUdpPortIT.check("nobody-here:peer", "whatever-password-xxxxx"), () -> port.unknownUfrag() > 0);
            sendUntil(stranger, port, () -> bytes(0x00, 0x01, 0x00, 0x50, 0x21), () -> port.malformed() > 0); // a cut-off header
            sendUntil(stranger, port, () -> Unpooled.copiedBuffer("data from nowhere", StandardCharsets.US_ASCII),
                    () -> port.unroutable() > 0);

            assertThat(drops("udp", "unknown-ufrag")).isEqualTo(port.unknownUfrag()).isPositive();
            assertThat(drops("udp", "malformed")).isEqualTo(port.malformed()).isPositive();
            assertThat(drops("udp", "unroutable")).isEqualTo(port.unroutable()).isPositive();
            assertThat(drops("udp", "rate-limited")).isZero();
        } finally {
            stranger.dispose();
            port.dispose();
        }
        assertThat(drops("udp", "unknown-ufrag")).as("kept after dispose").isEqualTo(port.unknownUfrag());
    }

    @Test
    void aSharedTcpPortsRefusedConnectionsAreCountedByReason() throws Exception {
        SharedTcpPort port = SharedTcpPort.bind(LOOPBACK, reactor.core.scheduler.Schedulers.parallel(), 8, metrics)
                .block(TIMEOUT);
        try (Socket unknown = connect(port)) {
            unknown.getOutputStream().write(io.reactiveice.internal.tcp.FramedStream.frame(
                    bytesOf(SharedUdpPortIT.check("nobody-here:peer", "whatever-password-xxxxx"))));
            assertThat(closedByPeer(unknown)).isTrue();
            assertThat(drops("tcp", "unknown-ufrag")).isEqualTo(1);
            assertThat(drops("tcp", "unauthenticated") + drops("tcp", "malformed") + drops("tcp", "timed-out")
                    + drops("tcp", "connection-limit")).isZero();
        } finally {
            port.dispose();
        }
    }

    private double drops(String transport, String reason) {
        return counter("reactive.ice.shared.port.drops", "transport", transport, "reason", reason);
    }

    private static void sendUntil(PacketSocket from, SharedUdpPort to, java.util.function.Supplier<ByteBuf> datagram,
            BooleanSupplier counted) {
        Flux.interval(Duration.ZERO, Duration.ofMillis(20)).onBackpressureDrop()
                .doOnNext(i -> from.send(datagram.get(), to.localAddress()))
                .takeUntil(i -> counted.getAsBoolean()).take(TIMEOUT).blockLast();
        assertThat(counted.getAsBoolean()).as("counted within " + TIMEOUT).isTrue();
    }

    private static Socket connect(SharedTcpPort port) throws java.io.IOException {
        return new Socket(port.localAddress().getAddress(), port.localAddress().getPort(),
                InetAddress.getLoopbackAddress(), 0);
    }

    private static boolean closedByPeer(Socket s) throws java.io.IOException {
        s.setSoTimeout((int) TIMEOUT.toMillis());
        InputStream in = s.getInputStream();
        return in.read() == -1;
    }

    private static ByteBuf bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return Unpooled.wrappedBuffer(b);
    }

    private static byte[] bytesOf(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }
}
