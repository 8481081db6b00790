package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceState;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Mistakes in putting sessions on a {@link SharedUdpPort} fail at the call that makes them, with an
 * {@link IceConfigException} naming the setting and the real reason: a disposed port, host addresses
 * that are not the port's, two sessions with one ufrag. On an in-process network in virtual time.
 */
class SharedPortConfigTest {
    private static final long MS = 1_000_000L;
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final InMemoryNetwork net = new InMemoryNetwork(clock, MS);
    private final List<Disposable> cleanup = new ArrayList<>();
    private final SharedUdpPort port = bind();

    @AfterEach
    void dispose() {
        cleanup.forEach(Disposable::dispose);
        port.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        clock.dispose();
    }

    private SharedUdpPort bind() {
        return SharedUdpPort.create().bindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478))
                .transport(net).clock(clock).errorRateLimit(10, 10).bind()
                .block(Duration.ofSeconds(5));
    }

    private IceAgent lite() {
        return IceAgent.create().lite(true).scheduler(clock).random(new SplittableRandom(1));
    }

    /** Subscribes to start() and runs the clock: the session, or the error it failed with. */
    private Object start(IceAgent agent) {
        AtomicReference<Object> out = new AtomicReference<>();
        agent.start().subscribe(s -> {
            cleanup.add(s);
            out.set(s);
        }, out::set);
        clock.advanceTime();
        assertThat(out.get()).as("start() signalled").isNotNull();
        return out.get();
    }

    @Test
    void aSessionOnADisposedPortFailsAtStartNamingTheSharedPort() {
        IceAgent agent = lite().sharedPort(port);
        port.dispose();
        assertThat(start(agent)).isInstanceOfSatisfying(IceConfigException.class, e -> {
            assertThat(e.field()).isEqualTo("sharedPort");
            assertThat(e).hasMessageContaining("is disposed");
        });
        assertThatThrownBy(() -> lite().sharedPort(port))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("sharedPort"));
    }

    // RFC 8445 section 7.3: checks are routed by ufrag; a second session must not take the first's.
    @Test
    void aSecondSessionWithTheSameUfragOnOnePortFailsAtStartAndTheFirstKeepsItsChecks() {
        IceCredentials same = IceCredentials.generate(new SplittableRandom(5));
        IceAgent agent = lite().credentials(same).sharedPort(port);
        Object first = start(agent);
        assertThat(first).isInstanceOf(IceSession.class);
        assertThat(start(agent)).isInstanceOfSatisfying(IceConfigException.class, e -> {
            assertThat(e.field()).isEqualTo("credentials");
            assertThat(e).hasMessageContaining("ufrag " + same.ufrag() + " is already used by another session");
        });
        clock.advanceTime();
        assertThat(port.routedUfrags()).isEqualTo(1);

        PacketSocket peer = net.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 7_000), (d, s) -> { })
                .block(Duration.ofSeconds(5));
        cleanup.add(peer);
        peer.send(SharedUdpPortFloodTest.check(same.ufrag() + ":peer", same.pwd()), port.localAddress());
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(((IceSession) first).state()).as("the first session got the check").isEqualTo(IceState.CHECKING);
    }

    @Test
    void hostAddressesOtherThanThePortsFailAtTheBuilderCallNamingThem() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        assertThatThrownBy(() -> lite().sharedPort(port).hostAddresses(List.of(other)))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("hostAddresses"))
                .hasMessage("hostAddresses must be exactly the shared port's address 127.0.0.1 but were [127.0.0.2]")
                .hasNoCause();
        assertThatThrownBy(() -> lite().hostAddresses(List.of(port.localAddress().getAddress(), other)).sharedPort(port))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("hostAddresses"))
                .hasMessageContaining("but were [127.0.0.1, 127.0.0.2]");
        assertThatThrownBy(() -> lite().sharedPort(port).packetTransport(net))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("packetTransport"));
        // the port's own address is no mistake, in either order
        assertThat(start(lite().hostAddresses(List.of(port.localAddress().getAddress())).sharedPort(port)))
                .isInstanceOf(IceSession.class);
    }

    @Test
    void aSharedTcpPortOnTheSharedUdpPortsAddressAndPortFailsAtStartNamingIt() {
        SharedTcpPort tcp = SharedTcpPort.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .block(Duration.ofSeconds(5));
        SharedUdpPort udp = SharedUdpPort.create().bindAddress(tcp.localAddress()).transport(net).clock(clock).bind()
                .block(Duration.ofSeconds(5));
        try {
            assertThat(start(lite().sharedPort(udp).sharedTcpPort(tcp)))
                    .isInstanceOfSatisfying(IceConfigException.class, e -> {
                        assertThat(e.field()).isEqualTo("sharedTcpPort");
                        assertThat(e).hasMessageContaining("has the address of sharedPort " + udp.localAddress());
                    });
            assertThat(udp.routedUfrags()).as("nothing routed by the failed start").isZero();
            assertThat(start(lite().sharedPort(port).sharedTcpPort(tcp))).as("another port number is fine")
                    .isInstanceOf(IceSession.class);
        } finally {
            udp.dispose();
            tcp.dispose();
        }
    }
}
