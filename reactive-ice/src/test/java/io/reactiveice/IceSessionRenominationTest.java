package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Renomination through the session ({@link IceAgent#renomination(boolean)}): the {@code ice-options}
 * token is offered only when configured, and a session sends NOMINATION only when the peer's
 * parameters offer the token too.
 */
class IceSessionRenominationTest extends VirtualTimeSessions {

    @Test
    void theTokenIsOfferedOnlyWhenConfigured() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1).renomination(true));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.2", 2));
        assertThat(a.localParameters().options()).containsExactly(IceParameters.TRICKLE, IceParameters.RENOMINATION);
        assertThat(b.localParameters().options()).containsExactly(IceParameters.TRICKLE);
    }

    @Test
    void nominationCarriesTheCounterWhenBothOfferIt() throws Exception {
        assertThat(nominationsSent(true)).isPositive();
    }

    @Test
    void nothingChangesOnTheWireWhenThePeerDoesNotOfferIt() throws Exception {
        assertThat(nominationsSent(false)).isZero();
    }

    private long nominationsSent(boolean peerOffers) throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1).renomination(true));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.2", 2).renomination(peerOffers));
        a.setRemoteParameters(b.localParameters());
        b.setRemoteParameters(a.localParameters());
        collect(a).forEach(b::addRemoteCandidate);
        collect(b).forEach(a::addRemoteCandidate);
        a.remoteEndOfCandidates();
        b.remoteEndOfCandidates();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
        StunMessageReader r = new StunMessageReader();
        return net.sent.stream().filter(s -> r.tryRead(s.data(), 0, s.data().length)
                && r.indexOf(StunAttributeType.NOMINATION) >= 0).count();
    }
}
