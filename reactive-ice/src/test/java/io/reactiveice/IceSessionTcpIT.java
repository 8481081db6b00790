package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.testing.DatagramTransfer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * ICE-TCP (RFC 6544) between two agents on 127.0.0.1 over real TCP: with TCP candidates only they
 * connect over an active-passive pair and carry 10,000 datagrams each way with none lost or reordered;
 * with UDP and TCP candidates together they select a UDP pair, as TCP pairs rank below UDP ones.
 */
class IceSessionTcpIT {

    @Test
    void twoAgentsWithTcpCandidatesOnlyConnectAndCarryTenThousandDatagramsEachWayInOrder() {
        try (IcePeers p = new IcePeers(IcePeers.tcpOnly(), IcePeers.tcpOnly()).signal()) {
            List<IceCandidate> ofA = p.a.localCandidates().collectList().block(IcePeers.TIMEOUT);
            assertThat(ofA).extracting(IceCandidate::transport).containsOnly(TransportProtocol.TCP);
            assertThat(ofA).extracting(IceCandidate::tcpType).containsExactlyInAnyOrder(TcpType.PASSIVE, TcpType.ACTIVE);
            assertThat(ofA).filteredOn(c -> c.tcpType() == TcpType.ACTIVE).extracting(IceCandidate::port).containsExactly(9);

            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);

            CandidatePair pa = ca.selectedPair();
            CandidatePair pb = cb.selectedPair();
            assertThat(pa.local().transport()).isEqualTo(TransportProtocol.TCP);
            assertThat(pb.local().transport()).isEqualTo(TransportProtocol.TCP);
            assertThat(List.of(pa.local().tcpType(), pb.local().tcpType())).as("one side active, the other passive")
                    .containsExactlyInAnyOrder(TcpType.ACTIVE, TcpType.PASSIVE);
            List<String> atB = DatagramTransfer.transfer(ca, cb, "a->b", 10_000, 100, IcePeers.TIMEOUT);
            List<String> atA = DatagramTransfer.transfer(cb, ca, "b->a", 10_000, 100, IcePeers.TIMEOUT);
            assertThat(atB).as("in order").containsExactlyElementsOf(sent("a->b", 10_000));
            assertThat(atA).as("in order").containsExactlyElementsOf(sent("b->a", 10_000));
        }
    }

    @Test
    void withUdpAndTcpCandidatesTheAgentsSelectAUdpPair() {
        try (IcePeers p = new IcePeers(a -> a.tcpCandidates(true), b -> b.tcpCandidates(true)).signal()) {
            List<IceCandidate> ofA = p.a.localCandidates().collectList().block(IcePeers.TIMEOUT);
            assertThat(ofA).extracting(IceCandidate::transport).contains(TransportProtocol.UDP, TransportProtocol.TCP);

            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);

            assertThat(ca.selectedPair().local().transport()).isEqualTo(TransportProtocol.UDP);
            assertThat(cb.selectedPair().local().transport()).isEqualTo(TransportProtocol.UDP);
            assertThat(ca.selectedPair().local().type()).isEqualTo(CandidateType.HOST);
            DatagramTransfer.transfer(ca, cb, "a->b", 1_000, 100, IcePeers.TIMEOUT);
        }
    }

    // RFC 6544 with RFC 8445 section 7.2.5.2.2: the connection of the selected pair closing fails the pair
    // at once, and the agent moves to the other valid TCP pair (the one whose connection the other side
    // opened). Consent would notice only at its next check (32 to 48 s here) or after its disconnected
    // timeout (60 s), so a move
    // within the wait can only come from the closed connection.
    @Test
    void theSelectedPairsConnectionClosingFailsThePairAtOnceAndTheAgentMovesToTheOtherTcpPair() {
        java.util.function.UnaryOperator<IceAgent> slowConsent = c -> IcePeers.tcpOnly().apply(c)
                .consent(java.time.Duration.ofSeconds(40), java.time.Duration.ofSeconds(90), java.time.Duration.ofSeconds(60));
        try (IcePeers p = new IcePeers(slowConsent, slowConsent).signal()) {
            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);
            IceConnection active = ca.selectedPair().local().tcpType() == TcpType.ACTIVE ? ca : cb;
            IceSession passiveSide = active == ca ? p.b : p.a;
            IceSession activeSide = active == ca ? p.a : p.b;
            CandidatePair before = active.selectedPair();

            passiveSide.sockets.all().stream().filter(s -> s instanceof TcpPassiveSocket).forEach(s -> s.dispose());

            CandidatePair after = activeSide.selectedPairs().filter(c -> !c.equals(before)).blockFirst(IcePeers.TIMEOUT);
            assertThat(after.local().tcpType()).as("moved to the pair of the other side's connection")
                    .isEqualTo(TcpType.PASSIVE);
            assertThat(activeSide.state()).isIn(IceState.CONNECTED, IceState.COMPLETED);
        }
    }

    private static List<String> sent(String tag, int total) {
        return IntStream.range(0, total)
                .mapToObj(i -> DatagramTransfer.datagram(tag, i))
                .map(b -> {
                    try {
                        return b.toString(StandardCharsets.US_ASCII);
                    } finally {
                        b.release();
                    }
                }).toList();
    }
}
