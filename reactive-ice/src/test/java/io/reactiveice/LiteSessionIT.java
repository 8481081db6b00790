package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.testing.DatagramTransfer;
import io.reactiveice.transport.StunServer;
import io.reactiveice.transport.StunServerHandle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full agent and an ICE-lite agent over real UDP on loopback: the lite one gathers host candidates
 * only (its STUN server is not asked), says {@code ice-lite} in its parameters, and the full one
 * takes control, nominates, and carries data both ways.
 */
class LiteSessionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aFullAgentConnectsToALiteAgentAndDataFlowsBothWays() {
        StunServerHandle stun = StunServer.create().bindNow();
        IceAgent base = IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()));
        IceSession lite = base.lite(true)
                .iceServers(List.of(IceServer.parse("stun:127.0.0.1:" + stun.address().getPort())))
                .start().block(TIMEOUT);
        IceSession full = base.role(IceRole.CONTROLLED).start().block(TIMEOUT); // as a browser answering might be
        try {
            assertThat(lite.isLite()).isTrue();
            assertThat(lite.localParameters().lite()).isTrue();
            assertThat(full.localParameters().lite()).isFalse();
            assertThat(lite.role()).isEqualTo(IceRole.CONTROLLED);
            full.setRemoteParameters(lite.localParameters());
            lite.setRemoteParameters(full.localParameters());
            List<IceCandidate> liteCandidates = lite.localCandidates().collectList().block(TIMEOUT);
            assertThat(liteCandidates).extracting(IceCandidate::type).containsExactly(CandidateType.HOST);
            liteCandidates.forEach(full::addRemoteCandidate);
            full.remoteEndOfCandidates();
            full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);

            IceConnection cf = full.connect().block(TIMEOUT);
            IceConnection cl = lite.connect().block(TIMEOUT);
            assertThat(full.role()).isEqualTo(IceRole.CONTROLLING);
            assertThat(cl.selectedPair().remoteAddress()).isEqualTo(cf.selectedPair().base());
            DatagramTransfer.transfer(cf, cl, "full->lite", 1_000, 100, TIMEOUT);
            DatagramTransfer.transfer(cl, cf, "lite->full", 1_000, 100, TIMEOUT);
            assertThat(stun.count(BindingOutcome.SUCCESS)).as("lite agents ask no STUN server")
                    .isZero();
        } finally {
            full.dispose();
            lite.dispose();
            stun.dispose();
        }
    }
}
