package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceAgent;
import io.reactiveice.IceServer;
import io.reactiveice.IceSession;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.StunClient;
import io.reactiveice.transport.StunClientConnection;
import io.reactiveice.transport.StunServer;
import io.reactiveice.transport.StunServerHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A TURN server that never answers (no uplink) costs the agent's gathering a bounded time: host
 * candidates come at once, the STUN server is asked and answers, and end-of-candidates follows
 * within twice the gathering schedule (3.2 s here) instead of after the TURN client's own
 * 39.5 s, which is longer than this test's deadline.
 */
class UnreachableTurnGatheringIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void aSilentTurnServerDelaysNeitherHostCandidatesNorTheEndOfGathering() {
        StunServerHandle stun = StunServer.create().bindNow();
        StunClientConnection silentTurn = StunClient.create().bind().block(TIMEOUT); // bound, never answers
        IceSession s = IceAgent.create()
                .hostAddresses(List.of(InetAddress.getLoopbackAddress()))
                .iceServers(List.of(IceServer.parse("stun:127.0.0.1:" + stun.address().getPort()),
                        IceServer.parse("turn:127.0.0.1:" + silentTurn.localAddress().getPort(), "alice", "x")))
                .relayAllocator(TurnRelayAllocator.create().localAddress(new InetSocketAddress("127.0.0.1", 0)))
                .gatherSchedule(RetransmissionSchedule.UDP_DEFAULT.withRto(Duration.ofMillis(20)))
                .start().block(TIMEOUT);
        try {
            List<String> order = new CopyOnWriteArrayList<>();
            s.localCandidates().doOnNext(c -> order.add(c.type().token()))
                    .doOnComplete(() -> order.add("end"))
                    .blockLast(TIMEOUT);
            // on loopback the STUN answer equals the host address, so it adds no candidate (RFC 8445
            // section 5.1.3), but it was asked and answered while the TURN server stayed silent
            assertThat(order).containsExactly("host", "end");
            assertThat(stun.count(BindingOutcome.SUCCESS)).isPositive(); // retransmits at 20 ms may count twice
            assertThat(silentTurn.dropped()).as("Allocate requests the silent server saw").isPositive();
        } finally {
            s.dispose();
            silentTurn.dispose();
            stun.dispose();
        }
    }
}
