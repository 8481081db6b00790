package io.reactiveice.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.NonceCookie;
import io.reactiveice.stun.PasswordAlgorithm;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunBytes;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.turn.TurnEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Coverage-guided, stateful fuzzing of the TURN client's allocation machine (RFC 8656) with Jazzer:
 * the {@link TurnAllocation} is fed responses of any shape to the requests it sent (success or error,
 * any error code, any of the attributes it reads with fuzzed values, signed with the right long-term
 * key, a wrong one or none, sometimes with a byte flipped), garbage, timer ticks and the calls of its
 * owner (permit, peerActive, deallocate, transportClosed), in any order. Whatever comes, it never
 * throws; everything it sends is a well-formed STUN request to the server it is talking to (the
 * configured one, or the one ALTERNATE-SERVER named); after {@code handleTimeout(now)} nothing is due
 * at {@code now} any more (no busy timer); once CLOSED or FAILED it sends nothing; its channel table
 * holds only channel numbers 0x4000 to 0x4FFF (RFC 8656 section 12), and a bound channel is the
 * channel of its peer both ways.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the seeds in
 * {@code src/test/resources/io/reactiveice/turn/TurnAllocationFuzzTestInputs/} as a regression test;
 * the surefire execution {@code fuzz} of this module's pom fuzzes it for {@code ${fuzz.turn.duration}}.
 */
class TurnAllocationFuzzTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    private static final int MAX_STEPS = 64;
    private static final int[] CODES = {300, 400, 401, 403, 420, 437, 438, 440, 441, 442, 486, 500, 508};

    @FuzzTest(maxDuration = "10s")
    void anyResponsesNeverBreakTheAllocation(FuzzedDataProvider data) {
        run(data);
    }

    /** One run, checked after every step; returns the allocation as the run left it. */
    static TurnAllocation run(FuzzedDataProvider data) {
        TurnAllocationConfig config = config(data);
        TurnAllocation allocation = new TurnAllocation(config, new SplittableRandom(data.consumeLong()));
        long now = data.consumeBoolean() ? 0 : data.consumeLong(0, 2_000_000_000_000_000_000L);
        List<byte[]> sent = new ArrayList<>();
        allocation.start(now);
        check(allocation, sent, false);
        for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
            boolean wasOver = over(allocation);
            switch (data.consumeInt(0, 9)) {
                case 0, 1, 2, 3 -> respond(allocation, data, sent, now);
                case 4 -> garbage(allocation, data, now);
                case 5 -> {
                    now += data.consumeLong(0, Duration.ofSeconds(700).toNanos());
                    allocation.handleTimeout(now);
                    long next = allocation.nextTimeout();
                    assertThat(next).as("next timeout after handleTimeout(%d)", now).isGreaterThan(now);
                }
                case 6 -> allocation.permit(now, peer(data));
                case 7 -> allocation.peerActive(now, peer(data));
                case 8 -> allocation.deallocate(now);
                default -> allocation.transportClosed(now);
            }
            check(allocation, sent, wasOver);
        }
        return allocation;
    }

    private static TurnAllocationConfig config(FuzzedDataProvider data) {
        TurnAllocationConfig config = TurnAllocationConfig.of(SERVER, "alice", "wonderland");
        if (data.consumeBoolean()) {
            config = config.withAddressFamily(data.consumeBoolean() ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6);
        }
        return config.withDontFragment(data.consumeBoolean());
    }

    private static boolean over(TurnAllocation a) {
        return a.state() == TurnAllocation.State.CLOSED || a.state() == TurnAllocation.State.FAILED;
    }

    /** Drains and checks what the allocation sent and how it stands. */
    private static void check(TurnAllocation a, List<byte[]> sent, boolean wasOver) {
        StunMessageReader r = new StunMessageReader();
        for (Transmit t = a.pollTransmit(); t != null; t = a.pollTransmit()) {
            assertThat(wasOver).as("a transmit after the allocation was %s", a.state()).isFalse();
            assertThat(t.to()).as("destination").isEqualTo(a.server());
            assertThat(r.tryRead(t.data(), 0, t.data().length)).as("a well-formed message: %s", r.rejection()).isTrue();
            assertThat(r.messageClass()).isEqualTo(StunClass.REQUEST);
            assertThat(r.hasFingerprint() && r.fingerprintMatches()).as("FINGERPRINT").isTrue();
            sent.add(t.data());
        }
        for (TurnEvent e = a.pollEvent(); e != null; e = a.pollEvent()) {
            assertThat(e).isNotNull();
        }
        if (a.state() == TurnAllocation.State.ALLOCATED) {
            assertThat(a.relayedAddress()).isNotNull();
        }
        ChannelTable table = a.channels();
        // every channel asked for is accepted inbound; the bound ones carry data out, to the same peer
        table.peerByChannel().keySet().forEach(number -> assertThat(number).isBetween(0x4000, 0x4FFF));
        table.channelByPeer().forEach((peer, number) -> assertThat(table.peerByChannel().get(number)).isEqualTo(peer));
    }

    /** A response to one of the requests sent so far, of fuzzed class, attributes and signature. */
    private static void respond(TurnAllocation a, FuzzedDataProvider data, List<byte[]> sent, long now) {
        if (sent.isEmpty()) {
            return;
        }
        byte[] request = data.consumeBoolean() ? sent.get(sent.size() - 1) : sent.get(data.consumeInt(0, sent.size() - 1));
        StunMessageReader req = new StunMessageReader().read(request, 0, request.length);
        ByteBuffer out = ByteBuffer.allocate(2048);
        boolean success = data.consumeBoolean();
        byte[] message;
        try {
            StunMessageWriter w = new StunMessageWriter().beginResponse(out, req,
                    success ? StunClass.SUCCESS_RESPONSE : StunClass.ERROR_RESPONSE);
            if (!success) {
                int code = data.consumeBoolean() ? CODES[data.consumeInt(0, CODES.length - 1)] : data.consumeInt(300, 699);
                w.putErrorCode(code, data.consumeAsciiString(20));
            }
            int attributes = data.consumeInt(0, 6);
            for (int i = 0; i < attributes; i++) {
                w.put(attribute(data));
            }
            sign(w, req, data);
            w.putFingerprint();
            int n = w.finish();
            message = new byte[n];
            out.get(0, message, 0, n);
        } catch (IllegalArgumentException | BufferOverflowException unwritable) {
            return; // the fuzzed values do not make a message the writer accepts: nothing to deliver
        }
        if (data.consumeBoolean()) {
            message[data.consumeInt(0, message.length - 1)] ^= (byte) (1 << data.consumeInt(0, 7));
        }
        deliver(a, message, data.consumeInt(0, 7), now);
    }

    /** Signs with the key of the request's realm (or a fuzzed one), or leaves the response unsigned. */
    private static void sign(StunMessageWriter w, StunMessageReader req, FuzzedDataProvider data) {
        int realm = req.indexOf(StunAttributeType.REALM);
        int choice = data.consumeInt(0, 3);
        if (choice == 0) {
            return;
        }
        String realmValue = realm >= 0 && choice != 3 ? req.string(realm) : data.consumeAsciiString(12);
        PasswordAlgorithm algorithm = data.consumeBoolean() ? PasswordAlgorithm.MD5 : PasswordAlgorithm.SHA_256;
        IntegrityKey key = IntegrityKey.longTerm("alice", realmValue, "wonderland", algorithm);
        if (data.consumeBoolean()) {
            w.putMessageIntegrity(key);
        } else {
            w.putMessageIntegritySha256(key);
        }
    }

    private static StunAttribute attribute(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 10)) {
            case 0 -> new StunAttribute.XorRelayedAddress(address(data));
            case 1 -> new StunAttribute.XorMappedAddress(address(data));
            case 2 -> new StunAttribute.Lifetime(data.consumeLong(0, 0xFFFF_FFFFL));
            case 3 -> new StunAttribute.Realm(data.consumeAsciiString(40));
            case 4 -> new StunAttribute.Nonce((data.consumeBoolean()
                    ? new NonceCookie(data.consumeInt(0, 3)).prefixTo("") : "") + data.consumeAsciiString(40));
            case 5 -> new StunAttribute.PasswordAlgorithms(algorithms(data));
            case 6 -> new StunAttribute.AlternateServer(address(data));
            case 7 -> new StunAttribute.UnknownAttributes(List.of(data.consumeBoolean()
                    ? StunAttributeType.DONT_FRAGMENT.code() : data.consumeInt(0, 0xFFFF)));
            case 8 -> new StunAttribute.ErrorCode(data.consumeInt(300, 699), data.consumeAsciiString(20));
            case 9 -> new StunAttribute.ChannelNumber(data.consumeInt(0, 0xFFFF));
            default -> new StunAttribute.Unknown(data.consumeInt(0x8000, 0xFFFF), StunBytes.of(data.consumeBytes(12)));
        };
    }

    private static List<StunAttribute.AlgorithmEntry> algorithms(FuzzedDataProvider data) {
        List<StunAttribute.AlgorithmEntry> out = new ArrayList<>();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) {
            PasswordAlgorithm algorithm = switch (data.consumeInt(0, 2)) {
                case 0 -> PasswordAlgorithm.MD5;
                case 1 -> PasswordAlgorithm.SHA_256;
                default -> PasswordAlgorithm.valueOf(data.consumeInt(0, 0xFFFF));
            };
            out.add(new StunAttribute.AlgorithmEntry(algorithm, StunBytes.of(data.consumeBytes(4))));
        }
        return out;
    }

    private static InetSocketAddress address(FuzzedDataProvider data) {
        try {
            byte[] ip = data.consumeBytes(data.consumeBoolean() ? 4 : 16);
            if (ip.length != 4 && ip.length != 16) {
                ip = new byte[] {127, 0, 0, 1};
            }
            return new InetSocketAddress(InetAddress.getByAddress(ip), data.consumeInt(0, 65_535));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetSocketAddress peer(FuzzedDataProvider data) {
        return new InetSocketAddress("127.0.0." + data.consumeInt(1, 4), data.consumeInt(1, 3));
    }

    private static void garbage(TurnAllocation a, FuzzedDataProvider data, long now) {
        deliver(a, data.consumeBytes(data.consumeInt(0, 600)), data.consumeInt(0, 7), now);
    }

    /** The message at {@code offset} of a larger buffer, as the transport hands it over. */
    private static void deliver(TurnAllocation a, byte[] message, int offset, long now) {
        ByteBuffer buffer = ByteBuffer.allocate(offset + message.length + 3);
        buffer.put(offset, message);
        a.handleInput(now, new Datagram(null, a.server(), buffer, offset, message.length));
    }
}
