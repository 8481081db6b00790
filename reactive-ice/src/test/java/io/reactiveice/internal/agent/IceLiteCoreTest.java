package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A full agent and an ICE-lite agent (RFC 8445 sections 2.5, 6.1.1, 7.3 and 8.2) stepped through a
 * simulated network: the full agent takes control and nominates, the lite agent never sends a
 * request, selects on USE-CANDIDATE and follows the peer's consent checks for its liveness.
 */
class IceLiteCoreTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A2 = addr("127.0.0.2", 10_002);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);

    /** A: full, configured controlled as a browser's answerer might be; B: lite. */
    private static AgentPair fullAndLite(SimNetwork net, CoreConfig full) {
        AgentPair p = new AgentPair(net, full, CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L).withLite(true), 42);
        p.a.setRemoteLite(net.now());
        return p.hosts(List.of(host(A1, 65_535), host(A2, 100)), List.of(host(B1, 65_535)));
    }

    private static List<StunMessage> requestsFrom(SimNetwork net, InetSocketAddress base) {
        return net.sent.stream().filter(t -> t.from().equals(base))
                .map(t -> StunMessage.decode(t.data()))
                .filter(m -> m.messageClass() == StunClass.REQUEST).toList();
    }

    @Test
    void aFullAgentTakesControlAndTheLiteAgentSelectsTheNominatedPairWithoutSendingAnyRequest() {
        SimNetwork net = new SimNetwork(1);
        AgentPair p = fullAndLite(net, CoreConfig.defaults(IceRole.CONTROLLED, 0x1111L));
        assertThat(p.a.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        assertThat(p.b.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        assertThat(p.b.selectedPair().base()).isEqualTo(B1);
        assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(A1);
        net.runFor(60 * S); // consent from the full side keeps both alive
        p.drain();
        assertThat(p.a.state().canSend()).isTrue();
        assertThat(p.b.state().canSend()).isTrue();
        assertThat(requestsFrom(net, B1)).as("requests sent by the lite agent").isEmpty();
        assertThat(requestsFrom(net, A1).size()).as("the full agent's consent checks in 60 s").isBetween(10, 16);
    }

    // RFC 8445 section 8.2 with RFC 7675: the lite side measures silence on the peer's checks
    @Test
    void theLiteAgentGoesDisconnectedThenFailedWhenThePeersChecksStop() {
        SimNetwork net = new SimNetwork(2);
        AgentPair p = fullAndLite(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(12 * S);
        long lastCheck = p.b.selectedEntry().lastConsentAt;
        p.a.close(); // the full peer goes away
        net.runUntil(() -> p.b.state() == IceState.DISCONNECTED, 40 * S);
        assertThat(net.now() - lastCheck).isEqualTo(7_500 * MS);
        net.runUntil(() -> p.b.state() == IceState.FAILED, 40 * S);
        assertThat(net.now() - lastCheck).isEqualTo(30 * S);
        assertThat(requestsFrom(net, B1)).isEmpty();
    }

    // A lite agent never takes control: a peer that also claims CONTROLLED is told 487 and switches
    @Test
    void aFullAgentThatDidNotKnowThePeerIsLiteIsToldToTakeControl() {
        SimNetwork net = new SimNetwork(3);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLED, 0xFFFF_FFFFL),
                CoreConfig.defaults(IceRole.CONTROLLED, 1).withLite(true), 42)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 10 * S)).isTrue();
        assertThat(p.a.role()).isEqualTo(IceRole.CONTROLLING); // despite the larger tie-breaker
        assertThat(p.b.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(p.eventsB).noneMatch(e -> e instanceof IceEvent.RoleChanged);
    }

    // Browsers nominate aggressively: USE-CANDIDATE on every check; the lite agent keeps the best pair
    @Test
    void aggressiveNominationOnEveryCheckSettlesOnTheHighestPriorityPair() {
        SimNetwork net = new SimNetwork(4);
        CoreConfig aggressive = CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withUseCandidateOnConsent(true);
        AgentPair p = fullAndLite(net, aggressive);
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(30 * S);
        assertThat(p.b.selectedPair().remoteAddress()).isEqualTo(A1); // A1 (65535) beats A2 (100)
        assertThat(requestsFrom(net, A1)).filteredOn(m -> m.attribute(StunAttribute.UseCandidate.class).isPresent())
                .as("consent checks with USE-CANDIDATE").hasSizeGreaterThan(3);
        assertThat(p.b.state().canSend()).isTrue();
    }

    @Test
    void aLiteAgentMustBeControlled() {
        assertThatThrownBy(() -> new CoreConfig(IceRole.CONTROLLING, 1, Duration.ofMillis(50),
                RetransmissionSchedule.UDP_DEFAULT, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofMillis(7500), Duration.ZERO, CoreConfig.RELAY_NOMINATION_DELAY, 100, 100,
                null, true, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role");
        assertThat(CoreConfig.defaults(IceRole.CONTROLLING, 1).withLite(true).role()).isEqualTo(IceRole.CONTROLLED);
    }

    /** A Binding request as Chrome sends it to a lite peer: GOOG-NETWORK-INFO, USE-CANDIDATE on the first check. */
    private static byte[] chromeCheck(IceCredentials lite, String browserUfrag, int methodCode) {
        ByteBuffer out = ByteBuffer.allocate(600);
        StunMessageWriter w = new StunMessageWriter()
                .begin(out, methodCode, StunClass.REQUEST, 0x0102030405060708L, 9);
        w.put(new StunAttribute.Username(lite.ufrag() + ":" + browserUfrag));
        w.putBytes(0xC057, new byte[] {0, 1, 0, 10}, 0, 4); // GOOG-NETWORK-INFO: network id 1, cost 10
        w.put(new StunAttribute.IceControlling(0x7777L));
        w.put(new StunAttribute.UseCandidate());
        w.put(new StunAttribute.Priority(1_845_501_695));
        w.putMessageIntegrity(IntegrityKey.shortTerm(lite.pwd()));
        w.putFingerprint();
        int n = w.finish();
        return Arrays.copyOf(out.array(), n);
    }

    // Chrome: comprehension-optional attributes are skipped, USE-CANDIDATE on the first check selects;
    // GOOG-PING (method 0x080) is ignored without an answer; a DTLS ClientHello (first byte 22) is data
    @Test
    void aChromeStyleCheckSelectsAndGoogPingAndDtlsAreNotTreatedAsChecks() {
        IceAgentCore lite = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLED, 1).withLite(true),
                IceCredentials.generate(new SplittableRandom(5)), new SplittableRandom(5));
        lite.addLocalCandidate(0, host(B1, 65_535));
        InetSocketAddress browser = addr("10.0.0.2", 50_000);
        byte[] check = chromeCheck(lite.credentials(), "brws", 0x001);
        assertThat(lite.handleInput(MS, new Datagram(B1, browser, ByteBuffer.wrap(check), 0, check.length))).isTrue();
        Transmit answer = lite.pollTransmit();
        StunMessage response = StunMessage.decode(answer.data());
        assertThat(response.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(response.attribute(StunAttribute.XorMappedAddress.class))
                .contains(new StunAttribute.XorMappedAddress(browser));
        assertThat(lite.state()).isEqualTo(IceState.CONNECTED);
        assertThat(lite.selectedPair().remoteAddress()).isEqualTo(browser);
        assertThat(lite.selectedPair().remote().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);

        byte[] ping = chromeCheck(lite.credentials(), "brws", 0x080);
        assertThat(lite.handleInput(2 * MS, new Datagram(B1, browser, ByteBuffer.wrap(ping), 0, ping.length))).isTrue();
        assertThat(lite.pollTransmit()).as("no answer to GOOG-PING").isNull();
        assertThat(lite.status().dropped()).isEqualTo(1);

        byte[] clientHello = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(lite.handleInput(3 * MS, new Datagram(B1, browser, ByteBuffer.wrap(clientHello), 0,
                clientHello.length))).as("DTLS is application data").isFalse();
        assertThat(lite.pollTransmit()).isNull();
    }

    // Chrome puts USE-CANDIDATE on every check; a full controlled agent must keep its own consent cadence
    @Test
    void repeatedNominationOfTheSelectedPairDoesNotPostponeTheControlledAgentsConsentChecks() {
        SimNetwork net = new SimNetwork(7);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withUseCandidateOnConsent(true)
                .withConsentInterval(Duration.ofMillis(2_500)),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        int before = requestsFrom(net, B1).size();
        net.runFor(60 * S);
        p.drain();
        assertThat(requestsFrom(net, B1).size() - before).as("B's consent checks in 60 s").isBetween(10, 16);
        assertThat(AgentPair.states(p.eventsB)).doesNotContain(IceState.DISCONNECTED);
        assertThat(p.eventsB).filteredOn(e -> e instanceof IceEvent.SelectedPairChanged).hasSize(1);
    }

    // RFC 8445 section 8.1.2: once COMPLETED, a nomination of the pair already selected (Chrome puts
    // USE-CANDIDATE on every check to a lite peer) changes nothing; the state does not go back to CONNECTED
    @Test
    void repeatedNominationLeavesACompletedLiteAgentCompleted() {
        SimNetwork net = new SimNetwork(8);
        AgentPair p = fullAndLite(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L).withUseCandidateOnConsent(true)
                .withConsentInterval(Duration.ofMillis(2_500)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(60 * S);
        p.drain();
        assertThat(requestsFrom(net, A1).size()).as("nominating checks in 60 s").isGreaterThan(10);
        List<IceState> states = AgentPair.states(p.eventsB);
        assertThat(states).as("the lite agent's states").endsWith(IceState.COMPLETED)
                .containsOnlyOnce(IceState.CONNECTED, IceState.COMPLETED);
        assertThat(states.indexOf(IceState.CONNECTED)).isLessThan(states.indexOf(IceState.COMPLETED));
    }
}
