package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.IceServer;
import io.reactiveice.IceSession;
import io.reactiveice.TransportPolicy;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceCandidateStats;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceStats;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import io.reactiveice.testing.DatagramTransfer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two ICE agents that may only use relayed candidates (transport policy relay), both allocating
 * through this client on a real coturn: they connect, carry 10,000 datagrams each way with none
 * lost, and their allocations are deleted when the sessions are disposed.
 */
class RelayedIceSessionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start("verbose");


    @Test
    void twoRelayOnlyAgentsConnectThroughCoturnAndLoseNoneOfTenThousandDatagrams() {
        CountingTransport counting = new CountingTransport();
        TurnRelayAllocator turn = TurnRelayAllocator.create().packetTransport(counting)
                .localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        IceServer server = IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort(), Coturn.USER, Coturn.PASSWORD);
        IceAgent base = IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()))
                .iceServers(List.of(server)).transportPolicy(TransportPolicy.RELAY).relayAllocator(turn);
        IceSession a = base.role(IceRole.CONTROLLING).start().block(TIMEOUT);
        IceSession b = base.role(IceRole.CONTROLLED).start().block(TIMEOUT);
        try {
            a.setRemoteCredentials(b.localCredentials());
            b.setRemoteCredentials(a.localCredentials());
            a.localCandidates().doOnComplete(b::remoteEndOfCandidates).subscribe(b::addRemoteCandidate);
            b.localCandidates().doOnComplete(a::remoteEndOfCandidates).subscribe(a::addRemoteCandidate);
            IceConnection ca = a.connect().block(TIMEOUT);
            IceConnection cb = b.connect().block(TIMEOUT);
            assertThat(ca.selectedPair().local().type()).isEqualTo(CandidateType.RELAYED);
            assertThat(cb.selectedPair().local().type()).isEqualTo(CandidateType.RELAYED);
            assertThat(COTURN.get().allocations()).isEqualTo(2);
            DatagramTransfer.transfer(ca, cb, "a->b", 10_000, 100, TIMEOUT);
            DatagramTransfer.transfer(cb, ca, "b->a", 10_000, 100, TIMEOUT);
            // channels were bound as soon as the checks began: the data went as ChannelData
            assertThat(counting.channelDataSent.get()).isGreaterThanOrEqualTo(20_000);
            assertThat(counting.channelDataReceived.get()).isGreaterThanOrEqualTo(20_000);
            // issue 15: the relayed pair's data counts, its candidate's server, and the allocation behind it
            IceStats stats = a.stats().block(TIMEOUT);
            IceCandidatePairStats pair = stats.selectedCandidatePair().orElseThrow();
            assertThat(pair.packetsSent()).isEqualTo(10_000);
            assertThat(pair.packetsReceived()).isEqualTo(10_000);
            IceCandidateStats relayed = stats.candidate(pair.localCandidateId()).orElseThrow();
            assertThat(relayed.candidateType()).isEqualTo(CandidateType.RELAYED);
            assertThat(relayed.url()).isEqualTo("turn:127.0.0.1:" + COTURN.get().address().getPort());
            assertThat(relayed.relayProtocol()).isEqualTo("udp");
            assertThat(stats.relayAllocations()).singleElement().satisfies(r -> {
                assertThat(r.relayedAddress()).isEqualTo(ca.selectedPair().base());
                assertThat(r.state()).isEqualTo(RelayAllocationStats.State.ALLOCATED);
                assertThat(r.lifetime()).isPositive();
                assertThat(r.refreshes()).isZero();
            });
        } finally {
            a.dispose();
            b.dispose();
        }
        TurnLifecycleIT.awaitNoAllocations(COTURN.get());
    }
}
