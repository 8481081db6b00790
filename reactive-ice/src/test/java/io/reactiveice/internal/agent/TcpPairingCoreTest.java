package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.tcp.TcpPriority;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP in the core (RFC 6544 section 6.2, with the section 4.2 priorities), on the simulated network:
 * a TCP candidate pairs only with a TCP one, our active one only with the peer's passive one, never
 * active with active and never our passive one with anything (it opens no connection; the peer's
 * checks on it form its pairs); with UDP pairs beside, UDP is selected; with TCP only, the active to
 * passive pair is.
 */
class TcpPairingCoreTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress A_UDP = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A_ACTIVE = addr("127.0.0.1", 9);
    private static final InetSocketAddress A_PASSIVE = addr("127.0.0.1", 10_002);
    private static final InetSocketAddress B_UDP = addr("127.0.0.3", 20_001);
    private static final InetSocketAddress B_ACTIVE = addr("127.0.0.3", 9);
    private static final InetSocketAddress B_PASSIVE = addr("127.0.0.3", 20_002);

    private static LocalCandidate tcp(InetSocketAddress base, TcpType type) {
        IceCandidate c = new IceCandidate("t" + base.getPort(), 1, TransportProtocol.TCP,
                TcpPriority.of(CandidateType.HOST, type, 8191, 1), base.getAddress().getHostAddress(), base.getPort(),
                CandidateType.HOST, null, 0, type, List.of());
        return new LocalCandidate(c, base);
    }

    private static AgentPair pair(SimNetwork net, List<LocalCandidate> forA, List<LocalCandidate> forB) {
        return new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42).hosts(forA, forB);
    }

    @Test
    void tcpPairsOnlyActiveToPassiveAndUdpOnlyWithUdp() {
        SimNetwork net = new SimNetwork(31);
        AgentPair p = pair(net, List.of(host(A_UDP, 65_535), tcp(A_ACTIVE, TcpType.ACTIVE), tcp(A_PASSIVE, TcpType.PASSIVE)),
                List.of(host(B_UDP, 65_535), tcp(B_ACTIVE, TcpType.ACTIVE), tcp(B_PASSIVE, TcpType.PASSIVE)));

        List<String> pairs = p.a.describeChecklist();

        assertThat(pairs).as("A's pairs before any check: %s", pairs).hasSize(2);
        assertThat(pairs.get(0)).as("UDP first").contains(A_UDP.toString()).contains(B_UDP.toString());
        assertThat(pairs.get(1)).contains(A_ACTIVE.toString()).contains(B_PASSIVE.toString());
    }

    @Test
    void withUdpBesideTheUdpPairIsSelected() {
        SimNetwork net = new SimNetwork(32);
        AgentPair p = pair(net, List.of(host(A_UDP, 65_535), tcp(A_ACTIVE, TcpType.ACTIVE), tcp(A_PASSIVE, TcpType.PASSIVE)),
                List.of(host(B_UDP, 65_535), tcp(B_ACTIVE, TcpType.ACTIVE), tcp(B_PASSIVE, TcpType.PASSIVE)));

        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(2 * S);

        assertThat(p.a.selectedPair().local().transport()).isEqualTo(TransportProtocol.UDP);
        assertThat(p.b.selectedPair().local().transport()).isEqualTo(TransportProtocol.UDP);
    }

    @Test
    void withTcpOnlyTheActiveToPassivePairIsSelectedOnBothSides() {
        SimNetwork net = new SimNetwork(33);
        AgentPair p = pair(net, List.of(tcp(A_ACTIVE, TcpType.ACTIVE), tcp(A_PASSIVE, TcpType.PASSIVE)),
                List.of(tcp(B_ACTIVE, TcpType.ACTIVE), tcp(B_PASSIVE, TcpType.PASSIVE)));

        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();

        assertThat(p.a.selectedPair().local().transport()).isEqualTo(TransportProtocol.TCP);
        assertThat(p.a.selectedPair().base()).isEqualTo(p.b.selectedPair().remoteAddress());
        assertThat(p.b.selectedPair().base()).isEqualTo(p.a.selectedPair().remoteAddress());
        assertThat(List.of(p.a.selectedPair().local().tcpType(), p.b.selectedPair().local().tcpType()))
                .containsExactlyInAnyOrder(TcpType.ACTIVE, TcpType.PASSIVE);
    }

    @Test
    void aCheckOverTcpIsSentOnceAndFailsNoLaterThanOneOverUdp() {
        SimNetwork net = new SimNetwork(34);
        net.block(t -> t.to().equals(B_PASSIVE)); // the connection is up but nothing comes back
        AgentPair p = pair(net, List.of(tcp(A_ACTIVE, TcpType.ACTIVE)), List.of(tcp(B_PASSIVE, TcpType.PASSIVE)));

        long start = net.now();
        boolean failed = net.runUntil(() -> {
            p.drain();
            return p.a.state() == IceState.FAILED;
        }, 60 * S);

        long sends = net.sent.stream().filter(t -> t.to().equals(B_PASSIVE) && AgentPair.isRequest(t.data())).count();
        assertThat(sends).as("RFC 6544 7.1 / RFC 8489 6.2.2: no retransmission over TCP").isEqualTo(1);
        assertThat(failed).isTrue();
        // as long as the UDP schedule waits (RFC 8489 section 6.2.1: 39.5 s with RTO 500 ms), and no longer
        assertThat(net.now() - start).isBetween(39 * S, 40 * S);
        assertThat(p.a.describeChecklist()).allSatisfy(d -> assertThat(d).contains("FAILED"));
    }

    @Test
    void aPeersUdpAndTcpCandidatesOnTheSameAddressAndPortAreTwoCandidates() {
        SimNetwork net = new SimNetwork(35);
        InetSocketAddress bPassiveOnUdpPort = B_UDP; // a server may listen on TCP and UDP with one port number
        AgentPair p = pair(net, List.of(host(A_UDP, 65_535), tcp(A_ACTIVE, TcpType.ACTIVE)),
                List.of(host(B_UDP, 65_535), tcp(bPassiveOnUdpPort, TcpType.PASSIVE)));

        List<String> pairs = p.a.describeChecklist();

        assertThat(pairs).as("A's pairs: %s", pairs).hasSize(2);
        assertThat(pairs.get(0)).contains(A_UDP.toString()).contains(B_UDP.toString());
        assertThat(pairs.get(1)).contains(A_ACTIVE.toString()).contains(bPassiveOnUdpPort.toString());
    }
}
