package io.reactiveice.turn;

import static io.reactiveice.turn.TurnRelayIT.TIMEOUT;
import static io.reactiveice.turn.TurnRelayIT.ascii;
import static io.reactiveice.turn.TurnRelayIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/**
 * The TURN client against a real coturn on 127.0.0.1 over TCP and over TLS
 * (RFC 8656 section 3.1): the allocation still relays UDP to peers.
 */
class TurnStreamRelayIT {
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.startWithTls("verbose");


    static TurnRelayAllocator client() {
        return TurnRelayAllocator.create().localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    static IceServer overTcp() {
        return IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort() + "?transport=tcp", Coturn.USER,
                Coturn.PASSWORD);
    }

    static IceServer overTls() {
        return IceServer.parse("turns:127.0.0.1:" + COTURN.get().tlsAddress().getPort(), Coturn.USER, Coturn.PASSWORD);
    }

    @Test
    void overTcpAllocatesPermitsBindsAChannelAndCarriesDataBothWays() {
        carriesDataBothWays(client().open(overTcp()).block(TIMEOUT));
    }

    @Test
    void overTlsWithTheTrustedCertificateAllocatesPermitsBindsAChannelAndCarriesDataBothWays() {
        carriesDataBothWays(client().trustedCertificates(COTURN.get().certificate()).open(overTls()).block(TIMEOUT));
    }

    // RFC 8656 section 3.1: the server's certificate is verified by default
    @Test
    void overTlsAnUntrustedCertificateIsATypedTlsErrorNamingTheServer() {
        StepVerifier.create(client().open(overTls()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TurnTlsException.class)
                        .hasMessageContaining(String.valueOf(COTURN.get().tlsAddress().getPort()))
                        .hasMessageContaining("unable to find valid certification path")
                        .hasCauseInstanceOf(SSLException.class))
                .verify(TIMEOUT);
    }

    // RFC 8656 section 3.1 / RFC 6125: a trusted certificate must also name the server it came from
    @Test
    void overTlsATrustedCertificateForAnotherNameIsATypedTlsError() {
        IceServer byName = IceServer.parse("turns:localhost:" + COTURN.get().tlsAddress().getPort(), Coturn.USER,
                Coturn.PASSWORD);
        StepVerifier.create(client().trustedCertificates(COTURN.get().certificate()).open(byName))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TurnTlsException.class)
                        .hasCauseInstanceOf(SSLException.class)
                        .hasMessageContaining("No name matching localhost"))
                .verify(TIMEOUT);
    }

    // RFC 8656 section 3.1: the allocation lives as long as its connection
    @Test
    void overTcpAServerThatClosesTheConnectionLosesTheAllocation() {
        try (Coturn doomed = Coturn.start()) {
            IceServer server = IceServer.parse("turn:127.0.0.1:" + doomed.address().getPort() + "?transport=tcp",
                    Coturn.USER, Coturn.PASSWORD);
            TurnRelay relay = client().open(server).block(TIMEOUT);
            try {
                StepVerifier.create(relay.events().filter(e -> e instanceof TurnEvent.AllocationLost).next())
                        .then(doomed::close)
                        .assertNext(e -> assertThat(((TurnEvent.AllocationLost) e).cause())
                                .isInstanceOf(TurnProtocolException.class).hasMessageContaining("connection closed"))
                        .expectComplete()
                        .verify(TIMEOUT);
                // and the agent hears of it through RelayedSocket.lost()
                StepVerifier.create(relay.lost())
                        .assertNext(cause -> assertThat(cause).isInstanceOf(TurnProtocolException.class))
                        .expectComplete()
                        .verify(TIMEOUT);
            } finally {
                relay.close().block(TIMEOUT);
            }
        }
    }

    private static void carriesDataBothWays(TurnRelay relay) {
        ConcurrentLinkedQueue<TurnEvent> events = new ConcurrentLinkedQueue<>();
        Disposable watching = relay.events().subscribe(events::add);
        ConcurrentLinkedQueue<String> atRelay = new ConcurrentLinkedQueue<>();
        Disposable reading = relay.receive().subscribe(d -> {
            atRelay.add(d.peer().getPort() + " " + d.content().toString(StandardCharsets.US_ASCII));
            d.content().release();
        });
        ConcurrentLinkedQueue<String> atPeer = new ConcurrentLinkedQueue<>();
        PacketSocket peer = PacketTransport.udp().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (data, sender) -> atPeer.add(sender + " " + data.toString(StandardCharsets.US_ASCII))).block(TIMEOUT);
        try {
            assertThat(relay.relayedAddress().getAddress().isLoopbackAddress()).isTrue();
            int peerPort = peer.localAddress().getPort();

            relay.permit(peer.localAddress()).block(TIMEOUT);
            peer.send(ascii("p1"), relay.relayedAddress()); // a Data indication over the stream
            await(() -> atRelay.contains(peerPort + " p1"));

            relay.send(ascii("r1"), peer.localAddress()); // a Send indication; asks for the channel
            await(() -> atPeer.contains(relay.relayedAddress() + " r1"));
            await(() -> events.stream().anyMatch(e -> e instanceof TurnEvent.ChannelBound));

            // RFC 8656 section 12.5: over a stream ChannelData is padded to a multiple of four both ways
            relay.send(ascii("r2x"), peer.localAddress());
            await(() -> atPeer.contains(relay.relayedAddress() + " r2x"));
            peer.send(ascii("p2y"), relay.relayedAddress());
            peer.send(ascii("p3"), relay.relayedAddress());
            await(() -> atRelay.contains(peerPort + " p2y") && atRelay.contains(peerPort + " p3"));
            assertThat(relay.dropped()).isZero();
        } finally {
            reading.dispose();
            peer.dispose();
            relay.close().block(TIMEOUT);
            watching.dispose();
        }
        assertThat(events).last().isEqualTo(new TurnEvent.Deallocated());
        await(() -> COTURN.get().allocations() == 0); // RFC 8656 section 8: deleted on the server, not left to expire
    }
}
