package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.StunClient;
import io.reactiveice.transport.StunClientConnection;
import io.reactiveice.transport.StunServer;
import io.reactiveice.transport.StunServerHandle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Gathering over real sockets on loopback, with a STUN server that answers and one that never does. */
class GatheringIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static IceAgent loopbackAgent() {
        return IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()));
    }

    @Test
    void aReachableStunServerIsAskedAndASameAddressAnswerAddsNoCandidate() {
        StunServerHandle server = StunServer.create().bindNow();
        IceSession s = loopbackAgent().iceServers(List.of(IceServer.parse("stun:127.0.0.1:" + server.address().getPort())))
                .start().block(TIMEOUT);
        try {
            List<IceCandidate> candidates = s.localCandidates().collectList().block(TIMEOUT);
            assertThat(candidates).hasSize(1);
            assertThat(candidates.get(0).type()).isEqualTo(CandidateType.HOST);
            assertThat(candidates.get(0).address()).isEqualTo("127.0.0.1");
            assertThat(server.count(BindingOutcome.SUCCESS)).isEqualTo(1); // asked once, saw no NAT
        } finally {
            s.dispose();
            server.dispose();
        }
    }

    // With no answer from the STUN server (no uplink), host candidates are there at once and
    // gathering still ends, after the gathering schedule, so the peers can connect on the link.
    @Test
    void anUnreachableStunServerNeitherDelaysHostCandidatesNorStopsGatheringFromEnding() {
        StunClientConnection silent = StunClient.create().bind().block(TIMEOUT); // bound, never answers
        IceSession s = loopbackAgent()
                .iceServers(List.of(IceServer.parse("stun:127.0.0.1:" + silent.localAddress().getPort())))
                .gatherSchedule(RetransmissionSchedule.UDP_DEFAULT.withRto(Duration.ofMillis(20)))
                .start().block(TIMEOUT);
        try {
            List<String> order = new CopyOnWriteArrayList<>();
            Flux<IceCandidate> candidates = s.localCandidates().doOnNext(c -> order.add(c.type().token()))
                    .doOnComplete(() -> order.add("end"));
            candidates.blockLast(TIMEOUT);
            assertThat(order).containsExactly("host", "end");
            assertThat(silent.dropped()).isEqualTo(7); // the whole schedule was spent on it
        } finally {
            s.dispose();
            silent.dispose();
        }
    }
}
