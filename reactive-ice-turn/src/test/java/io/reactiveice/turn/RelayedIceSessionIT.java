package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.IceServer;
import io.reactiveice.IceSession;
import io.reactiveice.TransportPolicy;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.testing.Coturn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Two ICE agents that may only use relayed candidates (transport policy relay), both allocating
 * through this client on a real coturn: they connect, carry 10,000 datagrams each way with none
 * lost, and their allocations are deleted when the sessions are disposed.
 */
class RelayedIceSessionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static TunedCoturn coturn;

    @BeforeAll
    static void startCoturn() {
        coturn = TunedCoturn.start("verbose");
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void twoRelayOnlyAgentsConnectThroughCoturnAndLoseNoneOfTenThousandDatagrams() {
        CountingTransport counting = new CountingTransport();
        TurnRelayAllocator turn = TurnRelayAllocator.create().packetTransport(counting)
                .localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        IceServer server = IceServer.parse("turn:127.0.0.1:" + coturn.address().getPort(), Coturn.USER, Coturn.PASSWORD);
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
            assertThat(coturn.allocations()).isEqualTo(2);
            transfer(ca, cb, "a->b");
            transfer(cb, ca, "b->a");
            // channels were bound as soon as the checks began: the data went as ChannelData
            assertThat(counting.channelDataSent.get()).isGreaterThanOrEqualTo(20_000);
            assertThat(counting.channelDataReceived.get()).isGreaterThanOrEqualTo(20_000);
        } finally {
            a.dispose();
            b.dispose();
        }
        TurnLifecycleIT.awaitNoAllocations(coturn);
    }

    /** Sends 10,000 numbered datagrams in windows of 100 (so no receive buffer overflows). */
    private static void transfer(IceConnection from, IceConnection to, String tag) {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        Disposable reading = to.receive().subscribe(buf -> {
            try {
                received.add(buf.toString(StandardCharsets.US_ASCII));
            } finally {
                buf.release();
            }
        });
        try {
            int total = 10_000;
            int window = 100;
            for (int start = 0; start < total; start += window) {
                int first = start;
                from.send(Flux.range(first, window).map(i -> datagram(tag, i))).block(TIMEOUT);
                int expected = first + window;
                Flux.interval(Duration.ofMillis(1)).takeUntil(x -> received.size() >= expected).blockLast(TIMEOUT);
            }
            List<String> all = new ArrayList<>(received);
            assertThat(all).hasSize(total).doesNotHaveDuplicates();
            assertThat(all).allMatch(s -> s.startsWith("data " + tag + " "));
        } finally {
            reading.dispose();
        }
    }

    private static ByteBuf datagram(String tag, int i) {
        return Unpooled.copiedBuffer("data " + tag + " " + i + " " + ".".repeat(60), StandardCharsets.US_ASCII);
    }
}
