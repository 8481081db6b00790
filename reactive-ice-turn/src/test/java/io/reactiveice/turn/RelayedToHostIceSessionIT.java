package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.IceServer;
import io.reactiveice.IceSession;
import io.reactiveice.TransportPolicy;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import io.reactiveice.testing.DatagramTransfer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One agent that may only use its relayed candidate (through coturn) and one with host candidates
 * only: the relay creates the permission for the host peer on demand, and data flows both ways; with
 * the agent reaching coturn over UDP, TCP and TLS.
 */
class RelayedToHostIceSessionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.startWithTls("verbose");


    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void aRelayedAgentAndAHostOnlyAgentConnectAndExchangeData(String toServer) {
        String uri = switch (toServer) {
            case "tls" -> "turns:127.0.0.1:" + COTURN.get().tlsAddress().getPort();
            case "tcp" -> "turn:127.0.0.1:" + COTURN.get().address().getPort() + "?transport=tcp";
            default -> "turn:127.0.0.1:" + COTURN.get().address().getPort();
        };
        IceServer server = IceServer.parse(uri, Coturn.USER, Coturn.PASSWORD);
        IceAgent base = IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()));
        IceSession relayed = base.role(IceRole.CONTROLLING).iceServers(List.of(server))
                .transportPolicy(TransportPolicy.RELAY)
                .relayAllocator(TurnRelayAllocator.create().localAddress(new InetSocketAddress("127.0.0.1", 0))
                        .trustedCertificates(COTURN.get().certificate()))
                .start().block(TIMEOUT);
        IceSession host = base.role(IceRole.CONTROLLED).start().block(TIMEOUT);
        try {
            relayed.setRemoteCredentials(host.localCredentials());
            host.setRemoteCredentials(relayed.localCredentials());
            relayed.localCandidates().doOnComplete(host::remoteEndOfCandidates).subscribe(host::addRemoteCandidate);
            host.localCandidates().doOnComplete(relayed::remoteEndOfCandidates).subscribe(relayed::addRemoteCandidate);
            IceConnection cr = relayed.connect().block(TIMEOUT);
            IceConnection ch = host.connect().block(TIMEOUT);
            assertThat(cr.selectedPair().local().type()).isEqualTo(CandidateType.RELAYED);
            assertThat(cr.selectedPair().remote().type()).isEqualTo(CandidateType.HOST);
            assertThat(ch.selectedPair().local().type()).isEqualTo(CandidateType.HOST);
            assertThat(ch.selectedPair().remote().type()).isEqualTo(CandidateType.RELAYED);
            DatagramTransfer.transfer(cr, ch, "relayed->host", 100, 100, TIMEOUT);
            DatagramTransfer.transfer(ch, cr, "host->relayed", 100, 100, TIMEOUT);
            // an ICE restart signals the relayed candidate again (the new generation of the policy's candidates)
            relayed.restart().block(TIMEOUT);
            assertThat(relayed.localCandidates().collectList().block(TIMEOUT))
                    .extracting(c -> c.type()).containsExactly(CandidateType.RELAYED);
        } finally {
            relayed.dispose();
            host.dispose();
        }
        TurnLifecycleIT.awaitNoAllocations(COTURN.get());
    }
}
