package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceStats;
import io.reactiveice.testing.CountingTransport;
import io.reactiveice.testing.DatagramTransfer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The statistics of two sessions over real UDP on 127.0.0.1 (issue 15): the data counts of the
 * selected pair equal what a counting transport under each session saw, datagram for datagram and
 * byte for byte, and the STUN counts lie between what it saw just before and just after the snapshot
 * (the exact STUN counts are {@code PairStatisticsTest}'s, in virtual time).
 */
class IceSessionStatisticsIT {

    @Test
    void theSelectedPairsDataCountsEqualWhatTheSocketsCarriedBothWays() {
        CountingTransport countedA = new CountingTransport();
        CountingTransport countedB = new CountingTransport();
        try (IcePeers p = new IcePeers(c -> c.packetTransport(countedA), c -> c.packetTransport(countedB)).signal()) {
            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);
            DatagramTransfer.transfer(ca, cb, "a->b", 3_000, 100, IcePeers.TIMEOUT);
            DatagramTransfer.transfer(cb, ca, "b->a", 1_000, 100, IcePeers.TIMEOUT);
            // concurrent sends on one connection, each counted by its own tally
            Flux.range(0, 4).flatMap(i -> ca.send(Flux.range(0, 50)
                    .map(k -> Unpooled.copiedBuffer("data concurrent " + i + " " + k, StandardCharsets.US_ASCII))))
                    .blockLast(IcePeers.TIMEOUT);

            for (IceSession s : new IceSession[] {p.a, p.b}) {
                CountingTransport counted = s == p.a ? countedA : countedB;
                CandidatePair path = s.selectedPair();
                CountingTransport.Counts out = counted.sent(path.base(), path.remoteAddress());
                CountingTransport.Counts in = counted.received(path.base(), path.remoteAddress());
                long requestsBefore = in.requests.get();
                long responsesSentBefore = out.responses.get();
                long before = System.currentTimeMillis();
                IceStats stats = s.stats().block(IcePeers.TIMEOUT);
                long after = System.currentTimeMillis();
                IceCandidatePairStats pair = stats.selectedCandidatePair().orElseThrow();

                // W3C timestamps are of the epoch, as a browser's getStats() has them (the session's
                // clock in nanoseconds has an arbitrary origin)
                assertThat(stats.timestamp()).isBetween((double) before - 1, (double) after + 1);
                assertThat(pair.pair().base()).isEqualTo(path.base());
                assertThat(pair.packetsSent()).isEqualTo(out.packets.get()).isPositive();
                assertThat(pair.bytesSent()).isEqualTo(out.bytes.get());
                assertThat(pair.packetsReceived()).isEqualTo(in.packets.get()).isPositive();
                assertThat(pair.bytesReceived()).isEqualTo(in.bytes.get());
                assertThat(pair.packetsDiscardedOnSend()).isZero();
                assertThat(pair.lastPacketSentTimestamp()).isPositive().isLessThanOrEqualTo(stats.timestamp());
                assertThat(pair.lastPacketReceivedTimestamp()).isPositive().isLessThanOrEqualTo(stats.timestamp());
                // the peer's checks in flight at the snapshot may be on either side of it
                assertThat(pair.requestsReceived()).isBetween(requestsBefore, in.requests.get()).isPositive();
                assertThat(pair.responsesSent()).isBetween(responsesSentBefore, out.responses.get());
                assertThat(pair.requestsSent() + pair.retransmissionsSent() + pair.consentRequestsSent())
                        .isLessThanOrEqualTo(out.requests.get()).isPositive();
                assertThat(pair.responsesReceived()).isPositive();
                assertThat(pair.currentRoundTripTime()).isPositive();
                assertThat(stats.selectedCandidatePairChanges()).isEqualTo(1);
            }
            assertThat(countedA.sent(p.a.selectedPair().base(), p.a.selectedPair().remoteAddress()).packets.get())
                    .as("a->b, then 4 x 50 concurrently").isEqualTo(3_200);
        }
    }

    // a lite session on a shared port (its socket is a view of the port's, its worker the port's event
    // loop): the same exact data counts, and the STUN counts of an agent that only answers (RFC 8445 2.5)
    @Test
    void aLiteSessionOnASharedPortCountsExactlyWhatThePortCarriedForIt() {
        CountingTransport counted = new CountingTransport();
        SharedUdpPort port = SharedUdpPort.create()
                .bindAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).transport(counted)
                .bind().block(IcePeers.TIMEOUT);
        IceSession lite = IceAgent.create().lite(true).sharedPort(port).start().block(IcePeers.TIMEOUT);
        IceSession full = IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress())).start()
                .block(IcePeers.TIMEOUT);
        try {
            full.setRemoteParameters(lite.localParameters());
            lite.setRemoteParameters(full.localParameters());
            lite.localCandidates().doOnComplete(full::remoteEndOfCandidates).subscribe(full::addRemoteCandidate);
            full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
            IceConnection cl = lite.connect().block(IcePeers.TIMEOUT);
            IceConnection cf = full.connect().block(IcePeers.TIMEOUT);
            DatagramTransfer.transfer(cf, cl, "to-lite", 500, 100, IcePeers.TIMEOUT);
            DatagramTransfer.transfer(cl, cf, "from-lite", 300, 100, IcePeers.TIMEOUT);

            CandidatePair path = lite.selectedPair();
            assertThat(path.base()).isEqualTo(port.localAddress());
            IceCandidatePairStats pair = lite.stats().block(IcePeers.TIMEOUT).selectedCandidatePair().orElseThrow();
            CountingTransport.Counts out = counted.sent(path.base(), path.remoteAddress());
            CountingTransport.Counts in = counted.received(path.base(), path.remoteAddress());
            assertThat(pair.packetsSent()).isEqualTo(out.packets.get()).isEqualTo(300);
            assertThat(pair.bytesSent()).isEqualTo(out.bytes.get());
            assertThat(pair.packetsReceived()).isEqualTo(in.packets.get()).isEqualTo(500);
            assertThat(pair.bytesReceived()).isEqualTo(in.bytes.get());
            assertThat(pair.requestsSent() + pair.consentRequestsSent() + pair.retransmissionsSent())
                    .as("a lite agent sends no check").isZero();
            assertThat(pair.requestsReceived()).isPositive().isLessThanOrEqualTo(in.requests.get());
            assertThat(pair.responsesReceived()).isZero();
        } finally {
            lite.dispose();
            full.dispose();
            lite.onDispose().block(IcePeers.TIMEOUT);
            port.dispose();
        }
    }
}
