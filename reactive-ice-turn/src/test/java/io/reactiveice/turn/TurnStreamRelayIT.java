package io.reactiveice.turn;

import static io.reactiveice.turn.TurnRelayIT.TIMEOUT;
import static io.reactiveice.turn.TurnRelayIT.ascii;
import static io.reactiveice.turn.TurnRelayIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
        RelayAndPeer t = new RelayAndPeer(relay, TIMEOUT);
        try (t) {
            assertThat(relay.relayedAddress().getAddress().isLoopbackAddress()).isTrue();

            relay.permit(t.peer.localAddress()).block(TIMEOUT);
            t.peer.send(ascii("p1"), relay.relayedAddress()); // a Data indication over the stream
            await(() -> t.atRelay.contains(t.peerPort() + " p1"));

            relay.send(ascii("r1"), t.peer.localAddress()); // a Send indication; asks for the channel
            await(() -> t.atPeer.contains(relay.relayedAddress() + " r1"));
            await(() -> t.events.stream().anyMatch(e -> e instanceof TurnEvent.ChannelBound));

            // RFC 8656 section 12.5: over a stream ChannelData is padded to a multiple of four both ways
            relay.send(ascii("r2x"), t.peer.localAddress());
            await(() -> t.atPeer.contains(relay.relayedAddress() + " r2x"));
            t.peer.send(ascii("p2y"), relay.relayedAddress());
            t.peer.send(ascii("p3"), relay.relayedAddress());
            await(() -> t.atRelay.contains(t.peerPort() + " p2y") && t.atRelay.contains(t.peerPort() + " p3"));
            assertThat(relay.dropped()).isZero();
        }
        assertThat(t.events).last().isEqualTo(new TurnEvent.Deallocated());
        await(() -> COTURN.get().allocations() == 0); // RFC 8656 section 8: deleted on the server, not left to expire
    }
}
