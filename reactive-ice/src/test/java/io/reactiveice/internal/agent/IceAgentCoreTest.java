package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Two agent cores stepped through a simulated network: exact outcomes, no sleeps. */
class IceAgentCoreTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A2 = addr("127.0.0.2", 10_002);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    private static final InetSocketAddress B2 = addr("127.0.0.4", 20_002);

    private static AgentPair pair(SimNetwork net, IceRole roleA, IceRole roleB) {
        return new AgentPair(net, CoreConfig.defaults(roleA, 0x1111L), CoreConfig.defaults(roleB, 0x2222L), 42);
    }

    @Test
    void twoAgentsSelectTheSamePairAndReachCompleted() {
        AgentPair p = pair(new SimNetwork(1), IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(p.net.runUntil(p::bothConnected, 5 * S)).isTrue();
        p.drain();
        CandidatePair sa = p.a.selectedPair();
        CandidatePair sb = p.b.selectedPair();
        assertThat(sa.base()).isEqualTo(A1);
        assertThat(sa.remoteAddress()).isEqualTo(B1);
        assertThat(sb.base()).isEqualTo(B1);
        assertThat(sb.remoteAddress()).isEqualTo(A1);
        assertThat(AgentPair.states(p.eventsA)).containsExactly(IceState.CHECKING, IceState.CONNECTED, IceState.COMPLETED);
        assertThat(AgentPair.states(p.eventsB)).containsExactly(IceState.CHECKING, IceState.CONNECTED, IceState.COMPLETED);
        // 1 ms one way: both check at 0; A has B's answer at 2 ms and nominates at once; B selects on
        // that check at 3 ms; A selects when its answer comes back at 4 ms
        assertThat(p.net.now()).isEqualTo(4 * MS);
        assertThat(p.eventsA).filteredOn(e -> e instanceof IceEvent.SelectedPairChanged).hasSize(1);
        assertThat(p.eventsB).filteredOn(e -> e instanceof IceEvent.SelectedPairChanged).hasSize(1);
    }

    @Test
    void theHighestPriorityPairIsNominatedWhenSeveralWork() {
        AgentPair p = pair(new SimNetwork(2), IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 100), host(A2, 65_535)), List.of(host(B1, 100), host(B2, 65_535)));
        assertThat(p.net.runUntil(p::bothConnected, 5 * S)).isTrue();
        assertThat(p.a.selectedPair().base()).isEqualTo(A2);
        assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(B2);
        assertThat(p.b.selectedPair().base()).isEqualTo(B2);
        assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(A2);
    }

    // RFC 8445 section 6.1.2.3: pair priority from the controlling agent's point of view.
    @Test
    void pairPriorityFollowsTheRfcFormula() {
        assertThat(CandidatePriority.pair(10, 20)).isEqualTo((10L << 32) + 40);
        assertThat(CandidatePriority.pair(20, 10)).isEqualTo((10L << 32) + 40 + 1);
        assertThat(CandidatePriority.of(126, 65_535, 1)).isEqualTo(2_130_706_431L);
    }

    // RFC 8445 section 7.3.1.1: two controlling agents; the larger tie-breaker keeps the role.
    @Test
    void roleConflictBetweenTwoControllingAgentsLeavesExactlyOneControlling() {
        AgentPair p = pair(new SimNetwork(3), IceRole.CONTROLLING, IceRole.CONTROLLING)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(p.net.runUntil(p::bothConnected, 10 * S)).isTrue();
        assertThat(p.a.role()).isEqualTo(IceRole.CONTROLLED); // 0x1111 < 0x2222
        assertThat(p.b.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(p.eventsA).contains(new IceEvent.RoleChanged(IceRole.CONTROLLED));
        assertThat(p.eventsB).noneMatch(e -> e instanceof IceEvent.RoleChanged);
        assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(B1);
    }

    @Test
    void roleConflictBetweenTwoControlledAgentsLeavesExactlyOneControlling() {
        AgentPair p = pair(new SimNetwork(4), IceRole.CONTROLLED, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(p.net.runUntil(p::bothConnected, 10 * S)).isTrue();
        assertThat(p.a.role()).isNotEqualTo(p.b.role());
        assertThat(p.b.role()).isEqualTo(IceRole.CONTROLLING); // the larger tie-breaker
    }

    // RFC 8445 section 7.3.1.3: B never hears of A's candidate and learns it from A's check.
    @Test
    void peerReflexiveCandidateIsLearnedFromARequest() {
        SimNetwork net = new SimNetwork(5);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED);
        LocalCandidate a = host(A1, 65_535);
        LocalCandidate b = host(B1, 65_535);
        net.attach(p.a, A1);
        net.attach(p.b, B1);
        p.a.setRemoteCredentials(0, p.b.credentials());
        p.b.setRemoteCredentials(0, p.a.credentials());
        p.a.addLocalCandidate(0, a);
        p.b.addLocalCandidate(0, b);
        p.a.addRemoteCandidate(0, b.candidate()); // only A learns of B
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        assertThat(p.eventsB).anySatisfy(e -> {
            assertThat(e).isInstanceOf(IceEvent.RemoteCandidateDiscovered.class);
            assertThat(((IceEvent.RemoteCandidateDiscovered) e).candidate().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
            assertThat(((IceEvent.RemoteCandidateDiscovered) e).candidate().socketAddress()).isEqualTo(A1);
        });
        assertThat(p.b.selectedPair().remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
    }

    // RFC 8445 sections 7.2.5.3.1 and 7.3.1.3: behind a NAT, A learns its own peer-reflexive address
    // from B's answer, and B learns A's from A's check.
    @Test
    void peerReflexiveCandidatesAreLearnedFromResponsesAndRequestsThroughANat() {
        InetSocketAddress outside = addr("127.0.0.200", 30_000);
        SimNetwork net = new SimNetwork(13).nat(A1, outside);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 10 * S)).isTrue();
        p.drain();
        assertThat(p.eventsA).anySatisfy(e -> {
            assertThat(e).isInstanceOf(IceEvent.LocalCandidateDiscovered.class);
            assertThat(((IceEvent.LocalCandidateDiscovered) e).candidate().socketAddress()).isEqualTo(outside);
            assertThat(((IceEvent.LocalCandidateDiscovered) e).candidate().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        });
        assertThat(p.eventsB).anySatisfy(e -> {
            assertThat(e).isInstanceOf(IceEvent.RemoteCandidateDiscovered.class);
            assertThat(((IceEvent.RemoteCandidateDiscovered) e).candidate().socketAddress()).isEqualTo(outside);
        });
        assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(outside);
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
    }

    // RFC 8445 section 7.2.5.2.1: a response from an address other than the one checked fails the pair.
    @Test
    void aResponseFromAnotherAddressFailsThePairAndNeverSelectsIt() {
        InetSocketAddress elsewhere = addr("127.0.0.99", 9_999);
        SimNetwork net = new SimNetwork(14).rewrite(t -> t.from().equals(B1) && t.data()[0] == 0x01
                ? new Transmit(elsewhere, t.to(), t.data()) : t); // B's responses leave from a wrong address
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        net.runFor(2 * S);
        p.drain();
        assertThat(p.a.selectedPair()).isNull();
        assertThat(p.a.describeChecklist()).allMatch(d -> d.contains("FAILED"));
        assertThat(p.eventsA).noneMatch(e -> e instanceof IceEvent.PairValidated);
    }

    @Test
    void connectsThroughTwentyPercentLossAndReordering() {
        long droppedInAll = 0;
        long sentInAll = 0;
        for (long seed = 10; seed < 30; seed++) {
            SimNetwork net = new SimNetwork(seed).loss(0.2).latency(5 * MS, 20 * MS);
            AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 7),
                    CoreConfig.defaults(IceRole.CONTROLLED, 9), seed)
                    .hosts(List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535), host(B2, 100)));
            // a check's transaction lasts 39.5 s (RFC 8489); an unlucky seed loses a whole one and retries
            assertThat(net.runUntil(p::bothConnected, 120 * S)).as("seed %d: %s %s %s / %s %s %s", seed, p.a.state(),
                    p.a.selectedPair(), p.a.describeChecklist(), p.b.state(), p.b.selectedPair(), p.b.describeChecklist())
                    .isTrue();
            assertThat(p.a.selectedPair().remoteAddress()).as("seed %d: %s / %s", seed, p.a.describeChecklist(),
                    p.b.describeChecklist()).isEqualTo(p.b.selectedPair().base());
            assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(p.a.selectedPair().base());
            droppedInAll += net.dropped;
            sentInAll += net.sent.size();
        }
        assertThat((double) droppedInAll / sentInAll).isBetween(0.1, 0.3); // the loss really happened
    }

    // RFC 8445 sections 7.3.1.4 and 7.3.1.5: the controlled agent's own check on the nominated pair is
    // lost; instead of its next retransmission at the doubling RTO, it starts the check again every Ta
    // (each a new transaction, the earlier ones still awaited) and is usable soon after the path clears.
    @Test
    void aNominationWaitingOnALostCheckStartsItAgainEveryTa() {
        long clears = 600 * MS;
        SimNetwork net = new SimNetwork(18);
        net.block(t -> t.from().equals(B1) && t.data()[0] == 0 && t.data()[1] == 1 && net.now() < clears);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        long[] connectedAt = {-1, -1};
        assertThat(net.runUntil(() -> {
            p.drain();
            if (connectedAt[0] < 0 && AgentPair.connected(p.a.state())) {
                connectedAt[0] = net.now();
            }
            if (connectedAt[1] < 0 && AgentPair.connected(p.b.state())) {
                connectedAt[1] = net.now();
            }
            return connectedAt[0] >= 0 && connectedAt[1] >= 0;
        }, 60 * S)).isTrue();
        assertThat(connectedAt[0]).isEqualTo(4 * MS); // A nominated at once and B answered
        // B's first check after the path cleared left within Ta; the answer took 2 ms
        assertThat(connectedAt[1]).isBetween(clears, clears + 50 * MS + 2 * MS);
        List<Long> requestsFromB = new ArrayList<>();
        for (int i = 0; i < net.sent.size(); i++) {
            Transmit t = net.sent.get(i);
            if (t.from().equals(B1) && t.data()[0] == 0 && t.data()[1] == 1 && net.sentAt.get(i) < clears) {
                requestsFromB.add(net.sentAt.get(i) / MS);
            }
        }
        // the ordinary check at 0, then a new one every Ta from the first free slot after the nomination
        assertThat(requestsFromB).startsWith(0L, 50L, 100L, 150L, 200L, 250L, 300L, 350L, 400L, 450L, 500L);
        assertThat(requestsFromB).hasSizeLessThanOrEqualTo(13); // 0, ten at Ta, 600 ms is the path clearing
    }

    // RFC 8445 sections 7.3.1.4, 7.3.1.5 and 8.1.1: under 20% loss each way, neither side waits on the
    // doubling retransmission schedule while the other is already usable: both connect within 1 s of
    // each other, in each of 20 runs with one candidate each and 1,000 runs with two each.
    @Test
    void underTwentyPercentLossEachWayBothSidesConnectWithinASecondOfEachOther() {
        long worst = 0;
        for (long seed = 100; seed < 1_120; seed++) {
            List<LocalCandidate> forA = seed < 120 ? List.of(host(A1, 65_535)) : List.of(host(A1, 65_535), host(A2, 100));
            List<LocalCandidate> forB = seed < 120 ? List.of(host(B1, 65_535)) : List.of(host(B1, 65_535), host(B2, 100));
            SimNetwork net = new SimNetwork(seed).loss(0.2).latency(5 * MS, 20 * MS);
            AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 7),
                    CoreConfig.defaults(IceRole.CONTROLLED, 9), seed).hosts(forA, forB);
            long[] at = {-1, -1};
            assertThat(net.runUntil(() -> {
                p.drain();
                if (at[0] < 0 && AgentPair.connected(p.a.state())) {
                    at[0] = net.now();
                }
                if (at[1] < 0 && AgentPair.connected(p.b.state())) {
                    at[1] = net.now();
                }
                return at[0] >= 0 && at[1] >= 0;
            }, 120 * S)).as("seed %d", seed).isTrue();
            long skew = Math.abs(at[0] - at[1]);
            assertThat(skew).as("seed %d: A connected at %d ms, B at %d ms", seed, at[0] / MS, at[1] / MS)
                    .isLessThanOrEqualTo(S);
            assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(p.b.selectedPair().base());
            worst = Math.max(worst, skew);
        }
        assertThat(worst).isPositive(); // the loss really delayed one side in some runs
    }

    // RFC 7675 section 5.1: consent expires 30 s after the last response; sending must stop.
    @Test
    void consentIsLostExactlyThirtySecondsAfterTheLastResponse() {
        SimNetwork net = new SimNetwork(6);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(20 * S); // consent keeps both alive
        p.drain();
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        long lastResponse = lastConsentResponseAt(p.a);
        net.block(t -> true); // the link goes dead
        net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 40 * S);
        assertThat(net.now() - lastResponse).isEqualTo(Duration.ofMillis(7_500).toNanos());
        net.runUntil(() -> p.a.state() == IceState.FAILED, 40 * S);
        assertThat(net.now() - lastResponse).isEqualTo(30 * S);
        assertThat(p.a.state().canSend()).isFalse();
        p.drain();
        assertThat(AgentPair.states(p.eventsA)).endsWith(IceState.DISCONNECTED, IceState.FAILED);
    }

    // RFC 7675 section 5.1: DISCONNECTED is a warning; data may still be sent until consent is lost,
    // and a path that comes back is used again within a second, without waiting for the 5 s tick.
    @Test
    void aPathThatComesBackAfterTwelveSecondsIsUsedAgainWithinASecond() {
        SimNetwork net = new SimNetwork(16);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(20 * S);
        CandidatePair before = p.a.selectedPair();
        long cut = net.now();
        net.block(t -> true);
        assertThat(net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 10 * S)).isTrue();
        assertThat(p.a.state().canSend()).isTrue(); // a warning: the application keeps sending
        net.runFor(cut + 12 * S - net.now());
        assertThat(p.a.state()).isEqualTo(IceState.DISCONNECTED);
        assertThat(p.b.state()).isEqualTo(IceState.DISCONNECTED);
        long back = net.now();
        net.block(t -> false);
        assertThat(net.runUntil(() -> AgentPair.connected(p.a.state()) && AgentPair.connected(p.b.state()), 5 * S))
                .isTrue();
        // the recovery checks have backed off to one every 500 ms; the answer takes a 2 ms round trip
        assertThat(net.now() - back).isLessThanOrEqualTo(500 * MS + 2 * MS);
        assertThat(p.a.selectedPair()).isEqualTo(before);
        net.runFor(60 * S); // and consent runs on as before
        assertThat(AgentPair.connected(p.a.state())).isTrue();
        assertThat(AgentPair.connected(p.b.state())).isTrue();
    }

    // RFC 7675 section 5.1: while DISCONNECTED the recovery checks go out after Ta, then at doubling
    // intervals up to the 500 ms RTO, each a new transaction sent once; consent still expires exactly
    // 30 s after the last response, and then nothing more is sent.
    @Test
    void recoveryChecksBackOffFromTaToTheRtoAndConsentStillExpiresAtThirtySeconds() {
        SimNetwork net = new SimNetwork(17);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(10 * S);
        long lastResponse = lastConsentResponseAt(p.a);
        net.block(t -> true);
        int from = net.sent.size();
        assertThat(net.runUntil(() -> p.a.state() == IceState.DISCONNECTED, 40 * S)).isTrue();
        long disconnectedAt = net.now();
        assertThat(net.runUntil(() -> p.a.state() == IceState.FAILED, 40 * S)).isTrue();
        assertThat(net.now() - lastResponse).isEqualTo(30 * S);
        assertThat(p.a.state().canSend()).isFalse();
        List<Long> at = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = from; i < net.sent.size(); i++) {
            Transmit t = net.sent.get(i);
            if (net.sentAt.get(i) >= disconnectedAt && t.from().equals(A1) && t.data()[0] == 0
                    && t.data()[1] == 1) { // A's Binding requests since DISCONNECTED
                at.add(net.sentAt.get(i));
                ids.add(HexFormat.of().formatHex(t.data(), 8, 20));
            }
        }
        assertThat(ids).hasSize(at.size()); // each a new transaction, never a retransmission
        assertThat(at.get(0)).isEqualTo(disconnectedAt); // the first round as DISCONNECTED begins
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) {
            gaps.add((at.get(i) - at.get(i - 1)) / MS);
        }
        assertThat(gaps).startsWith(50L, 100L, 200L, 400L, 500L);
        assertThat(gaps.subList(4, gaps.size())).containsOnly(500L);
        assertThat(at.size()).isEqualTo(5 + (int) ((net.now() - disconnectedAt - 750 * MS) / (500 * MS)));
        int after = net.sent.size();
        net.runFor(10 * S);
        assertThat(net.sent.subList(after, net.sent.size())).noneMatch(t -> t.from().equals(A1));
    }

    private static long lastConsentResponseAt(IceAgentCore core) {
        // the selected pair's last consent instant, through the package-private entry
        return core.selectedEntry().lastConsentAt;
    }

    // RFC 7675 with RFC 8445 section 8.1.1: when the selected path dies, the controlling agent moves
    // both sides to another valid pair that still answers.
    @Test
    void lossOfTheSelectedPathMovesBothAgentsToAnotherValidPair() {
        SimNetwork net = new SimNetwork(12);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535), host(B2, 100)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(2 * S); // the other pairs finish their checks and become valid
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        net.block(t -> t.from().equals(A1) || t.to().equals(A1)); // A's first interface goes away
        p.drain();
        p.eventsA.clear();
        p.eventsB.clear();
        assertThat(net.runUntil(() -> {
            p.drain();
            return p.a.selectedPair().base().equals(A2) && p.b.selectedPair().remoteAddress().equals(A2)
                    && p.a.state().canSend() && p.b.state().canSend();
        }, 29 * S)).isTrue();
        assertThat(AgentPair.states(p.eventsA)).startsWith(IceState.DISCONNECTED, IceState.CONNECTED);
        assertThat(p.eventsA).filteredOn(e -> e instanceof IceEvent.SelectedPairChanged).hasSize(1);
        assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(p.b.selectedPair().base());
        net.runFor(60 * S); // and it stays there, with consent
        assertThat(p.a.state().canSend()).isTrue();
        assertThat(p.b.state().canSend()).isTrue();
    }

    // A lost TURN allocation: its pairs fail at once and the agents move to another valid pair at
    // once, well before consent would have run out (AddressChangeTest pins the instants).
    @Test
    void aLostLocalCandidateFailsItsPairsAndFailsOverAtOnce() {
        SimNetwork net = new SimNetwork(15);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535), host(B2, 100)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(2 * S);
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        long lostAt = net.now();
        net.block(t -> t.from().equals(A1) || t.to().equals(A1));
        p.a.localCandidateLost(lostAt, A1);
        assertThat(p.a.selectedPair().base()).isEqualTo(A2);
        assertThat(net.runUntil(() -> {
            p.drain();
            return p.a.selectedPair().base().equals(A2) && p.b.selectedPair().remoteAddress().equals(A2)
                    && p.a.state().canSend() && p.b.state().canSend();
        }, 29 * S)).isTrue();
        assertThat(net.now() - lostAt).isLessThan(S); // a few round trips, not the 7.5 s of silence
        assertThat(p.a.describeChecklist()).filteredOn(d -> d.startsWith(A1.toString()))
                .allMatch(d -> d.contains("FAILED") && !d.contains("valid"));
    }

    // RFC 7675 section 5.1: one consent check every 4 to 6 s on the selected pair.
    @Test
    void consentChecksFollowTheRandomizedFiveSecondCadence() {
        SimNetwork net = new SimNetwork(7);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        int before = net.sent.size();
        long start = net.now();
        net.runFor(60 * S);
        List<Long> requestsFromA = new ArrayList<>();
        // each consent check is a request from A plus B's answer; count A's requests by their first byte pair
        for (Transmit t : net.sent.subList(before, net.sent.size())) {
            if (t.from().equals(A1) && t.data()[0] == 0 && t.data()[1] == 1) {
                requestsFromA.add(0L);
            }
        }
        assertThat(requestsFromA.size()).isBetween(10, 15); // 60 s / (4..6 s)
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(net.now() - start).isEqualTo(60 * S);
    }

    // RFC 8445 section 7.3: a check that fails MESSAGE-INTEGRITY is answered 401 and changes nothing.
    @Test
    void requestWithAWrongPasswordChangesNoStateAndTeachesNoCandidate() {
        SimNetwork net = new SimNetwork(8);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED);
        net.attach(p.b, B1);
        p.b.addLocalCandidate(0, host(B1, 65_535));
        p.b.setRemoteCredentials(0, p.a.credentials());
        IceCredentials forged = new IceCredentials(p.a.credentials().ufrag(), "WrongPasswordWrongPassword");
        byte[] request = CheckMessages.request(null, new TransactionId(1, 2),
                p.b.credentials().ufrag() + ":" + forged.ufrag(), 1000, IceRole.CONTROLLING, 5, true, 0,
                IntegrityKey.shortTerm(forged.pwd()));
        p.b.handleInput(0, new Datagram(B1, A1, ByteBuffer.wrap(request), 0, request.length));
        p.drain();
        assertThat(p.eventsB).isEmpty();
        assertThat(p.b.describeChecklist()).isEmpty();
        assertThat(p.b.state()).isEqualTo(IceState.NEW);
        Transmit answer = p.b.pollTransmit();
        StunMessage response = StunMessage.decode(answer.data());
        assertThat(response.attribute(StunAttribute.ErrorCode.class).orElseThrow().code()).isEqualTo(401);
    }

    // RFC 8445 section 9: after a restart the old pair carries data until a new one is selected.
    @Test
    void restartKeepsTheOldPairUntilANewOneIsSelected() {
        SimNetwork net = new SimNetwork(9);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        CandidatePair old = p.a.selectedPair();
        IceCredentials fresh = IceCredentials.generate(new SplittableRandom(99));
        long now = net.now();
        p.a.restart(now, fresh);
        assertThat(p.a.selectedPair()).isEqualTo(old);
        assertThat(p.a.state().canSend()).isTrue();
        p.b.setRemoteCredentials(now, fresh); // signalled: B sees the peer restart
        p.a.setRemoteCredentials(now, p.b.credentials());
        LocalCandidate newA = host(A2, 65_535);
        net.attach(p.a, A2);
        p.a.addLocalCandidate(now, newA);
        p.b.addRemoteCandidate(now, newA.candidate());
        p.a.addRemoteCandidate(now, host(B1, 65_535).candidate());
        p.drain();
        p.eventsA.clear();
        assertThat(net.runUntil(() -> {
            p.drain();
            return p.eventsA.stream().anyMatch(e -> e instanceof IceEvent.SelectedPairChanged)
                    && p.b.selectedPair().remoteAddress().equals(p.a.selectedPair().base());
        }, 10 * S)).isTrue();
        assertThat(p.eventsA).filteredOn(e -> e instanceof IceEvent.SelectedPairChanged).hasSize(1);
        assertThat(p.a.describeChecklist()).hasSize(2); // A1 and A2 with B1, in the new session only
        assertThat(p.a.state().canSend()).isTrue();
    }

    // A restart that keeps the same sockets: the new session pairs the same routes again.
    @Test
    void restartOnTheSameCandidatesSelectsTheSameRouteInTheNewSession() {
        SimNetwork net = new SimNetwork(11);
        LocalCandidate hostA = host(A1, 65_535);
        LocalCandidate hostB = host(B1, 65_535);
        AgentPair p = pair(net, IceRole.CONTROLLING, IceRole.CONTROLLED).hosts(List.of(hostA), List.of(hostB));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        long now = net.now();
        IceCredentials fresh = IceCredentials.generate(new SplittableRandom(7));
        p.a.restart(now, fresh);
        p.b.setRemoteCredentials(now, fresh);
        p.a.setRemoteCredentials(now, p.b.credentials());
        p.b.addRemoteCandidate(now, hostA.candidate());
        p.a.addRemoteCandidate(now, hostB.candidate());
        p.drain();
        p.eventsA.clear();
        p.eventsB.clear();
        assertThat(net.runUntil(() -> {
            p.drain();
            return p.eventsA.stream().anyMatch(e -> e instanceof IceEvent.SelectedPairChanged)
                    && p.eventsB.stream().anyMatch(e -> e instanceof IceEvent.SelectedPairChanged);
        }, 10 * S)).isTrue();
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        assertThat(p.a.describeChecklist()).hasSize(1); // the retired pair is gone once the new one is selected
        net.runFor(40 * S); // consent now runs with the new credentials
        assertThat(p.a.state().canSend()).isTrue();
        assertThat(p.b.state().canSend()).isTrue();
    }

    // RFC 8445 section 6.1.2.5: the checklist holds at most the configured number of pairs.
    @Test
    void checklistNeverExceedsThePairLimit() {
        SimNetwork net = new SimNetwork(10);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 1).withMaxPairs(5),
                CoreConfig.defaults(IceRole.CONTROLLED, 2), 3);
        net.attach(p.a, A1, A2);
        p.a.addLocalCandidate(0, host(A1, 10));
        p.a.addLocalCandidate(0, host(A2, 20));
        for (int i = 0; i < 10; i++) {
            p.a.addRemoteCandidate(0, host(addr("127.0.1." + (i + 1), 30_000 + i), i + 1).candidate());
        }
        assertThat(p.a.describeChecklist()).hasSize(5);
    }
}
