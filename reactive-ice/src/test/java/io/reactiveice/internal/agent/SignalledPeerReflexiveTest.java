package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.selections;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The peer's check outruns its trickled candidate (RFC 8838): the candidate is learned as
 * peer-reflexive (RFC 8445 section 7.3.1.3), and when signalling brings it, its pairs take the
 * signalled one, type, priority and foundation, and keep their state (RFC 8838 section 11, item 4.A).
 */
class SignalledPeerReflexiveTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    private static final LocalCandidate A_HOST = host(A1, 65_535);
    private static final LocalCandidate B_HOST = host(B1, 65_535);

    // The order the peer program's integration test sometimes saw: A (controlling) knows B's host
    // candidate and checks at once; B hears A's check before A's candidate reaches it, selects the pair
    // with a peer-reflexive remote candidate, and only then is A's host candidate signalled.
    @Test
    void aSelectedPairWhosePeerReflexiveRemoteIsSignalledLaterIsReportedAgainWithTheSignalledCandidate() {
        SimNetwork net = new SimNetwork(31);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        net.attach(p.a, A1);
        net.attach(p.b, B1);
        p.a.setRemoteCredentials(0, p.b.credentials());
        p.b.setRemoteCredentials(0, p.a.credentials());
        p.a.addLocalCandidate(0, A_HOST);
        p.b.addLocalCandidate(0, B_HOST);
        p.a.addRemoteCandidate(0, B_HOST.candidate()); // B's candidate reached A; A's is still on its way
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        p.drain();
        CandidatePair learned = p.b.selectedPair();
        assertThat(learned.remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        assertThat(learned.remoteAddress()).isEqualTo(A1);
        assertThat(learned.priority()).as("each side sees another pair priority").isNotEqualTo(p.a.selectedPair().priority());

        long signalledAt = net.now();
        p.b.addRemoteCandidate(signalledAt, A_HOST.candidate());
        p.drain();

        CandidatePair upgraded = p.b.selectedPair();
        assertThat(upgraded).isEqualTo(new CandidatePair(B_HOST.candidate(), B1, A_HOST.candidate(), A1,
                CandidatePriority.pair(A_HOST.candidate().priority(), B_HOST.candidate().priority())));
        assertThat(upgraded.priority()).as("both sides see the same pair priority now").isEqualTo(p.a.selectedPair().priority());
        assertThat(upgraded.remote()).isEqualTo(p.a.selectedPair().local());
        assertThat(upgraded.local()).isEqualTo(p.a.selectedPair().remote());
        assertThat(selections(p.eventsB)).containsExactly(learned, upgraded);
        assertThat(p.b.remoteCandidateCount()).isEqualTo(1);
        assertThat(p.b.describeChecklist()).containsExactly(B1 + "->" + A1 + " SUCCEEDED valid nominated");
        assertThat(p.b.selectedEntry().foundation).isEqualTo(B_HOST.candidate().foundation() + ":"
                + A_HOST.candidate().foundation());

        int eventsBefore = p.eventsB.size();
        p.b.addRemoteCandidate(net.now(), A_HOST.candidate()); // signalled twice: known, nothing happens
        net.runFor(10 * S); // consent goes on on the same pair
        assertThat(AgentPair.connected(p.b.state())).isTrue();
        assertThat(p.eventsB.subList(eventsBefore, p.eventsB.size())).noneMatch(e -> e instanceof IceEvent.SelectedPairChanged);
        assertThat(p.b.selectedPair()).isEqualTo(upgraded);
        assertThat(selections(p.eventsA)).hasSize(1);
    }

    /** A controlled core on B1 that the scripted peer on A1 checks before signalling anything. */
    private static ScriptedPeer controlledCore() {
        SplittableRandom rb = new SplittableRandom(2);
        IceAgentCore b = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLED, 9), IceCredentials.generate(rb), rb);
        ScriptedPeer peer = new ScriptedPeer(b);
        b.addLocalCandidate(0, B_HOST);
        b.setRemoteCredentials(0, ScriptedPeer.CREDENTIALS);
        peer.drain(0);
        return peer;
    }

    /** The peer checks from A1, and answers the triggered check that comes back: the pair is valid. */
    private static void checkedAndAnswered(ScriptedPeer peer, long now, boolean useCandidate) {
        peer.check(now, A1, B1, useCandidate);
        List<Transmit> triggered = peer.requestsTo(A1);
        assertThat(triggered).hasSize(1);
        peer.answer(now + MS, triggered.get(0));
    }

    private static List<IceEvent> events(IceAgentCore core) {
        List<IceEvent> out = new ArrayList<>();
        for (IceEvent e = core.pollEvent(); e != null; e = core.pollEvent()) {
            out.add(e);
        }
        return out;
    }

    // RFC 8838 section 11 item 4.A: the pair keeps its place and takes the priority of the pair the
    // signalled candidate forms; the selection is reported again, exactly once, and nothing is sent.
    @Test
    void theSelectedPairTakesTheSignalledCandidateAndIsReportedAgainWithNothingSent() {
        ScriptedPeer peer = controlledCore();
        IceAgentCore b = peer.core;
        checkedAndAnswered(peer, 0, true);
        List<CandidatePair> before = selections(events(b));
        assertThat(before).hasSize(1);
        assertThat(before.get(0).remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        assertThat(before.get(0).remote().priority()).isEqualTo(0x6E7F00FFL); // the check's PRIORITY
        PairEntry entry = b.selectedEntry();
        int sent = peer.sent.size();

        IceCandidate signalled = IceCandidate.udp("7", 1, 2_130_706_431L, A1, CandidateType.HOST);
        b.addRemoteCandidate(2 * MS, signalled);
        peer.drain(2 * MS);

        CandidatePair expected = new CandidatePair(B_HOST.candidate(), B1, signalled, A1,
                CandidatePriority.pair(2_130_706_431L, B_HOST.candidate().priority()));
        assertThat(events(b)).containsExactly(new IceEvent.SelectedPairChanged(expected));
        assertThat(b.selectedEntry()).as("the same pair, not a new one").isSameAs(entry);
        assertThat(entry.state).isEqualTo(PairState.SUCCEEDED);
        assertThat(entry.valid).isTrue();
        assertThat(entry.nominated).isTrue();
        assertThat(entry.foundation).isEqualTo(B_HOST.candidate().foundation() + ":7");
        assertThat(b.checklist().pairs()).containsExactly(entry);
        assertThat(peer.sent).hasSize(sent);
    }

    // A pair that is valid but not selected takes the signalled candidate without a selection event;
    // the nomination that follows reports the signalled type at once.
    @Test
    void aValidPairThatIsNotSelectedTakesTheSignalledCandidateQuietlyAndIsSelectedWithIt() {
        ScriptedPeer peer = controlledCore();
        IceAgentCore b = peer.core;
        checkedAndAnswered(peer, 0, false);
        assertThat(selections(events(b))).isEmpty();
        PairEntry entry = b.checklist().pairs().get(0);
        assertThat(entry.valid).isTrue();

        IceCandidate signalled = IceCandidate.udp("7", 1, 2_130_706_431L, A1, CandidateType.HOST);
        b.addRemoteCandidate(2 * MS, signalled);
        assertThat(events(b)).isEmpty();
        assertThat(entry.remote).isSameAs(signalled);
        assertThat(entry.state).isEqualTo(PairState.SUCCEEDED);
        assertThat(entry.priority).isEqualTo(CandidatePriority.pair(2_130_706_431L, B_HOST.candidate().priority()));

        peer.check(3 * MS, A1, B1, true);
        assertThat(selections(events(b))).extracting(s -> s.remote()).containsExactly(signalled);
        assertThat(b.checklist().pairs()).containsExactly(entry);
    }
}
