package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.reactiveice.IceServer;
import io.reactiveice.RelayAllocator;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The reactive shell in virtual time over an in-process server: every timer runs on the injected
 * scheduler, so refreshes happen at exact virtual instants and nothing fires early.
 */
class TurnRelayAllocatorTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 45_000);
    private static final IceServer SERVER = IceServer.parse("turn:127.0.0.1:3478", "alice", "wonderland");

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final FakeServerTransport server = new FakeServerTransport(clock);
    private final TurnRelayAllocator turn = TurnRelayAllocator.create().scheduler(clock).packetTransport(server)
            .random(new SplittableRandom(1));

    @AfterEach
    void stopClock() {
        clock.dispose();
    }

    private TurnRelay open() {
        TurnRelay[] out = new TurnRelay[1];
        turn.open(SERVER).subscribe(r -> out[0] = r);
        clock.advanceTime();
        assertThat(out[0]).as("allocated").isNotNull();
        return out[0];
    }

    @Test
    void timersRunOnTheInjectedSchedulerAtTheExactInstants() {
        TurnRelay relay = open();
        assertThat(relay.relayedAddress()).isEqualTo(FakeServerTransport.RELAYED);
        assertThat(relay.mappedAddress()).isEqualTo(FakeServerTransport.CLIENT);
        assertThat(server.what()).containsExactly("Allocate REQUEST", "Allocate REQUEST");

        relay.send(Unpooled.copiedBuffer("one", StandardCharsets.US_ASCII), PEER);
        clock.advanceTime();
        assertThat(server.what()).endsWith("CreatePermission REQUEST", "ChannelBind REQUEST", "Send INDICATION");
        assertThat(server.received.get(4).message().attribute(StunAttribute.Data.class).orElseThrow().value()
                .toByteArray()).asString(StandardCharsets.US_ASCII).isEqualTo("one");
        relay.send(Unpooled.copiedBuffer("two", StandardCharsets.US_ASCII), PEER);
        assertThat(server.what()).last().isEqualTo("ChannelData");
        int before = server.received.size();

        clock.advanceTimeBy(Duration.ofSeconds(240).minusNanos(1));
        assertThat(server.received).hasSize(before); // nothing early
        clock.advanceTimeBy(Duration.ofNanos(1));
        assertThat(server.what()).last().isEqualTo("CreatePermission REQUEST");
        assertThat(server.received.get(before).at()).isEqualTo(240 * S);

        clock.advanceTimeBy(Duration.ofSeconds(300).minusNanos(1)); // to 540 s - 1 ns
        assertThat(server.what()).hasSize(before + 2).last().isEqualTo("CreatePermission REQUEST"); // 480 s
        clock.advanceTimeBy(Duration.ofNanos(1));
        assertThat(server.what()).endsWith("Refresh REQUEST", "ChannelBind REQUEST");
        assertThat(server.received.get(server.received.size() - 1).at()).isEqualTo(540 * S);

        StepVerifier.create(relay.close()).then(clock::advanceTime).expectComplete().verify(Duration.ofSeconds(5));
        StunAttribute.Lifetime lifetime = server.received.get(server.received.size() - 1).message()
                .attribute(StunAttribute.Lifetime.class).orElseThrow();
        assertThat(lifetime).isEqualTo(new StunAttribute.Lifetime(0));
    }

    // issue 15: what the session's statistics report of a relayed candidate's allocation (RFC 8656 sections 7, 8)
    @Test
    void theAllocationsStatisticsFollowItsGrantRefreshesAndDeletion() {
        RelayAllocator.RelayedSocket[] out = new RelayAllocator.RelayedSocket[1];
        turn.allocate(SERVER, (data, sender) -> { }).subscribe(s -> out[0] = s);
        clock.advanceTime();
        RelayAllocator.RelayedSocket socket = out[0];
        assertThat(socket).as("allocated").isNotNull();
        assertThat(socket.allocationStats()).isEqualTo(new RelayAllocationStats(FakeServerTransport.RELAYED,
                RelayAllocationStats.State.ALLOCATED, Duration.ofSeconds(600), 0));

        clock.advanceTimeBy(Duration.ofSeconds(540).minusNanos(1));
        assertThat(socket.allocationStats().refreshes()).as("nothing early").isZero();
        clock.advanceTimeBy(Duration.ofNanos(1)); // refreshed 60 s before the 600 s end
        assertThat(socket.allocationStats().refreshes()).isEqualTo(1);
        clock.advanceTimeBy(Duration.ofSeconds(540));
        assertThat(socket.allocationStats().refreshes()).isEqualTo(2);
        assertThat(socket.allocationStats().state()).isEqualTo(RelayAllocationStats.State.ALLOCATED);

        StepVerifier.create(socket.close()).then(clock::advanceTime).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(socket.allocationStats().state()).isEqualTo(RelayAllocationStats.State.CLOSED);
        assertThat(socket.allocationStats().refreshes()).as("the deleting Refresh renews nothing").isEqualTo(2);
    }

    @Test
    void dataIndicationsAndChannelDataReachTheReceiverWithThePeerAsSender() {
        TurnRelay relay = open();
        ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
        Disposable reading = relay.receive().subscribe(d -> {
            got.add(d.peer().getPort() + " " + d.content().toString(StandardCharsets.US_ASCII));
            d.content().release();
        });
        server.dataIndication(PEER, "hello".getBytes(StandardCharsets.US_ASCII));
        relay.send(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII), PEER); // binds 0x4000
        clock.advanceTime();
        server.channelData(0x4000, "again".getBytes(StandardCharsets.US_ASCII));
        server.channelData(0x4001, "unbound".getBytes(StandardCharsets.US_ASCII));
        assertThat(got).containsExactly("45000 hello", "45000 again");
        assertThat(relay.dropped()).isEqualTo(1);
        reading.dispose();
        relay.close().subscribe();
        clock.advanceTime();
    }

    // RFC 8489 section 9.2.5: wrong credentials end in a typed error, not a hang
    @Test
    void refusedCredentialsFailTheAllocationWithATypedError() {
        server.acceptCredentials = false;
        StepVerifier.withVirtualTime(() -> turn.open(SERVER), () -> clock, Long.MAX_VALUE)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TurnAuthenticationException.class)
                        .hasMessageContaining("127.0.0.1:3478").hasMessageNotContaining("wonderland"))
                .verify(Duration.ofSeconds(5));
    }

    // RFC 8489 section 6.2.1: a silent server fails the allocation at 39.5 s, not before
    @Test
    void aSilentServerTimesOutAfterTheRfcSchedule() {
        server.answer = false;
        StepVerifier.withVirtualTime(() -> turn.open(SERVER), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(39_499))
                .thenAwait(Duration.ofMillis(1))
                .expectError(TurnTimeoutException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(server.received).hasSize(7);
    }

    // RFC 8656 section 11.1: a Send indication's transaction id comes from the injected random, so a seeded run repeats
    @Test
    void sendIndicationIdsComeFromTheInjectedRandom() {
        assertThat(firstSendIndicationId(7)).isEqualTo(firstSendIndicationId(7)).isNotEqualTo(firstSendIndicationId(8));
    }

    private TransactionId firstSendIndicationId(long seed) {
        FakeServerTransport own = new FakeServerTransport(clock);
        TurnRelay[] out = new TurnRelay[1];
        TurnRelayAllocator.create().scheduler(clock).packetTransport(own).random(new SplittableRandom(seed))
                .open(SERVER).subscribe(r -> out[0] = r);
        clock.advanceTime();
        out[0].send(Unpooled.copiedBuffer("one", StandardCharsets.US_ASCII), PEER);
        clock.advanceTime();
        TransactionId id = own.received.stream().filter(r -> r.what().equals("Send INDICATION")).findFirst()
                .orElseThrow().message().transactionId();
        out[0].close().subscribe();
        clock.advanceTime();
        return id;
    }
}
