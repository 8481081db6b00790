package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What {@link IceAgentCoreFuzzTest} found, pinned: the table of STUN transactions in flight stays
 * bounded and an answer to a transaction the core abandoned changes nothing; an ICE-lite core sends no
 * check even when its selected pair's local candidate is lost.
 */
class IceAgentCoreFuzzFindingsTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A2 = addr("127.0.0.2", 10_002);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    private static final IceCredentials PEER = new IceCredentials("peer", "peerpassword0000000000000");

    // RFC 8445 section 9: a restart starts the checks over; the old checks are abandoned.
    @Test
    void aResponseToACheckSentBeforeARestartNeitherValidatesNorSelectsAPair() {
        SplittableRandom random = new SplittableRandom(3);
        IceAgentCore a = new IceAgentCore(CoreConfig.defaults(IceRole.CONTROLLING, 1), IceCredentials.generate(random),
                random);
        a.addLocalCandidate(0, host(A1, 65_535));
        a.setRemoteCredentials(0, PEER);
        a.addRemoteCandidate(0, IceCandidate.udp("b", 1, 2_130_706_431L, B1, CandidateType.HOST));
        Transmit check = a.pollTransmit();
        assertThat(check.to()).isEqualTo(B1);

        a.restart(MS, IceCredentials.generate(random));
        drain(a);
        byte[] late = success(check.data(), A1, PEER.pwd());
        a.handleInput(2 * MS, new Datagram(A1, B1, ByteBuffer.wrap(late), 0, late.length));
        a.handleTimeout(5 * S); // past any nomination delay

        assertThat(drain(a)).noneMatch(e -> e instanceof IceEvent.PairValidated || e instanceof IceEvent.SelectedPairChanged);
        assertThat(a.selectedPair()).isNull();
        assertThat(a.transactionsInFlight()).isEmpty();
    }

    // RFC 7675 section 5.1: a consent check unanswered for the consent timeout can no longer keep
    // consent; the agent forgets it instead of keeping it for the life of the session.
    @Test
    void unansweredConsentChecksAreForgottenAfterTheConsentTimeout() {
        SimNetwork net = new SimNetwork(11);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42)
                .hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        AtomicInteger answers = new AtomicInteger();
        // B answers only every other consent check: consent holds, half the checks stay unanswered
        net.block(t -> t.from().equals(B1) && isResponse(t) && answers.incrementAndGet() % 2 == 0);

        net.runFor(600 * S);

        assertThat(p.a.state().canSend()).isTrue();
        // one check every 4 to 6 s: at most 30 s / 4 s + 1 of them are younger than the consent timeout
        assertThat(p.a.transactionsInFlight()).hasSizeLessThanOrEqualTo(9);
        assertThat(answers.get()).as("consent checks answered or dropped").isGreaterThan(100);
    }

    // RFC 8445 section 2.5: a lite agent sends no connectivity checks, consent checks included.
    @Test
    void aLiteAgentSendsNoCheckWhenTheLocalCandidateOfItsSelectedPairIsLost() {
        SplittableRandom random = new SplittableRandom(5);
        CoreConfig d = CoreConfig.defaults(IceRole.CONTROLLED, 1);
        CoreConfig lite = new CoreConfig(IceRole.CONTROLLED, 1, d.pacing(), d.checkSchedule(), d.consentInterval(),
                d.consentTimeout(), d.disconnectedTimeout(), d.nominationDelay(), d.relayNominationDelay(), d.maxPairs(), d.maxRemoteCandidates(),
                null, true, false);
        IceAgentCore a = new IceAgentCore(lite, IceCredentials.generate(random), random);
        a.addLocalCandidate(0, host(A1, 65_535));
        a.addLocalCandidate(0, host(A2, 65_534));
        a.setRemoteCredentials(0, PEER);
        receive(a, A1, check(a.credentials(), true), MS);      // the peer nominates A1-B1
        receive(a, A2, check(a.credentials(), false), 2 * MS); // and A2-B1 works too
        assertThat(a.selectedPair().base()).isEqualTo(A1);
        drainTransmits(a);

        a.localCandidateLost(3 * MS, A1);
        a.handleTimeout(10 * S);

        assertThat(drainTransmits(a)).as("what the lite agent sent").noneMatch(t -> !isResponse(t));
    }

    private static void receive(IceAgentCore core, InetSocketAddress base, byte[] message, long now) {
        core.handleInput(now, new Datagram(base, B1, ByteBuffer.wrap(message), 0, message.length));
    }

    /** An authentic check from the full peer, controlling, with or without USE-CANDIDATE. */
    private static byte[] check(IceCredentials local, boolean useCandidate) {
        ByteBuffer out = ByteBuffer.allocate(256);
        StunMessageWriter w = new StunMessageWriter().begin(out, StunMethod.BINDING,
                StunClass.REQUEST, TransactionId.random(new SplittableRandom(useCandidate ? 1 : 2)))
                .putString(StunAttributeType.USERNAME.code(), local.ufrag() + ":" + PEER.ufrag())
                .putU32(StunAttributeType.PRIORITY.code(), 0x6E7F00FF)
                .putU64(StunAttributeType.ICE_CONTROLLING.code(), 7);
        if (useCandidate) {
            w.putFlag(StunAttributeType.USE_CANDIDATE.code());
        }
        w.putMessageIntegrity(IntegrityKey.shortTerm(local.pwd()));
        w.putFingerprint();
        int n = w.finish();
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        return bytes;
    }

    private static List<Transmit> drainTransmits(IceAgentCore core) {
        List<Transmit> out = new ArrayList<>();
        for (Transmit t = core.pollTransmit(); t != null; t = core.pollTransmit()) {
            out.add(t);
        }
        return out;
    }

    private static boolean isResponse(Transmit t) {
        StunMessageReader r = new StunMessageReader();
        return r.tryRead(t.data(), 0, t.data().length) && r.messageClass().isResponse();
    }

    private static byte[] success(byte[] request, InetSocketAddress mapped, String pwd) {
        StunMessageReader req = new StunMessageReader().read(request, 0, request.length);
        ByteBuffer out = ByteBuffer.allocate(256);
        StunMessageWriter w = new StunMessageWriter().beginResponse(out, req, StunClass.SUCCESS_RESPONSE)
                .putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), mapped)
                .putMessageIntegrity(IntegrityKey.shortTerm(pwd));
        w.putFingerprint();
        int n = w.finish();
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        return bytes;
    }

    private static List<IceEvent> drain(IceAgentCore core) {
        List<IceEvent> out = new ArrayList<>();
        for (IceEvent e = core.pollEvent(); e != null; e = core.pollEvent()) {
            out.add(e);
        }
        return out;
    }
}
