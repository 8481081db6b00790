package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.GatheringError;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.PairFailure;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A core that fails says why ({@link AgentStatus#failureReason()}, and on its FAILED
 * {@link IceEvent.StateChanged}), in virtual time on the {@link SimNetwork} (1 ms one-way latency):
 * each pair with its cause, and what the session never had, decided a check's timeout (39.5 s) after
 * both sides ended their candidates.
 */
class FailureReasonTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final long CHECK_TIMEOUT = 39_500 * MS; // RFC 8489's Rc 7, Rm 16, RTO 500 ms (RFC 8445 section 14.3)
    private static final InetSocketAddress A = addr("10.0.0.1", 10_001);
    private static final InetSocketAddress B = addr("10.0.0.2", 20_001); // nobody is there unless a test says so
    private static final InetSocketAddress B2 = addr("10.0.0.2", 20_002);

    private final SplittableRandom random = new SplittableRandom(9);
    private final List<IceEvent> events = new ArrayList<>();

    private IceAgentCore core(SimNetwork net) {
        return core(net, IceRole.CONTROLLING);
    }

    private IceAgentCore core(SimNetwork net, IceRole role) {
        IceAgentCore core = new IceAgentCore(CoreConfig.defaults(role, 0x1111L),
                IceCredentials.generate(random), random);
        net.attach(core, A);
        return core;
    }

    /** A core with the peer's credentials, a host candidate on A, {@code remotes}, and both ends of candidates. */
    private IceAgentCore signalled(SimNetwork net, InetSocketAddress... remotes) {
        IceAgentCore core = core(net);
        core.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        core.addLocalCandidate(0, host(A, 65_535));
        for (InetSocketAddress r : remotes) {
            core.addRemoteCandidate(0, remote(r));
        }
        ends(core, 0);
        return core;
    }

    /** Steps {@code core} from timeout to timeout, its sends drained into {@code peer}, until it fails. */
    private static void runUntilFailed(IceAgentCore core, ScriptedPeer peer) {
        for (int i = 0; i < 1_000 && core.state() != IceState.FAILED; i++) {
            long now = core.nextTimeout();
            core.handleTimeout(now);
            peer.drain(now);
        }
    }

    private static IceCandidate remote(InetSocketAddress address) {
        return IceCandidate.udp("r" + address.getPort(), 1, 100, address, CandidateType.HOST);
    }

    private static void ends(IceAgentCore core, long now) {
        core.localGatheringComplete(now);
        core.remoteEndOfCandidates(now);
    }

    private IceFailureReason reason(IceAgentCore core) {
        for (IceEvent e = core.pollEvent(); e != null; e = core.pollEvent()) {
            events.add(e);
        }
        IceEvent.StateChanged failed = (IceEvent.StateChanged) events.stream()
                .filter(e -> e instanceof IceEvent.StateChanged s && s.state() == IceState.FAILED).findFirst().orElseThrow();
        assertThat(failed.reason()).isSameAs(core.status().failureReason());
        return failed.reason();
    }

    /** RFC 8445 section 14.3: the check's seven transmissions go unanswered; the pair fails at its timeout. */
    @Test
    void unansweredChecksFailThePairWithNoResponseAfterSevenChecksAtTheCheckTimeout() {
        SimNetwork net = new SimNetwork(1);
        IceAgentCore a = signalled(net, B);
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, CHECK_TIMEOUT - 1)).as("not before the timeout").isFalse();
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, 1)).isTrue();

        IceFailureReason reason = reason(a);
        assertThat(reason.code()).isEqualTo("checks-failed");
        assertThat(reason.pairs()).singleElement().satisfies(p -> {
            assertThat(p.pair().remoteAddress()).isEqualTo(B);
            assertThat(p.cause()).isEqualTo(new PairFailure.NoResponse(7));
        });
        assertThat(reason.message()).isEqualTo("checks failed on 1 pair: 1 no response after 7 checks");
    }

    /** Section 7.2.5.2.4: an error response other than 487 fails the pair, with its code and phrase. */
    @Test
    void anErrorResponseFailsThePairWithItsCode() {
        SimNetwork net = new SimNetwork(2);
        IceAgentCore a = signalled(net, B);
        ScriptedPeer peer = new ScriptedPeer(a);
        peer.drain(0);
        Transmit check = peer.requestsTo(B).get(0);
        peer.answerError(MS, check, 401);

        IceFailureReason reason = reason(a);
        assertThat(a.state()).isEqualTo(IceState.FAILED);
        assertThat(reason.pairs()).singleElement().extracting(PairFailure::cause)
                .isEqualTo(new PairFailure.ErrorResponse(401, "Bad Request"));
        assertThat(reason.message()).isEqualTo("checks failed on 1 pair: 1 error 401");
    }

    /** Section 7.2.5.2.1: a success response from another address than the check went to fails the pair. */
    @Test
    void aResponseFromAnotherAddressFailsThePairAsNotSymmetric() {
        SimNetwork net = new SimNetwork(3);
        IceAgentCore a = signalled(net, B);
        ScriptedPeer peer = new ScriptedPeer(a);
        peer.drain(0);
        peer.answerFrom(MS, peer.requestsTo(B).get(0), B2);

        assertThat(reason(a).pairs()).singleElement().extracting(p -> p.cause().code()).isEqualTo("not-symmetric");
    }

    /** Two pairs, two causes: the message counts each. */
    @Test
    void theMessageSummarisesThePairsByCause() {
        SimNetwork net = new SimNetwork(4);
        IceAgentCore a = signalled(net, B, B2);
        ScriptedPeer peer = new ScriptedPeer(a);
        long now = 0;
        while (peer.requestsTo(B2).isEmpty()) {
            now = a.nextTimeout();
            a.handleTimeout(now);
            peer.drain(now);
        }
        peer.answerError(now + MS, peer.requestsTo(B2).get(0), 400);
        runUntilFailed(a, peer);

        IceFailureReason reason = reason(a);
        assertThat(reason.pairs()).extracting(p -> p.cause().code()).containsExactlyInAnyOrder("no-response", "error-response");
        assertThat(reason.message()).startsWith("checks failed on 2 pairs: ")
                .contains("1 no response after 7 checks").contains("1 error 400");
    }

    @Test
    void aLostLocalCandidateFailsItsPairsAtOnce() {
        SimNetwork net = new SimNetwork(5);
        IceAgentCore a = signalled(net, B);
        a.localCandidateLost(10 * MS, A);

        assertThat(a.state()).isEqualTo(IceState.FAILED);
        assertThat(reason(a).pairs()).singleElement().extracting(PairFailure::cause)
                .isEqualTo(new PairFailure.LocalCandidateLost());
    }

    /** Section 7.2.5.2.2: a check that cannot leave (no route) fails its pair at once. */
    @Test
    void anUnreachableDestinationFailsThePairAtOnce() {
        SimNetwork net = new SimNetwork(6).unreachable(t -> t.to().equals(B));
        IceAgentCore a = signalled(net, B);
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, 0)).isTrue();

        assertThat(reason(a).pairs()).singleElement().extracting(p -> p.cause().code()).isEqualTo("unreachable");
    }

    /** RFC 6544: over ICE-TCP, a datagram that cannot leave means the pair's connection closed. */
    @Test
    void overTcpAnUnreachablePairSaysItsConnectionClosed() {
        SimNetwork net = new SimNetwork(7);
        IceAgentCore a = core(net);
        a.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        IceCandidate active = new IceCandidate("t", 1, TransportProtocol.TCP, 100, "10.0.0.1", 9, CandidateType.HOST,
                null, 0, TcpType.ACTIVE, List.of());
        InetSocketAddress activeBase = addr("10.0.0.1", 9);
        a.addLocalCandidate(0, new LocalCandidate(active, activeBase));
        a.addRemoteCandidate(0, new IceCandidate("p", 1, TransportProtocol.TCP, 100, "10.0.0.2", 20_001,
                CandidateType.HOST, null, 0, TcpType.PASSIVE, List.of()));
        ends(a, 0);
        a.unreachable(MS, activeBase, B);

        assertThat(reason(a).pairs()).singleElement().extracting(PairFailure::cause)
                .isEqualTo(new PairFailure.ConnectionClosed());
    }

    /** RFC 7675 section 5.1: 30 s without a consent response on the selected pair and no other valid pair. */
    @Test
    void consentLostSaysWhichPairAndAfterHowLong() {
        List<InetSocketAddress> silent = new ArrayList<>();
        SimNetwork net = new SimNetwork(8).block(t -> silent.contains(t.from()));
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        InetSocketAddress bAddress = addr("10.0.0.2", 20_001);
        p.hosts(List.of(host(A, 65_535)), List.of(host(bAddress, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        silent.add(bAddress); // the peer stops answering
        assertThat(net.runUntil(() -> p.a.state() == IceState.FAILED, 60 * S)).isTrue();

        IceFailureReason reason = p.a.status().failureReason();
        assertThat(reason).isInstanceOf(IceFailureReason.ConsentLost.class);
        IceFailureReason.ConsentLost lost = (IceFailureReason.ConsentLost) reason;
        assertThat(lost.pair()).isEqualTo(p.a.selectedPair());
        assertThat(lost.after()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(31));
        assertThat(reason.pairs()).singleElement().extracting(f -> f.cause().code()).isEqualTo("consent-lost");
    }

    /** Both sides ended their candidates but the peer's credentials never came: no check can be sent. */
    @Test
    void withoutRemoteCredentialsTheSessionFailsACheckTimeoutAfterBothEnds() {
        SimNetwork net = new SimNetwork(9);
        IceAgentCore a = core(net);
        a.addLocalCandidate(0, host(A, 65_535));
        a.addRemoteCandidate(0, remote(B));
        ends(a, 0);
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, CHECK_TIMEOUT - 1)).isFalse();
        assertThat(a.state()).isEqualTo(IceState.NEW);
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, 1)).isTrue();

        assertThat(reason(a)).isEqualTo(new IceFailureReason.NoRemoteCredentials());
    }

    @Test
    void withoutRemoteCandidatesTheSessionFailsACheckTimeoutAfterBothEnds() {
        SimNetwork net = new SimNetwork(10);
        IceAgentCore a = signalled(net);
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, CHECK_TIMEOUT - 1)).isFalse();
        assertThat(net.runUntil(() -> a.state() == IceState.FAILED, 1)).isTrue();

        assertThat(reason(a)).isEqualTo(new IceFailureReason.NoRemoteCandidates());
        assertThat(reason(a).message()).isEqualTo("no remote candidates");
    }

    /** The peer's check teaches a peer-reflexive candidate (section 7.3.1.3): a pair, so not "no remote candidates". */
    @Test
    void aPeerCheckWithinTheWaitGivesAPairWhoseOwnCauseIsReported() {
        SimNetwork net = new SimNetwork(11);
        IceAgentCore a = core(net, IceRole.CONTROLLED); // the scripted peer controls
        ScriptedPeer peer = new ScriptedPeer(a);
        a.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        a.addLocalCandidate(0, host(A, 65_535));
        ends(a, 0);
        peer.check(10 * S, B, A, false);
        runUntilFailed(a, peer);

        IceFailureReason reason = reason(a);
        assertThat(reason.code()).isEqualTo("checks-failed");
        assertThat(reason.pairs()).singleElement().satisfies(f -> {
            assertThat(f.pair().remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
            assertThat(f.cause().code()).isEqualTo("no-response");
        });
    }

    @Test
    void withoutLocalCandidatesTheSessionSaysSoAndWithGatheringErrorsItListsThem() {
        SimNetwork net = new SimNetwork(12);
        IceAgentCore plain = core(net);
        plain.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        plain.addRemoteCandidate(0, remote(B));
        ends(plain, 0);
        IceAgentCore relayOnly = core(net);
        relayOnly.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        relayOnly.addRemoteCandidate(0, remote(B));
        GatheringError refused = new GatheringError("turn:10.0.0.9:3478", 486, "486 Allocation Quota Reached");
        relayOnly.gatheringError(0, refused);
        ends(relayOnly, 0);
        assertThat(net.runUntil(() -> plain.state() == IceState.FAILED && relayOnly.state() == IceState.FAILED,
                CHECK_TIMEOUT)).isTrue();

        assertThat(reason(plain)).isEqualTo(new IceFailureReason.NoLocalCandidates());
        events.clear();
        IceFailureReason gathering = reason(relayOnly);
        assertThat(gathering.code()).isEqualTo("gathering-failed");
        assertThat(gathering.gatheringErrors()).containsExactly(refused);
        assertThat(gathering.message()).isEqualTo("no local candidates: gathering failed (turn:10.0.0.9:3478: 486 Allocation Quota Reached)");
    }
}
