package io.reactiveice.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Coverage-guided, stateful fuzzing of the agent core (RFC 8445, RFC 7675) with Jazzer. One input
 * is a run: a configuration (role, lite, small table limits), then up to {@value #MAX_STEPS} inputs in
 * any order: local and remote candidates, credentials, restarts, end-of-candidates, the peer turning
 * out to be lite, lost local candidates, close, timer ticks (small, large, or exactly at
 * {@link IceAgentCore#nextTimeout()}), and datagrams: authentic checks (USERNAME and
 * MESSAGE-INTEGRITY of the right credentials, fuzzed PRIORITY, role attributes, tie-breaker and
 * USE-CANDIDATE), checks signed with a wrong key, responses to the core's own requests (signed with
 * the peer's key or a wrong one, success or 487, from the address asked or another one), garbage,
 * and authentic messages with one bit flipped.
 *
 * <p>Whatever comes, the core never throws, and after every input:
 * <ul>
 *   <li>every {@link Transmit} is a well-formed Binding message with FINGERPRINT;
 *   <li>a response goes only to the source of the request just handled, with its transaction id,
 *       from the socket the request came in on;
 *   <li>a request (a check or a consent check) leaves from the base of a local candidate we gave
 *       it, and goes only to an address learned from signalling
 *       ({@link IceAgentCore#addRemoteCandidate}) or from an authentic check, which the core answered
 *       with a success; a check signed with a wrong key is never answered with a success;
 *   <li>an ICE-lite core sends no request at all;
 *   <li>its tables stay within their limits: at most {@code maxPairs} pairs, at most
 *       {@code maxRemoteCandidates} remote candidates; a check in flight only for a pair it holds, and
 *       after a timer tick no consent check in flight that was sent a consent timeout ago (found by
 *       this target: both used to stay in the table for the life of the session, see
 *       {@link IceAgentCoreFuzzFindingsTest}); at most {@link EarlyCheckSeries#MAX_AWAITED} transactions
 *       of one pair's check.
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in
 * {@code src/test/resources/io/reactiveice/agent/IceAgentCoreFuzzTestInputs/} as a regression test;
 * the surefire execution {@code fuzz-agent-core} of this module's pom fuzzes it for a short while.
 */
class IceAgentCoreFuzzTest {
    private static final int MAX_STEPS = 96;
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress[] BASES = {
        new InetSocketAddress("10.0.0.1", 5000), new InetSocketAddress("10.0.0.2", 5001),
        new InetSocketAddress("fd00::1", 5002)};
    private static final InetSocketAddress[] PEERS = {
        new InetSocketAddress("203.0.113.1", 6000), new InetSocketAddress("203.0.113.1", 6001),
        new InetSocketAddress("203.0.113.2", 6000), new InetSocketAddress("198.51.100.9", 7000),
        new InetSocketAddress("2001:db8::1", 6000), new InetSocketAddress("2001:db8::2", 6003),
        new InetSocketAddress("192.0.2.77", 9), new InetSocketAddress("10.0.0.1", 5000)};

    /** One run's harness state: what the core was told, what it may send to, what it sent. */
    private static final class Run {
        final IceAgentCore core;
        final CoreConfig config;
        final FuzzedDataProvider data;
        final SplittableRandom random;
        final Set<InetSocketAddress> bases = new HashSet<>();
        final Set<InetSocketAddress> learned = new HashSet<>();
        final List<IceCredentials> localGenerations = new ArrayList<>();
        final List<IceCredentials> remoteGenerations = new ArrayList<>();
        final List<Transmit> requestsSent = new ArrayList<>();
        final List<byte[]> authentic = new ArrayList<>();
        long now;
        /** The request being handled, if the step is one: its source and transaction id. */
        InetSocketAddress answering;
        InetSocketAddress arrival;
        TransactionId answeringId;
        boolean answeringAuthentic;
        /** Whether the step was a timer tick, after which nothing that has timed out may be left. */
        boolean ticked;

        Run(FuzzedDataProvider data) {
            this.data = data;
            boolean lite = data.consumeInt(0, 3) == 0;
            IceRole role = lite || data.consumeBoolean() ? IceRole.CONTROLLED : IceRole.CONTROLLING;
            long tieBreaker = data.consumeLong();
            CoreConfig d = CoreConfig.defaults(role, tieBreaker);
            this.config = new CoreConfig(role, tieBreaker, d.pacing(), d.checkSchedule(), d.consentInterval(),
                    d.consentTimeout(), d.disconnectedTimeout(), d.nominationDelay(), d.relayNominationDelay(),
                    data.consumeInt(1, 10),
                    data.consumeInt(1, 6), null, lite, !lite && data.consumeBoolean());
            this.random = new SplittableRandom(data.consumeLong());
            this.core = new IceAgentCore(config, IceCredentials.generate(random), random);
            localGenerations.add(core.credentials());
            remoteGenerations.add(new IceCredentials("peer0", "peerpassword0000000000000"));
            this.now = data.consumeBoolean() ? 0 : data.consumeLong(0, 1L << 62);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void anyInputsKeepTheAgentWithinItsLimitsAndItsPeers(FuzzedDataProvider data) {
        Run run = new Run(data);
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            run.answering = null;
            run.answeringAuthentic = false;
            run.ticked = false;
            step(run);
            check(run);
        }
    }

    private static void step(Run r) {
        FuzzedDataProvider d = r.data;
        IceAgentCore core = r.core;
        switch (d.consumeInt(0, 15)) {
            case 0 -> {
                InetSocketAddress base = d.pickValue(BASES);
                r.bases.add(base);
                core.addLocalCandidate(r.now, host(base, d.consumeInt(0, 65_535)));
            }
            case 1, 2 -> {
                IceCandidate c = remote(d);
                r.learned.add(c.socketAddress());
                core.addRemoteCandidate(r.now, c);
            }
            case 3 -> {
                if (d.consumeInt(0, 3) == 0) {
                    int n = r.remoteGenerations.size();
                    r.remoteGenerations.add(new IceCredentials("peer" + n, "peerpassword" + "0".repeat(12) + n));
                }
                core.setRemoteCredentials(r.now, last(r.remoteGenerations));
            }
            case 4 -> {
                switch (d.consumeInt(0, 3)) {
                    case 0 -> core.remoteEndOfCandidates(r.now);
                    case 1 -> core.localGatheringComplete(r.now);
                    case 2 -> core.setRemoteLite(r.now);
                    default -> core.localCandidateLost(r.now, d.pickValue(BASES));
                }
            }
            case 5 -> {
                IceCredentials fresh = IceCredentials.generate(r.random);
                r.localGenerations.add(fresh);
                core.restart(r.now, fresh);
            }
            case 6, 7, 8 -> check(r, d);
            case 9, 10 -> respond(r, d);
            case 11 -> garbage(r, d);
            case 12 -> {
                if (d.consumeInt(0, 31) == 0) {
                    core.close();
                }
            }
            default -> tick(r, d);
        }
    }

    private static void tick(Run r, FuzzedDataProvider d) {
        long next = r.core.nextTimeout();
        switch (d.consumeInt(0, 3)) {
            case 0 -> r.now += d.consumeLong(0, 600 * MS);
            case 1 -> r.now += d.consumeLong(0, Duration.ofSeconds(40).toNanos());
            default -> r.now = next == Long.MAX_VALUE || next <= r.now ? r.now + MS : next;
        }
        r.core.handleTimeout(r.now);
        r.ticked = true;
    }

    /** A connectivity check to the core, signed with current, previous or wrong credentials. */
    private static void check(Run r, FuzzedDataProvider d) {
        int generation = d.consumeInt(0, 2);
        IceCredentials local = generation == 0 || r.localGenerations.size() < 2 ? last(r.localGenerations)
                : r.localGenerations.get(r.localGenerations.size() - 2);
        boolean rightKey = d.consumeInt(0, 5) != 0;
        TransactionId id = TransactionId.random(r.random);
        ByteBuffer out = ByteBuffer.allocate(512);
        StunMessageWriter w = new StunMessageWriter().begin(out, StunMethod.BINDING, StunClass.REQUEST, id);
        String remoteUfrag = d.consumeBoolean() ? last(r.remoteGenerations).ufrag() : "peer" + d.consumeInt(0, 3);
        w.putString(StunAttributeType.USERNAME.code(), local.ufrag() + ":" + remoteUfrag);
        if (d.consumeInt(0, 7) != 0) {
            w.putU32(StunAttributeType.PRIORITY.code(), d.consumeBoolean() ? 0x6E7F00FF : d.consumeInt());
        }
        switch (d.consumeInt(0, 2)) {
            case 0 -> w.putU64(StunAttributeType.ICE_CONTROLLING.code(), d.consumeLong());
            case 1 -> w.putU64(StunAttributeType.ICE_CONTROLLED.code(), d.consumeLong());
            default -> {
            }
        }
        if (d.consumeBoolean()) {
            w.putFlag(StunAttributeType.USE_CANDIDATE.code());
        }
        w.putMessageIntegrity(IntegrityKey.shortTerm(rightKey ? local.pwd() : "notthepasswordatall000000"));
        w.putFingerprint();
        byte[] message = bytes(out, w.finish());
        InetSocketAddress source = d.pickValue(PEERS);
        r.answering = source;
        r.answeringId = id;
        r.answeringAuthentic = rightKey;
        if (rightKey) {
            r.authentic.add(message);
        }
        receive(r, d, source, message);
    }

    /** A response to one of the core's requests: success or 487, signed with the peer's key or not. */
    private static void respond(Run r, FuzzedDataProvider d) {
        if (r.requestsSent.isEmpty()) {
            return;
        }
        Transmit request = d.consumeBoolean() ? last(r.requestsSent)
                : r.requestsSent.get(d.consumeInt(0, r.requestsSent.size() - 1));
        StunMessageReader req = new StunMessageReader().read(request.data(), 0, request.data().length);
        String username = req.string(req.indexOf(StunAttributeType.USERNAME));
        String peerUfrag = username.substring(0, username.indexOf(':'));
        String pwd = r.remoteGenerations.stream().filter(c -> c.ufrag().equals(peerUfrag)).map(IceCredentials::pwd)
                .findFirst().orElse("unknownpeerpassword000000");
        boolean success = d.consumeInt(0, 4) != 0;
        ByteBuffer out = ByteBuffer.allocate(512);
        StunMessageWriter w = new StunMessageWriter().beginResponse(out, req,
                success ? StunClass.SUCCESS_RESPONSE : StunClass.ERROR_RESPONSE);
        if (success) {
            InetSocketAddress mapped = d.consumeBoolean() ? request.from() : d.pickValue(PEERS);
            w.putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), mapped);
        } else {
            w.putErrorCode(d.consumeBoolean() ? 487 : d.consumeInt(300, 699), "Role Conflict");
        }
        boolean rightKey = d.consumeInt(0, 5) != 0;
        w.putMessageIntegrity(IntegrityKey.shortTerm(rightKey ? pwd : "notthepasswordatall000000"));
        w.putFingerprint();
        byte[] message = bytes(out, w.finish());
        if (rightKey) {
            r.authentic.add(message);
        }
        InetSocketAddress source = d.consumeInt(0, 3) != 0 ? request.to() : d.pickValue(PEERS);
        InetSocketAddress base = d.consumeInt(0, 3) != 0 ? request.from() : d.pickValue(BASES);
        deliver(r, base, source, message, d.consumeInt(0, 5));
    }

    /** Random bytes, or an authentic message with one bit flipped. */
    private static void garbage(Run r, FuzzedDataProvider d) {
        byte[] message;
        if (!r.authentic.isEmpty() && d.consumeBoolean()) {
            message = r.authentic.get(d.consumeInt(0, r.authentic.size() - 1)).clone();
            message[d.consumeInt(0, message.length - 1)] ^= (byte) (1 << d.consumeInt(0, 7));
        } else {
            message = d.consumeBytes(d.consumeInt(0, 300));
        }
        InetSocketAddress source = d.pickValue(PEERS);
        StunMessageReader reader = new StunMessageReader();
        if (reader.tryRead(message, 0, message.length) && reader.messageClass() == StunClass.REQUEST) {
            r.answering = source; // a flipped bit may leave a request the core still answers (with an error)
            r.answeringId = reader.transactionId();
        }
        receive(r, d, source, message);
    }

    private static void receive(Run r, FuzzedDataProvider d, InetSocketAddress source, byte[] message) {
        deliver(r, d.pickValue(BASES), source, message, d.consumeInt(0, 5));
    }

    /** The message at {@code offset} of a larger buffer, as a socket hands it over. */
    private static void deliver(Run r, InetSocketAddress base, InetSocketAddress source, byte[] message, int offset) {
        r.arrival = base;
        ByteBuffer buffer = ByteBuffer.allocate(offset + message.length + 2);
        buffer.put(offset, message);
        r.core.handleInput(r.now, new Datagram(base, source, buffer, offset, message.length));
    }

    /** Drains the core's transmits and events and checks every invariant. */
    private static void check(Run r) {
        List<Transmit> sent = new ArrayList<>();
        for (Transmit t = r.core.pollTransmit(); t != null; t = r.core.pollTransmit()) {
            sent.add(t);
        }
        while (r.core.pollEvent() != null) {
            // events are values; nothing to check beyond their construction
        }
        StunMessageReader reader = new StunMessageReader();
        // responses first: a success to an authentic check teaches the address it came from
        for (Transmit t : sent) {
            assertThat(reader.tryRead(t.data(), 0, t.data().length)).as("well-formed: %s", reader.rejection()).isTrue();
            assertThat(reader.hasFingerprint() && reader.fingerprintMatches()).as("FINGERPRINT").isTrue();
            assertThat(reader.method()).isEqualTo(StunMethod.BINDING);
            if (reader.messageClass().isResponse()) {
                assertThat(r.answering).as("a response with no request to answer: %s", t).isNotNull();
                assertThat(t.to()).as("response destination").isEqualTo(r.answering);
                assertThat(t.from()).as("a response leaves from the socket the request came in on").isEqualTo(r.arrival);
                assertThat(reader.transactionId()).isEqualTo(r.answeringId);
                if (reader.messageClass() == StunClass.SUCCESS_RESPONSE) {
                    assertThat(r.answeringAuthentic).as("a success answer to a check that is not authentic").isTrue();
                    r.learned.add(t.to());
                }
            }
        }
        for (Transmit t : sent) {
            reader.tryRead(t.data(), 0, t.data().length);
            if (reader.messageClass() == StunClass.REQUEST) {
                assertThat(r.config.lite()).as("an ICE-lite agent sent a check: %s", t).isFalse();
                assertThat(r.bases).as("the base of %s", t).contains(t.from());
                assertThat(r.learned).as("a check to an address never signalled nor authenticated: %s", t)
                        .contains(t.to());
                r.requestsSent.add(t);
            } else {
                assertThat(reader.messageClass().isResponse()).as("class of %s", t).isTrue();
            }
        }
        limits(r);
    }

    private static void limits(Run r) {
        IceAgentCore core = r.core;
        List<PairEntry> pairs = core.checklist().pairs();
        assertThat(pairs.size()).as("pairs").isLessThanOrEqualTo(r.config.maxPairs());
        assertThat(core.remoteCandidateCount()).as("remote candidates").isLessThanOrEqualTo(r.config.maxRemoteCandidates());
        long consentTimeout = r.config.consentTimeout().toNanos();
        Map<PairEntry, Integer> checksPerPair = new IdentityHashMap<>();
        for (TransactionTable.Outstanding o : core.transactionsInFlight()) {
            if (!o.consent()) {
                assertThat(o.pair() == core.selectedEntry() || pairs.contains(o.pair()))
                        .as("a check in flight for a pair the core no longer holds: %s", o.pair()).isTrue();
                assertThat(o.pair().held).as("held: %s", o.pair()).isTrue();
                assertThat(o.pair().transaction).as("the pair of a check in flight has it as its transaction").isNotNull();
                assertThat(checksPerPair.merge(o.pair(), 1, Integer::sum)).as("transactions of one check")
                        .isLessThanOrEqualTo(EarlyCheckSeries.MAX_AWAITED);
            } else if (r.ticked) {
                assertThat(r.now - o.sentAt()).as("age of a consent check in flight").isLessThan(consentTimeout);
            }
        }
    }

    private static LocalCandidate host(InetSocketAddress base, int localPreference) {
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), localPreference, 1);
        return new LocalCandidate(IceCandidate.udp("h" + Math.abs(base.hashCode() % 1000), 1, priority, base,
                CandidateType.HOST), base);
    }

    private static IceCandidate remote(FuzzedDataProvider d) {
        InetSocketAddress a = d.pickValue(PEERS);
        CandidateType type = d.pickValue(CandidateType.values());
        TransportProtocol transport = d.consumeInt(0, 7) == 0 ? TransportProtocol.TCP : TransportProtocol.UDP;
        return new IceCandidate("f" + d.consumeInt(0, 9), d.consumeInt(0, 7) == 0 ? 2 : 1, transport,
                d.consumeLong(1, 0xFFFF_FFFFL), a.getAddress().getHostAddress(), a.getPort(), type, null, -1,
                transport == TransportProtocol.TCP ? TcpType.ACTIVE : null, List.of());
    }

    private static byte[] bytes(ByteBuffer out, int n) {
        byte[] b = new byte[n];
        out.get(0, b, 0, n);
        return b;
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
