package io.reactiveice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.StunRejection;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.testing.Await;
import io.reactiveice.testing.ExternalProgram;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Our client against our embedded server over real UDP sockets on loopback, IPv4 and IPv6. */
class StunClientServerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final List<Disposable> open = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        open.forEach(Disposable::dispose);
    }

    private <T extends Disposable> T keep(T d) {
        open.add(d);
        return d;
    }

    @Test
    void bindingOverIpv4LoopbackReturnsTheClientsOwnAddress() {
        StunServerHandle server = keep(StunServer.create().bindNow());
        StunClientConnection client = keep(StunClient.create().random(RandomGenerator.of("L64X128MixRandom"))
                .bind().block(TIMEOUT));
        StepVerifier.create(client.binding(server.address()))
                .assertNext(r -> {
                    assertThat(r.mappedAddress()).isEqualTo(client.localAddress());
                    assertThat(r.server()).isEqualTo(server.address());
                    assertThat(r.rtt()).isPositive();
                })
                .expectComplete().verify(TIMEOUT);
        assertThat(server.count(BindingOutcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void bindingOverIpv6LoopbackReturnsTheClientsOwnAddress() {
        InetSocketAddress v6 = new InetSocketAddress("::1", 0);
        StunServerHandle server = keep(StunServer.create().bindAddress(v6).bindNow());
        StunClientConnection client = keep(StunClient.create().bindAddress(v6).bind().block(TIMEOUT));
        StepVerifier.create(client.binding(server.address()))
                .assertNext(r -> assertThat(r.mappedAddress()).isEqualTo(client.localAddress()))
                .expectComplete().verify(TIMEOUT);
        assertThat(client.localAddress().getAddress().getAddress()).hasSize(16);
    }

    @Test
    void serverDropsGarbageAndKeepsServing() {
        StunServerHandle server = keep(StunServer.create().bindNow());
        StunClientConnection client = keep(StunClient.create().bind().block(TIMEOUT));
        byte[][] garbage = {
            HexFormat.of().parseHex("16fefd00000000000000000001"),            // a DTLS record
            HexFormat.of().parseHex("0001000c2112a442000000000000000000000000"), // length beyond the datagram
            HexFormat.of().parseHex("0001000021120000000000000000000000000000"), // wrong cookie
            new byte[] {0, 1},                                                  // truncated header
        };
        for (byte[] g : garbage) {
            sendRaw(client, g, server.address());
        }
        StepVerifier.create(client.binding(server.address()))
                .assertNext(r -> assertThat(r.mappedAddress()).isEqualTo(client.localAddress()))
                .expectComplete().verify(TIMEOUT);
        assertThat(server.dropped()).isEqualTo(4);
        assertThat(server.dropped(StunRejection.BAD_MAGIC_COOKIE)).isEqualTo(1);
        assertThat(server.dropped(StunRejection.LENGTH_BEYOND_DATAGRAM)).isEqualTo(1);
        assertThat(server.count(BindingOutcome.DROPPED_NOT_STUN)).isEqualTo(1);
        assertThat(server.count(BindingOutcome.SUCCESS)).isEqualTo(1);
    }

    @Test
    void errorResponseIsATypedErrorWithCodeAndReason() {
        StunServerHandle server = keep(StunServer.create().bindNow());
        StunClientConnection client = keep(StunClient.create().bind().block(TIMEOUT));
        StepVerifier.create(client.request(server.address(), StunMethod.BINDING, w -> w.putU32(0x7ABC, 7), null))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(StunErrorResponseException.class);
                    StunErrorResponseException error = (StunErrorResponseException) e;
                    assertThat(error.code()).isEqualTo(420);
                    assertThat(error.reason()).isEqualTo("Unknown Attribute");
                    assertThat(error.server()).isEqualTo(server.address());
                })
                .verify(TIMEOUT);
    }

    @Test
    void authenticatedBindingSucceedsOnlyWithTheRightPassword() {
        StunServerHandle server = keep(StunServer.create().shortTermCredential("alice", "correct horse").bindNow());
        StunClientConnection client = keep(StunClient.create().bind().block(TIMEOUT));
        StepVerifier.create(client.request(server.address(), StunMethod.BINDING,
                        w -> w.putString(StunAttributeType.USERNAME.code(), "alice"), IntegrityKey.shortTerm("correct horse")))
                .assertNext(m -> assertThat(m.attributes()).isNotEmpty())
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(client.request(server.address(), StunMethod.BINDING,
                        w -> w.putString(StunAttributeType.USERNAME.code(), "alice"), IntegrityKey.shortTerm("battery staple")))
                .expectErrorSatisfies(e -> assertThat(((StunErrorResponseException) e).code()).isEqualTo(401))
                .verify(TIMEOUT);
    }

    @Test
    void aServerThatNeverAnswersEndsInATimeoutAfterTheSchedule() {
        // A bound socket that never answers, and a short schedule so the test stays quick.
        StunClientConnection silent = keep(StunClient.create().bind().block(TIMEOUT));
        StunClientConnection client = keep(StunClient.create()
                .schedule(RetransmissionSchedule.UDP_DEFAULT.withRto(Duration.ofMillis(20)))
                .bind().block(TIMEOUT));
        StepVerifier.create(client.binding(silent.localAddress()))
                .expectErrorSatisfies(e -> assertThat(((StunTimeoutException) e).sends()).isEqualTo(7))
                .verify(TIMEOUT);
        assertThat(silent.dropped()).isEqualTo(7); // it saw all seven requests and dropped them
    }

    @Test
    void aSecondAnswerToAFinishedTransactionIsCountedLateNotDropped() {
        // RFC 8489 section 6.2.1: a server that answers a request and its retransmission answers twice.
        // The test replays the answer itself, so that it owns every datagram.
        StunServerHandle server = keep(StunServer.create().bindAddress(new InetSocketAddress("127.0.0.1", 0)).bindNow());
        StunClientConnection client = keep(StunClient.create().bind().block(TIMEOUT));
        StunClientConnection replayer = keep(StunClient.create().bind().block(TIMEOUT));
        BindingResult first = client.binding(server.address()).block(TIMEOUT);
        sendRaw(replayer, first.response().toBytes(), client.localAddress());
        sendRaw(replayer, new StunMessage(StunClass.SUCCESS_RESPONSE, StunMethod.BINDING,
                new TransactionId(1, 2), first.response().attributes()).toBytes(), client.localAddress());
        // waits for both datagrams, however slow the machine (loopback loses nothing at this rate)
        Await.until(() -> client.lateResponses() + client.dropped() == 2, TIMEOUT);
        assertThat(client.lateResponses()).as("the replayed answer is ours, late").isEqualTo(1);
        assertThat(client.dropped()).as("an answer to a transaction we never ran is dropped").isEqualTo(1);
    }

    @Test
    void theServerAsksForTheSharedPortsFourMebibyteReceiveBufferByDefault() throws Exception {
        assertThat(StunServer.DEFAULT_RECEIVE_BUFFER).isEqualTo(io.reactiveice.SharedUdpPort.DEFAULT_RECEIVE_BUFFER);
        StunServerHandle server = keep(StunServer.create().bindNow());
        assertThat(grantedReceiveBuffer(server.address().getPort())).isEqualTo(granted(StunServer.DEFAULT_RECEIVE_BUFFER));
    }

    @Test
    void theReceiveBufferCanBeSet() throws Exception {
        StunServerHandle server = keep(StunServer.create().receiveBuffer(300_000).bindNow());
        assertThat(grantedReceiveBuffer(server.address().getPort())).isEqualTo(granted(300_000));
    }

    /** What Linux grants for a request: at most net.core.rmem_max, and reported twice over (for its overhead). */
    private static long granted(int requested) throws Exception {
        long cap = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
        return 2 * Math.min(requested, cap);
    }

    /** The receive buffer {@code ss} reports for the UDP socket on a local port. */
    private static long grantedReceiveBuffer(int port) throws Exception {
        String ss = ExternalProgram.require("ss", "iproute2").toString();
        Process p = new ProcessBuilder(ss, "-u", "-a", "-m", "-n", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        Matcher rb = Pattern.compile("skmem:\\(r\\d+,rb(\\d+),").matcher(out);
        assertThat(rb.find()).as("ss output: %s", out).isTrue();
        return Long.parseLong(rb.group(1));
    }

    private static void sendRaw(StunClientConnection client, byte[] bytes, InetSocketAddress to) {
        client.channelForTests().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), to)).syncUninterruptibly();
    }
}
