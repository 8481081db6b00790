package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The service interface the TURN client will implement, wired through gathering, pairing and the
 * transport policy: an in-process stand-in allocates "relayed" sockets on 127.0.0.9 of an in-memory
 * network, so what is tested is the agent's side only.
 */
class RelayAllocatorTest extends VirtualTimeSessions {
    private final AtomicInteger allocations = new AtomicInteger();

    /** Stands in for a TURN client: each allocation is a socket on 127.0.0.9. */
    private final RelayAllocator fakeTurn = (server, receiver) -> {
        allocations.incrementAndGet();
        return net.bind(new InetSocketAddress("127.0.0.9", 0), receiver).map(socket -> new RelayAllocator.RelayedSocket() {
                    @Override
                    public InetSocketAddress mappedAddress() {
                        return new InetSocketAddress("127.0.0.1", 7);
                    }

                    @Override
                    public InetSocketAddress localAddress() {
                        return socket.localAddress();
                    }

                    @Override
                    public void send(ByteBuf data, InetSocketAddress to) {
                        socket.send(data, to);
                    }

                    @Override
                    public void dispose() {
                        socket.dispose();
                    }

                    @Override
                    public boolean isDisposed() {
                        return socket.isDisposed();
                    }
                });
    };

    private IceSession start(IceRole role, String ip, long seed) throws Exception {
        IceSession[] out = new IceSession[1];
        IceAgent.create().role(role).scheduler(clock).random(new SplittableRandom(seed)).packetTransport(net)
                .hostAddresses(List.of(InetAddress.getByName(ip)))
                .iceServers(List.of(IceServer.parse("turn:127.0.0.5:3478", "user", "pass")))
                .transportPolicy(TransportPolicy.RELAY)
                .relayAllocator(fakeTurn)
                .start().subscribe(s -> out[0] = s);
        clock.advanceTime();
        return out[0];
    }

    @Test
    void relayPolicySignalsAndUsesRelayedCandidatesOnly() throws Exception {
        a = start(IceRole.CONTROLLING, "127.0.0.1", 1);
        b = start(IceRole.CONTROLLED, "127.0.0.2", 2);
        clock.advanceTimeBy(Duration.ofMillis(10));
        List<IceCandidate> ca = a.localCandidates().collectList().block(Duration.ofSeconds(5));
        List<IceCandidate> cb = b.localCandidates().collectList().block(Duration.ofSeconds(5));
        assertThat(ca).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(CandidateType.RELAYED);
            assertThat(c.address()).isEqualTo("127.0.0.9");
            assertThat(c.relatedAddress()).isEqualTo("127.0.0.1");
            assertThat(c.priority() >>> 24).isZero(); // type preference 0 (RFC 8445 section 5.1.2.2)
        });
        assertThat(cb).singleElement().extracting(IceCandidate::type).isEqualTo(CandidateType.RELAYED);
        assertThat(allocations).hasValue(2);

        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
        ca.forEach(b::addRemoteCandidate);
        cb.forEach(a::addRemoteCandidate);
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a.state()).isEqualTo(IceState.CONNECTED);
        assertThat(a.selectedPair().local().type()).isEqualTo(CandidateType.RELAYED);
        assertThat(b.selectedPair().local().type()).isEqualTo(CandidateType.RELAYED);
        assertThat(net.sent).isNotEmpty().allSatisfy(s ->
                assertThat(s.from().getAddress().getHostAddress()).isEqualTo("127.0.0.9")); // nothing left a host socket
    }

    @Test
    void relayPolicyWithoutAnAllocatorFailsFastNamingWhatIsMissing() {
        Assertions.assertThatThrownBy(() -> IceAgent.create()
                        .hostAddresses(List.of(InetAddress.getLoopbackAddress()))
                        .transportPolicy(TransportPolicy.RELAY).start().block(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("relayAllocator");
    }
}
