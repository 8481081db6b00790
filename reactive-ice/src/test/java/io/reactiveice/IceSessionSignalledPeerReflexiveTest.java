package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * The session passes on the core's second report of a selected pair whose peer-reflexive remote
 * candidate was then signalled (RFC 8838 section 11): {@link IceSession#selectedPairs()} gets the same
 * path again with the signalled candidate, and {@link IceSession#selectedPair()} is that snapshot.
 */
class IceSessionSignalledPeerReflexiveTest extends VirtualTimeSessions {

    @Test
    void aSelectedPairIsEmittedAgainWhenItsPeerReflexiveRemoteCandidateIsSignalled() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.2", 2));
        List<CandidatePair> atB = new CopyOnWriteArrayList<>();
        Disposable listening = b.selectedPairs().subscribe(atB::add);
        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
        collect(b).forEach(a::addRemoteCandidate); // a's candidates have not reached b yet
        List<IceCandidate> ofA = collect(a);
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(b.state()).isEqualTo(IceState.CONNECTED);
        assertThat(atB).hasSize(1);
        assertThat(atB.get(0).remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);

        ofA.forEach(b::addRemoteCandidate);
        clock.advanceTime();

        assertThat(atB).hasSize(2);
        CandidatePair signalled = atB.get(1);
        assertThat(signalled.remote()).isEqualTo(ofA.get(0));
        assertThat(signalled.base()).isEqualTo(atB.get(0).base());
        assertThat(signalled.remoteAddress()).isEqualTo(atB.get(0).remoteAddress());
        assertThat(b.selectedPair()).isEqualTo(signalled);
        assertThat(signalled.remote()).isEqualTo(a.selectedPair().local());
        assertThat(signalled.priority()).isEqualTo(a.selectedPair().priority());
        listening.dispose();
    }
}
