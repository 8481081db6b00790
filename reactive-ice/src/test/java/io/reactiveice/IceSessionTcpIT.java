package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
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
