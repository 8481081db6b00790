package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.reactiveice.IceServer;
import io.reactiveice.candidate.IpLiteral;
import io.reactiveice.testing.Await;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * What an Allocate can ask for besides a UDP relay, against a coturn that relays on 127.0.0.1 and
 * on ::1: an IPv6 relayed address (REQUESTED-ADDRESS-FAMILY) and DONT-FRAGMENT.
 */
class TurnAllocateOptionsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final InetAddress IPV6_LOOPBACK = IpLiteral.parse("::1");
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start("relay-ip=::1", "verbose");


    private static IceServer server() {
        return IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort(), Coturn.USER, Coturn.PASSWORD);
    }

    private static TurnRelayAllocator client() {
        return TurnRelayAllocator.create().localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    // RFC 8656 section 7.1: an IPv6 relay asked for over an IPv4 connection to the server, with data
    // both ways between it and a peer on ::1
    @Test
    void anIpv6RelayCarriesDataToAndFromAnIpv6Peer() {
        TurnRelay relay = client().addressFamily(StandardProtocolFamily.INET6).open(server()).block(TIMEOUT);
        ConcurrentLinkedQueue<String> atRelay = new ConcurrentLinkedQueue<>();
        Disposable reading = relay.receive().subscribe(d -> {
            atRelay.add(describe(d.peer()) + " " + d.content().toString(StandardCharsets.US_ASCII));
            d.content().release();
        });
        ConcurrentLinkedQueue<String> atPeer = new ConcurrentLinkedQueue<>();
        PacketSocket peer = PacketTransport.udp().bind(new InetSocketAddress(IPV6_LOOPBACK, 0),
                (data, sender) -> atPeer.add(describe(sender) + " " + data.toString(StandardCharsets.US_ASCII)))
                .block(TIMEOUT);
        try {
            assertThat(relay.relayedAddress().getAddress()).isInstanceOf(Inet6Address.class)
                    .isEqualTo(IPV6_LOOPBACK);
            assertThat(relay.mappedAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());

            relay.permit(peer.localAddress()).block(TIMEOUT);
            relay.send(Unpooled.copiedBuffer("to-v6", StandardCharsets.US_ASCII), peer.localAddress());
            await(() -> atPeer.contains(describe(relay.relayedAddress()) + " to-v6"), atPeer);
            peer.send(Unpooled.copiedBuffer("from-v6", StandardCharsets.US_ASCII), relay.relayedAddress());
            await(() -> atRelay.contains(describe(peer.localAddress()) + " from-v6"), atRelay);
        } finally {
            reading.dispose();
            peer.dispose();
            relay.close().block(TIMEOUT);
        }
    }

    // RFC 8656 section 7.2: a peer of the other family is refused (443) and reported, not hung on
    @Test
    void aPeerOfTheOtherFamilyIsRefusedWithATypedError() {
        TurnRelay relay = client().addressFamily(StandardProtocolFamily.INET6).open(server()).block(TIMEOUT);
        try {
            Throwable refused = relay.permit(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9))
                    .then(Mono.<Throwable>empty())
                    .onErrorResume(e -> Mono.just(e))
                    .block(TIMEOUT);
            assertThat(refused).isInstanceOfSatisfying(TurnRefusedException.class,
                    e -> assertThat(e.code()).isEqualTo(443));
        } finally {
            relay.close().block(TIMEOUT);
        }
    }

    // RFC 8656 section 7.1: DONT-FRAGMENT either is accepted, and then Send indications carry it, or
    // is refused with 420 and the allocation is made without it; coturn on Linux accepts it
    @Test
    void dontFragmentIsAskedForAndDataStillFlows() {
        CountingTransport counting = new CountingTransport();
        TurnRelay relay = client().dontFragment(true).packetTransport(counting).open(server()).block(TIMEOUT);
        ConcurrentLinkedQueue<String> atPeer = new ConcurrentLinkedQueue<>();
        PacketSocket peer = PacketTransport.udp().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (data, sender) -> atPeer.add(data.toString(StandardCharsets.US_ASCII))).block(TIMEOUT);
        try {
            assertThat(relay.dontFragment()).isTrue();
            relay.permit(peer.localAddress()).block(TIMEOUT);
            relay.send(Unpooled.copiedBuffer("df", StandardCharsets.US_ASCII), peer.localAddress());
            await(() -> atPeer.contains("df"), atPeer);
            assertThat(counting.sendIndicationsWithDontFragment).hasValue(1);
        } finally {
            peer.dispose();
            relay.close().block(TIMEOUT);
        }
    }

    /** "v6-loopback:port" for ::1 (whatever its scope), the address otherwise. */
    private static String describe(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        return (ip instanceof Inet6Address && ip.isLoopbackAddress() ? "v6-loopback" : ip.getHostAddress())
                + ":" + a.getPort();
    }

    private static void await(BooleanSupplier condition, Object seen) {
        Await.until(condition, TIMEOUT);
        assertThat(condition.getAsBoolean()).as("condition met within " + TIMEOUT + "; seen " + seen).isTrue();
    }
}
