package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.testing.Await;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * One {@link SharedTcpPort} for many ICE-lite sessions (RFC 6544 passive candidates, issue 14), over
 * real TCP on 127.0.0.1: 1,000 sessions, each connected to a full agent with an active TCP candidate,
 * each receiving only its own peer's data; and what the port refuses: a first frame that is not an
 * authentic Binding request for a routed ufrag, a connection over the limit of one IP address, and a
 * connection that sends nothing (its timer in virtual time) are closed and counted, and leave nothing
 * behind.
 */
class SharedTcpPortIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int SESSIONS = 1_000;

    @Test
    void aThousandLiteSessionsShareOneTcpPortAndEachGetsOnlyItsOwnPeersData() {
        SharedTcpPort port = SharedTcpPort.bind(LOOPBACK).block(TIMEOUT);
        IceAgent liteAgent = IceAgent.create().lite(true).hostAddresses(List.of(InetAddress.getLoopbackAddress()))
                .udpCandidates(false).sharedTcpPort(port);
        // the peers come from eight loopback addresses, 125 connections each, as browsers from several networks
        IceAgent fullAgent = IceAgent.create().tcpCandidates(true).udpCandidates(false);
        List<IceSession> lites = new ArrayList<>();
        List<IceSession> fulls = new ArrayList<>();
        try {
            for (int i = 0; i < SESSIONS; i++) {
                IceSession lite = liteAgent.start().block(TIMEOUT);
                IceSession full = fullAgent.hostAddresses(List.of(loopback(1 + i % 8))).start().block(TIMEOUT);
                lites.add(lite);
                fulls.add(full);
                full.setRemoteParameters(lite.localParameters());
                lite.setRemoteParameters(full.localParameters());
                lite.localCandidates().doOnComplete(full::remoteEndOfCandidates).subscribe(full::addRemoteCandidate);
                full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
            }
            List<IceCandidate> ofLite = lites.get(0).localCandidates().collectList().block(TIMEOUT);
            assertThat(ofLite).singleElement().satisfies(c -> {
                assertThat(c.transport()).isEqualTo(TransportProtocol.TCP);
                assertThat(c.tcpType()).isEqualTo(TcpType.PASSIVE);
                assertThat(c.port()).isEqualTo(port.localAddress().getPort());
            });
            assertThat(port.routedUfrags()).isEqualTo(SESSIONS);
            List<ConcurrentLinkedQueue<String>> atLite = new ArrayList<>();
            List<ConcurrentLinkedQueue<String>> atFull = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                IceConnection cl = lites.get(i).connect().block(TIMEOUT);
                IceConnection cf = fulls.get(i).connect().block(TIMEOUT);
                assertThat(cl.selectedPair().base()).isEqualTo(port.localAddress());
                assertThat(cf.selectedPair().local().tcpType()).isEqualTo(TcpType.ACTIVE);
                atLite.add(collect(cl));
                atFull.add(collect(cf));
            }
            for (int i = 0; i < SESSIONS; i++) {
                IceConnection cl = lites.get(i).connect().block(TIMEOUT);
                IceConnection cf = fulls.get(i).connect().block(TIMEOUT);
                int n = i;
                cf.send(Flux.range(0, 3).map(k -> ascii("to-" + n + "-" + k))).block(TIMEOUT);
                cl.send(Flux.range(0, 3).map(k -> ascii("from-" + n + "-" + k))).block(TIMEOUT);
            }
            for (int i = 0; i < SESSIONS; i++) {
                int n = i;
                await(() -> atLite.get(n).size() == 3 && atFull.get(n).size() == 3);
                assertThat(atLite.get(n)).containsExactly("to-" + n + "-0", "to-" + n + "-1", "to-" + n + "-2");
                assertThat(atFull.get(n)).containsExactly("from-" + n + "-0", "from-" + n + "-1", "from-" + n + "-2");
            }
            // a long stream from a session on the port goes out on its connection in order, none lost
            atFull.get(0).clear();
            lites.get(0).connect().block(TIMEOUT).send(Flux.range(0, 10_000).map(k -> ascii("s" + k))).block(TIMEOUT);
            await(() -> atFull.get(0).size() == 10_000);
            assertThat(atFull.get(0)).containsExactlyElementsOf(Flux.range(0, 10_000).map(k -> "s" + k).toIterable());
            assertThat(port.authenticated()).as("one connection per session").isEqualTo(SESSIONS);
            assertThat(port.unknownUfrag() + port.unauthenticated() + port.timedOut() + port.refused()).isZero();
        } finally {
            lites.forEach(IceSession::dispose);
            fulls.forEach(IceSession::dispose);
        }
        await(() -> port.routedUfrags() == 0);
        port.dispose();
    }

    @Test
    void aFirstFrameThatIsNoAuthenticBindingRequestAndAConnectionThatSendsNothingAreClosedAndCounted() throws Exception {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        SharedTcpPort port = SharedTcpPort.bind(LOOPBACK, clock, 2).block(TIMEOUT);
        IceSession lite = IceAgent.create().lite(true).hostAddresses(List.of(InetAddress.getLoopbackAddress()))
                .udpCandidates(false).sharedTcpPort(port).start().block(TIMEOUT);
        try (Socket garbage = new Socket(LOOPBACK.getAddress(), port.localAddress().getPort());
                Socket forged = new Socket(LOOPBACK.getAddress(), port.localAddress().getPort())) {
            garbage.getOutputStream().write(new byte[] {0, 4, 'l', 'a', 'b', '!'}); // a frame, but no STUN
            forged.getOutputStream().write(frame(check(lite.localCredentials().ufrag() + ":peer", "not-the-password-at-all")));

            assertThat(closedByPeer(garbage)).isTrue();
            assertThat(closedByPeer(forged)).isTrue();
            assertThat(port.unknownUfrag()).isEqualTo(1);
            assertThat(port.unauthenticated()).isEqualTo(1);
            await(() -> port.openConnections() == 0); // gone with their state
        }
        try (Socket silent = new Socket(LOOPBACK.getAddress(), port.localAddress().getPort())) {
            await(() -> port.openConnections() == 1);
            try (Socket second = new Socket(LOOPBACK.getAddress(), port.localAddress().getPort());
                    Socket third = new Socket(LOOPBACK.getAddress(), port.localAddress().getPort())) {
                await(() -> port.openConnections() == 2 && port.refused() == 1); // one over the limit of two
            }
            await(() -> port.openConnections() == 1); // closed by us: their timers are gone with them
            clock.advanceTimeBy(SharedTcpPort.FIRST_FRAME_TIMEOUT);
            assertThat(closedByPeer(silent)).isTrue();
            assertThat(port.timedOut()).isEqualTo(1);
            assertThat(port.authenticated()).isZero();
        } finally {
            lite.dispose();
            port.dispose();
            clock.dispose();
        }
    }

    private static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] check(String username, String password) {
        ByteBuffer out = ByteBuffer.allocate(300);
        StunMessageWriter w = new StunMessageWriter().begin(out, StunMethod.BINDING, StunClass.REQUEST,
                TransactionId.random(new SplittableRandom()));
        w.put(new StunAttribute.Username(username));
        w.put(new StunAttribute.IceControlling(1));
        w.put(new StunAttribute.Priority(1));
        w.putMessageIntegrity(IntegrityKey.shortTerm(password));
        w.putFingerprint();
        return Arrays.copyOf(out.array(), w.finish());
    }

    private static byte[] frame(byte[] payload) {
        return io.reactiveice.internal.tcp.FramedStream.frame(payload);
    }

    private static boolean closedByPeer(Socket s) throws java.io.IOException {
        s.setSoTimeout((int) TIMEOUT.toMillis());
        InputStream in = s.getInputStream();
        return in.read() == -1;
    }

    private static ConcurrentLinkedQueue<String> collect(IceConnection c) {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        c.receive().subscribe(b -> {
            try {
                received.add(b.toString(StandardCharsets.US_ASCII));
            } finally {
                b.release();
            }
        });
        return received;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static void await(BooleanSupplier condition) {
        Await.until(condition, TIMEOUT);
        assertThat(condition.getAsBoolean()).as("condition met within " + TIMEOUT).isTrue();
    }
}
