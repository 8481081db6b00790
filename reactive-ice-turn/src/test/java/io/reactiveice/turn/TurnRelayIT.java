package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceServer;
import io.reactiveice.testing.Await;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The TURN client against a real coturn on 127.0.0.1, over UDP. */
class TurnRelayIT {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start();


    static IceServer server(String password) {
        return IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort(), Coturn.USER, password);
    }

    static TurnRelayAllocator client() {
        return TurnRelayAllocator.create().localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void allocatesPermitsBindsAChannelAndCarriesDataBothWays() {
        CountingTransport counting = new CountingTransport();
        RelayAndPeer t = new RelayAndPeer(client().packetTransport(counting).open(server(Coturn.PASSWORD)).block(TIMEOUT),
                TIMEOUT);
        TurnRelay relay = t.relay;
        try (t) {
            assertThat(relay.relayedAddress().getAddress().isLoopbackAddress()).isTrue();
            assertThat(relay.mappedAddress()).isEqualTo(counting.lastLocal);

            relay.permit(t.peer.localAddress()).block(TIMEOUT);
            t.peer.send(ascii("p1"), relay.relayedAddress()); // comes back as a Data indication
            await(() -> t.atRelay.contains(t.peerPort() + " p1"));

            relay.send(ascii("r1"), t.peer.localAddress()); // a Send indication; asks for the channel
            await(() -> t.atPeer.contains(relay.relayedAddress() + " r1"));
            await(() -> t.events.stream().anyMatch(e -> e instanceof TurnEvent.ChannelBound));
            assertThat(counting.channelDataSent).hasValue(0);

            relay.send(ascii("r2"), t.peer.localAddress()); // ChannelData now
            await(() -> t.atPeer.contains(relay.relayedAddress() + " r2"));
            assertThat(counting.channelDataSent).hasValue(1);
            t.peer.send(ascii("p2"), relay.relayedAddress()); // and coturn answers in ChannelData
            await(() -> t.atRelay.contains(t.peerPort() + " p2"));
            assertThat(counting.channelDataReceived).hasValue(1);
            assertThat(relay.dropped()).isZero();
        }
        assertThat(t.events).last().isEqualTo(new TurnEvent.Deallocated());
    }

    @Test
    void aStreamToAPeerWithABoundChannelLeavesInBatchesOfChannelData() {
        CountingTransport counting = new CountingTransport();
        TurnRelay relay = client().packetTransport(counting).open(server(Coturn.PASSWORD)).block(TIMEOUT);
        ConcurrentLinkedQueue<TurnEvent> events = new ConcurrentLinkedQueue<>();
        Disposable watching = relay.events().subscribe(events::add);
        Set<String> atPeer = ConcurrentHashMap.newKeySet();
        PacketSocket peer = PacketTransport.udp().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (data, sender) -> atPeer.add(data.toString(StandardCharsets.US_ASCII))).block(TIMEOUT);
        try {
            relay.send(peer.localAddress(), Flux.just(ascii("first"))).block(TIMEOUT); // asks for the channel
            await(() -> atPeer.contains("first") && events.stream().anyMatch(e -> e instanceof TurnEvent.ChannelBound));
            assertThat(counting.channelDataSentInBatches).hasValue(0); // a Send indication, through the core

            int n = 200; // well within the peer's receive buffer, so loopback loses none
            relay.send(peer.localAddress(), Flux.range(0, n).map(i -> ascii("s" + i))).block(TIMEOUT);
            await(() -> atPeer.size() == n + 1);
            assertThat(atPeer).containsAll(IntStream.range(0, n).mapToObj(i -> "s" + i).toList());
            assertThat(counting.channelDataSentInBatches).hasValue(n);
            assertThat(relay.dropped()).isZero();
        } finally {
            peer.dispose();
            relay.close().block(TIMEOUT);
            watching.dispose();
        }
    }

    // RFC 8489 section 9.2.5: the wrong password is a typed error naming the server, not a hang
    @Test
    void aWrongPasswordIsATypedAuthenticationErrorNamingTheServer() {
        StepVerifier.create(client().open(server("not-the-password")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TurnAuthenticationException.class)
                        .hasMessageContaining(COTURN.get().address().toString().replace("localhost", ""))
                        .hasMessageNotContaining("not-the-password"))
                .verify(TIMEOUT);
    }

    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    static void await(BooleanSupplier condition) {
        Await.until(condition, TIMEOUT);
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
