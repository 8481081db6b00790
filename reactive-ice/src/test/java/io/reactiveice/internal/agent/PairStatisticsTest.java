package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reactiveice.agent.CandidatePairState;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceCandidateStats;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStats;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The STUN counts and round-trip times of the statistics (W3C webrtc-stats
 * {@code RTCIceCandidatePairStats}), kept by the core, against what the simulated network carried,
 * message for message: the network is the counting transport here. Two agents with one host candidate
 * each, one-way latency 10 ms, no jitter, in virtual time.
 */
class PairStatisticsTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress A = addr("10.0.0.1", 5000);
    private static final InetSocketAddress B = addr("10.0.0.2", 6000);

    private final SimNetwork net = new SimNetwork(5).latency(10 * MS, 0);
    private final AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 1),
            CoreConfig.defaults(IceRole.CONTROLLED, 2), 21);

    @Test
    void everyCountOfThePairMatchesTheBindingMessagesOnTheWireAndEachRoundTripIsTwiceTheLatency() {
        p.hosts(List.of(host(A, 65535)), List.of(host(B, 65535)));
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        long connected = net.now();
        net.runFor(31_000 * MS); // consent checks every 4 to 6 s (RFC 7675 section 5.1)
        long end = net.now();

        for (boolean sideA : new boolean[] {true, false}) {
            IceAgentCore core = sideA ? p.a : p.b;
            InetSocketAddress us = sideA ? A : B;
            InetSocketAddress peer = sideA ? B : A;
            IceStats stats = core.stats(end, PathCounters.Source.none(), List.of());
            assertThat(stats.candidatePairs()).hasSize(1);
            IceCandidatePairStats pair = stats.candidatePairs().get(0);
            Wire out = Wire.of(net.sent, net.sentAt, us, peer);
            Wire in = Wire.of(net.received, net.receivedAt, peer, us);

            // RFC 8445 section 7.2.4 and RFC 7675: every request we sent is a new check, a retransmission
            // or a consent check; with no loss there is no retransmission, and after connecting plus 1 s
            // only consent checks go (the first 4 to 6 s after the selection)
            assertThat(pair.retransmissionsSent()).isZero().isEqualTo(out.retransmissions);
            assertThat(pair.requestsSent() + pair.consentRequestsSent()).isEqualTo(out.requests);
            assertThat(pair.consentRequestsSent()).as("consent checks").isEqualTo(out.requestsSentAfter(connected + 1_000 * MS))
                    .isBetween(5L, 8L);
            assertThat(pair.requestsReceived()).isEqualTo(in.requests).isPositive();
            assertThat(pair.responsesSent()).isEqualTo(out.responses).isEqualTo(pair.requestsReceived());
            assertThat(pair.responsesReceived()).isEqualTo(in.responses)
                    .isEqualTo(pair.requestsSent() + pair.consentRequestsSent());
            // each answered at once on arrival: two one-way latencies
            assertThat(pair.currentRoundTripTime()).isCloseTo(0.020, within(1e-9));
            assertThat(pair.totalRoundTripTime()).isCloseTo(0.020 * pair.responsesReceived(), within(1e-9));
            assertThat(pair.state()).isEqualTo(CandidatePairState.SUCCEEDED);
            assertThat(pair.nominated()).isTrue();
            assertThat(pair.packetsSent()).as("the core sees no application data").isZero();
        }
    }

    @Test
    void aLostCheckIsRetransmittedAndCountedApartAndItsRoundTripRunsFromTheFirstTransmission() {
        AtomicBoolean lostOne = new AtomicBoolean();
        // A's first check is lost, and B's checks for the first 600 ms, which would otherwise replace it by
        // a triggered check (section 7.3.1.4): it is retransmitted after its RTO, 500 ms
        net.block(t -> AgentPair.isRequest(t.data()) && (t.from().equals(A) ? lostOne.compareAndSet(false, true)
                : net.now() < 600 * MS));
        p.hosts(List.of(host(A, 65535)), List.of(host(B, 65535)));
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        net.runFor(1_000 * MS);

        IceCandidatePairStats pair = p.a.stats(net.now(), PathCounters.Source.none(), List.of()).candidatePairs().get(0);
        Wire out = Wire.of(net.sent, net.sentAt, A, B);
        Wire in = Wire.of(net.received, net.receivedAt, B, A);
        assertThat(lostOne).isTrue();
        assertThat(out.retransmissions).isPositive();
        assertThat(pair.requestsSent() + pair.retransmissionsSent() + pair.consentRequestsSent())
                .isEqualTo(out.requests + out.retransmissions);
        assertThat(pair.retransmissionsSent()).isEqualTo(out.retransmissions);
        assertThat(pair.responsesReceived()).isEqualTo(in.responses);
        // each round trip from the first transmission of its transaction to the arrival of its answer
        long expected = 0;
        for (Map.Entry<String, Long> answered : in.responseArrivals.entrySet()) {
            expected += answered.getValue() - out.firstSent.get(answered.getKey());
        }
        assertThat(pair.totalRoundTripTime()).isCloseTo(expected / 1e9, within(1e-9));
        assertThat(pair.totalRoundTripTime()).as("the retransmitted one took longer than 20 ms")
                .isGreaterThan(0.020 * pair.responsesReceived());
    }

    @Test
    void theSessionPartNamesTheSelectedPairItsCandidatesAndCountsTheSelection() {
        p.hosts(List.of(host(A, 65535)), List.of(host(B, 65535)));
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();

        IceStats stats = p.a.stats(net.now(), PathCounters.Source.none(), List.of());
        assertThat(stats.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(stats.usernameFragment()).isEqualTo(p.a.credentials().ufrag());
        assertThat(stats.iceState()).isEqualTo(IceState.COMPLETED);
        assertThat(stats.selectedCandidatePairChanges()).isEqualTo(1);
        assertThat(stats.timestamp()).isEqualTo(net.now() / 1e6);
        IceCandidatePairStats selected = stats.selectedCandidatePair().orElseThrow();
        assertThat(selected.pair()).isEqualTo(p.a.selectedPair());
        IceCandidateStats local = stats.candidate(selected.localCandidateId()).orElseThrow();
        IceCandidateStats remote = stats.candidate(selected.remoteCandidateId()).orElseThrow();
        assertThat(local.isRemote()).isFalse();
        assertThat(local.address()).isEqualTo("10.0.0.1");
        assertThat(local.port()).isEqualTo(5000);
        assertThat(local.candidateType()).isEqualTo(CandidateType.HOST);
        assertThat(local.priority()).isEqualTo(host(A, 65535).candidate().priority());
        assertThat(local.url()).isNull();
        assertThat(remote.isRemote()).isTrue();
        assertThat(remote.address()).isEqualTo("10.0.0.2");
        assertThat(remote.port()).isEqualTo(6000);
        assertThat(stats.localCandidates()).containsExactly(local);
        assertThat(stats.remoteCandidates()).containsExactly(remote);
        // the same ids in a later snapshot
        assertThat(p.a.stats(net.now(), PathCounters.Source.none(), List.of()).selectedCandidatePairId())
                .isEqualTo(stats.selectedCandidatePairId());
    }

    // issue 13 with issue 15: a move off a lost address is a change of the selected pair, on both sides
    @Test
    void aMoveToTheBackupCountsAsASelectedPairChangeOnBothSidesAndTheLostPairFails() {
        InetSocketAddress a2 = addr("10.0.0.3", 5001);
        Set<InetSocketAddress> gone = new HashSet<>();
        net.block(t -> gone.contains(t.from()) || gone.contains(t.to()));
        p.hosts(List.of(host(A, 65535), host(a2, 100)), List.of(host(B, 65535)));
        assertThat(net.runUntil(p::bothConnected, 5_000 * MS)).isTrue();
        net.runFor(2_000 * MS); // the backup from a2 is valid
        IceStats before = p.a.stats(net.now(), PathCounters.Source.none(), List.of());
        assertThat(before.selectedCandidatePairChanges()).isEqualTo(1);
        assertThat(before.candidatePairs()).hasSize(2);

        gone.add(A);
        p.a.localCandidateLost(net.now(), A);
        assertThat(net.runUntil(() -> p.b.selectedPair().remoteAddress().equals(a2), 1_000 * MS)).isTrue();

        IceStats after = p.a.stats(net.now(), PathCounters.Source.none(), List.of());
        assertThat(after.selectedCandidatePairChanges()).isEqualTo(2);
        assertThat(after.selectedCandidatePairId()).isNotEqualTo(before.selectedCandidatePairId())
                .isEqualTo(Statistics.pairId(a2, B));
        assertThat(after.candidatePair(before.selectedCandidatePairId())).hasValueSatisfying(
                lost -> assertThat(lost.state()).isEqualTo(CandidatePairState.FAILED));
        assertThat(p.b.stats(net.now(), PathCounters.Source.none(), List.of()).selectedCandidatePairChanges())
                .isEqualTo(2);
    }

    /** The Binding traffic from one address to another in a list of datagrams. */
    private static final class Wire {
        long requests; // distinct transactions
        long retransmissions; // a transaction id seen before
        long responses;
        final Map<String, Long> firstSent = new HashMap<>();
        final Map<String, Long> responseArrivals = new HashMap<>();
        private final List<Long> requestTimes = new java.util.ArrayList<>();

        static Wire of(List<Transmit> datagrams, List<Long> times, InetSocketAddress from, InetSocketAddress to) {
            Wire w = new Wire();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < datagrams.size(); i++) {
                Transmit t = datagrams.get(i);
                if (!t.from().equals(from) || !t.to().equals(to)) {
                    continue;
                }
                int type = ByteBuffer.wrap(t.data()).getShort(0) & 0xFFFF;
                String id = transactionId(t.data());
                if (type == 0x0001) {
                    if (seen.add(id)) {
                        w.requests++;
                        w.firstSent.put(id, times.get(i));
                        w.requestTimes.add(times.get(i));
                    } else {
                        w.retransmissions++;
                    }
                } else if (type == 0x0101 || type == 0x0111) {
                    w.responses++;
                    w.responseArrivals.put(id, times.get(i));
                }
            }
            return w;
        }

        long requestsSentAfter(long at) {
            return requestTimes.stream().filter(t -> t > at).count();
        }

        private static String transactionId(byte[] stun) {
            return java.util.HexFormat.of().formatHex(stun, 8, 20);
        }
    }
}
