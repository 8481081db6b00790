package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceRole;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.testing.Await;
import io.reactiveice.testing.ExternalProgram;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Many lite sessions on one UDP port of 127.0.0.1, each driven by a full agent with a socket of its
 * own: checks are routed by ufrag, data by address, and what is forged, unknown or too frequent
 * leaves no state behind.
 */
class SharedUdpPortIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void theDefaultPortAsksForAFourMebibyteReceiveBuffer() throws Exception {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(LOOPBACK).bind().block(TIMEOUT);
        try {
            assertReceiveBuffer(port, SharedUdpPort.DEFAULT_RECEIVE_BUFFER);
        } finally {
            port.dispose();
        }
    }

    @Test
    void aConfiguredReceiveBufferIsTheOneThePortAsksFor() throws Exception {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(LOOPBACK).receiveBuffer(96 * 1024).bind().block(TIMEOUT);
        try {
            assertReceiveBuffer(port, 96 * 1024);
        } finally {
            port.dispose();
        }
    }

    /** What the kernel granted the port's socket, as {@code ss} shows it. */
    private static void assertReceiveBuffer(SharedUdpPort port, int asked) throws Exception {
        // Linux caps the request at net.core.rmem_max and reports twice what it grants (for its overhead)
        long cap = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        long expected = 2 * Math.min(asked, cap);
        String ss = ExternalProgram.require("ss", "iproute2").toString();
        Process p = new ProcessBuilder(ss, "-u", "-a", "-m", "-n", "sport = :" + port.localAddress().getPort())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        Matcher rb = Pattern.compile("skmem:\\(r\\d+,rb(\\d+),").matcher(out);
        assertThat(rb.find()).as("ss output: %s", out).isTrue();
        assertThat(Long.parseLong(rb.group(1))).as("rb with rmem_max %d", cap).isEqualTo(expected);
    }

    @Test
    void twentyLiteSessionsShareOnePortAndEachGetsOnlyItsOwnPeersData() {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(LOOPBACK).bind().block(TIMEOUT);
        IceAgent fullAgent = IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()));
        IceAgent liteAgent = IceAgent.create().lite(true).sharedPort(port);
        List<IceSession> lites = new ArrayList<>();
        List<IceSession> fulls = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                IceSession lite = liteAgent.start().block(TIMEOUT);
                IceSession full = fullAgent.start().block(TIMEOUT);
                lites.add(lite);
                fulls.add(full);
                full.setRemoteParameters(lite.localParameters());
                lite.setRemoteParameters(full.localParameters());
                lite.localCandidates().doOnComplete(full::remoteEndOfCandidates).subscribe(full::addRemoteCandidate);
                full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
            }
            assertThat(port.routedUfrags()).isEqualTo(20);
            List<ConcurrentLinkedQueue<String>> atLite = new ArrayList<>();
            List<ConcurrentLinkedQueue<String>> atFull = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                IceConnection cl = lites.get(i).connect().block(TIMEOUT);
                IceConnection cf = fulls.get(i).connect().block(TIMEOUT);
                assertThat(cl.selectedPair().base()).isEqualTo(port.localAddress());
                atLite.add(collect(cl));
                atFull.add(collect(cf));
            }
            for (int i = 0; i < 20; i++) {
                IceConnection cl = lites.get(i).connect().block(TIMEOUT);
                IceConnection cf = fulls.get(i).connect().block(TIMEOUT);
                int n = i;
                cf.send(Flux.range(0, 10).map(k -> ascii("to-" + n + "-" + k))).block(TIMEOUT);
                cl.send(Flux.range(0, 10).map(k -> ascii("from-" + n + "-" + k))).block(TIMEOUT);
            }
            for (int i = 0; i < 20; i++) {
                int n = i;
                await(() -> atLite.get(n).size() == 10 && atFull.get(n).size() == 10);
                assertThat(atLite.get(n)).allMatch(s -> s.startsWith("to-" + n + "-"));
                assertThat(atFull.get(n)).allMatch(s -> s.startsWith("from-" + n + "-"));
            }
            assertThat(port.unknownUfrag()).isZero();
        } finally {
            lites.forEach(IceSession::dispose);
            fulls.forEach(IceSession::dispose);
        }
        await(() -> port.routedUfrags() == 0 && port.routedRemotes() == 0);
        port.dispose();
    }

    @Test
    void unknownUfragsAndForgedChecksCreateNoStateAndForgedChecksAreRateLimited() {
        VirtualTimeScheduler frozen = VirtualTimeScheduler.create(); // the rate limit's clock stands still
        SharedUdpPort port = SharedUdpPort.create().bindAddress(LOOPBACK).transport(PacketTransport.udp()).clock(frozen)
                .errorRateLimit(10, 10).bind().block(TIMEOUT);
        IceSession lite = IceAgent.create().lite(true).sharedPort(port).start().block(TIMEOUT);
        ConcurrentLinkedQueue<StunMessage> answers = new ConcurrentLinkedQueue<>();
        PacketSocket attacker = PacketTransport.udp().bind(LOOPBACK,
                (data, sender) -> answers.add(StunMessage.decode(ByteBufUtilBytes.of(data)))).block(TIMEOUT);
        try {
            String ufrag = lite.localCredentials().ufrag();
            // a check with the right ufrag and a wrong password: answered 401, nothing learned
            attacker.send(check(ufrag + ":evil", "not-the-password-at-all-x"), port.localAddress());
            await(() -> answers.size() == 1);
            assertThat(answers.peek().messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
            assertThat(port.routedRemotes()).isZero();
            // unknown ufrags: no answer, no state, no token spent
            for (int i = 0; i < 29; i++) {
                attacker.send(check("nope:evil", "whatever-password-xxxxx"), port.localAddress());
            }
            await(() -> port.unknownUfrag() == 29);
            assertThat(port.rateLimited()).isZero();
            // more forged checks: the source has 9 of its 10 tokens left for error answers
            for (int i = 0; i < 20; i++) {
                attacker.send(check(ufrag + ":evil", "not-the-password-at-all-x"), port.localAddress());
            }
            await(() -> answers.size() + port.rateLimited() == 21);
            assertThat(port.rateLimited()).isEqualTo(11);
            assertThat(answers).hasSize(10).allMatch(m -> m.messageClass() == StunClass.ERROR_RESPONSE);
            assertThat(port.authenticated()).isZero();
            assertThat(port.routedRemotes()).isZero();
            assertThat(port.routedUfrags()).isEqualTo(1);
            attacker.send(ascii("data from nowhere"), port.localAddress());
            await(() -> port.unroutable() == 1);
        } finally {
            attacker.dispose();
            lite.dispose();
            port.dispose();
            frozen.dispose();
        }
    }

    /** A Binding request for {@code username} with MESSAGE-INTEGRITY of {@code password} and FINGERPRINT. */
    static ByteBuf check(String username, String password) {
        ByteBuffer out = ByteBuffer.allocate(300);
        StunMessageWriter w = new StunMessageWriter().begin(out, StunMethod.BINDING, StunClass.REQUEST,
                TransactionId.random(new SplittableRandom()));
        w.put(new StunAttribute.Username(username));
        w.put(new StunAttribute.IceControlling(1));
        w.put(new StunAttribute.Priority(1));
        w.putMessageIntegrity(IntegrityKey.shortTerm(password));
        w.putFingerprint();
        int n = w.finish();
        return Unpooled.wrappedBuffer(out.array(), 0, n);
    }

    private static ConcurrentLinkedQueue<String> collect(IceConnection c) {
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        c.receive().subscribe(b -> {
            got.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        });
        return got;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static void await(BooleanSupplier condition) {
        Await.until(condition, TIMEOUT);
        assertThat(condition.getAsBoolean()).as("condition met within " + TIMEOUT).isTrue();
    }

    /** Copies a buffer's readable bytes. */
    private static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf b) {
            return ByteBufUtil.getBytes(b);
        }
    }
}
