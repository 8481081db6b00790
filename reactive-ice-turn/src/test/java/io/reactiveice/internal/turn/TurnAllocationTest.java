package io.reactiveice.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.candidate.IpLiteral;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.NonceCookie;
import io.reactiveice.stun.PasswordAlgorithm;
import io.reactiveice.stun.PasswordPreparation;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunBytes;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.turn.TurnAuthenticationException;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnException;
import io.reactiveice.turn.TurnProtocolException;
import io.reactiveice.turn.TurnRefusedException;
import io.reactiveice.turn.TurnTimeoutException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allocation state machine stepped by hand: bytes in, bytes and events out, time as a number.
 * No sockets, no threads, no sleeps.
 */
class TurnAllocationTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    private static final InetSocketAddress ALTERNATE = new InetSocketAddress("127.0.0.2", 3479);
    private static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.1", 50_000);
    private static final InetSocketAddress MAPPED = new InetSocketAddress("127.0.0.1", 40_000);
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 45_000);
    private static final String REALM = "example.org";
    private static final String NONCE = "nonce-1";
    private static final IntegrityKey MD5_KEY = IntegrityKey.longTerm("alice", REALM, "wonderland", PasswordAlgorithm.MD5);

    private final TurnAllocation allocation = new TurnAllocation(
            TurnAllocationConfig.of(SERVER, "alice", "wonderland"), new SplittableRandom(7));

    private byte[] transmitted() {
        Transmit t = allocation.pollTransmit();
        assertThat(t).as("a transmit").isNotNull();
        return t.data();
    }

    private Transmit transmit() {
        return allocation.pollTransmit();
    }

    private void receive(byte[] message, long now) {
        allocation.handleInput(now, new Datagram(null, allocation.server(), ByteBuffer.wrap(message), 0, message.length));
    }

    private List<TurnEvent> events() {
        List<TurnEvent> out = new ArrayList<>();
        for (TurnEvent e = allocation.pollEvent(); e != null; e = allocation.pollEvent()) {
            out.add(e);
        }
        return out;
    }

    /** Runs the exchange up to a 600 s allocation made at {@code at}. */
    private void allocate(long at) {
        allocation.start(at);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), at);
        receive(FakeTurnServer.success(transmitted(), MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED),
                new StunAttribute.XorMappedAddress(MAPPED), new StunAttribute.Lifetime(600)), at);
        assertThat(events()).containsExactly(new TurnEvent.Allocated(RELAYED, MAPPED, Duration.ofSeconds(600)));
    }

    // RFC 8656 section 7.1 and RFC 8489 section 9.2.3
    @Test
    void allocateAnswersTheChallengeWithTheMd5LongTermCredential() {
        allocation.start(0);
        byte[] first = transmitted();
        StunMessage m = StunMessage.decode(first);
        assertThat(m.method()).isEqualTo(StunMethod.ALLOCATE);
        assertThat(m.attribute(StunAttribute.RequestedTransport.class)).contains(new StunAttribute.RequestedTransport(17));
        assertThat(m.attribute(StunAttribute.MessageIntegrity.class)).isEmpty();

        receive(FakeTurnServer.error(first, null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 10 * MS);
        byte[] second = transmitted();
        StunMessage signed = StunMessage.decode(second);
        assertThat(signed.transactionId()).isNotEqualTo(m.transactionId());
        assertThat(signed.attribute(StunAttribute.Username.class)).contains(new StunAttribute.Username("alice"));
        assertThat(signed.attribute(StunAttribute.Realm.class)).contains(new StunAttribute.Realm(REALM));
        assertThat(signed.attribute(StunAttribute.Nonce.class)).contains(new StunAttribute.Nonce(NONCE));
        assertThat(signed.attribute(StunAttribute.PasswordAlgorithmChoice.class)).isEmpty();
        assertThat(FakeTurnServer.read(second).integrityMatches(MD5_KEY)).isTrue();
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.ALLOCATING);

        receive(FakeTurnServer.success(second, MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED),
                new StunAttribute.XorMappedAddress(MAPPED), new StunAttribute.Lifetime(600)), 20 * MS);
        assertThat(events()).containsExactly(new TurnEvent.Allocated(RELAYED, MAPPED, Duration.ofSeconds(600)));
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.ALLOCATED);
        assertThat(allocation.relayedAddress()).isEqualTo(RELAYED);
        assertThat(allocation.mappedAddress()).isEqualTo(MAPPED);
        assertThat(transmit()).isNull();
    }

    // RFC 8489 section 9.2.4: SHA-256 when offered, with PASSWORD-ALGORITHMS echoed and PASSWORD-ALGORITHM
    @Test
    void sha256IsUsedWhenPasswordAlgorithmsOffersIt() {
        allocation.start(0);
        String nonce = new NonceCookie(NonceCookie.PASSWORD_ALGORITHMS).prefixTo("abcdef");
        StunAttribute.PasswordAlgorithms offered = new StunAttribute.PasswordAlgorithms(List.of(
                new StunAttribute.AlgorithmEntry(PasswordAlgorithm.MD5, StunBytes.empty()),
                new StunAttribute.AlgorithmEntry(PasswordAlgorithm.SHA_256, StunBytes.empty())));
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(nonce), offered), 0);
        byte[] signed = transmitted();
        StunMessage m = StunMessage.decode(signed);
        assertThat(m.attribute(StunAttribute.PasswordAlgorithms.class)).contains(offered);
        assertThat(m.attribute(StunAttribute.PasswordAlgorithmChoice.class)).contains(new StunAttribute.PasswordAlgorithmChoice(
                new StunAttribute.AlgorithmEntry(PasswordAlgorithm.SHA_256, StunBytes.empty())));
        IntegrityKey sha = IntegrityKey.longTerm("alice", REALM, "wonderland", PasswordAlgorithm.SHA_256);
        assertThat(FakeTurnServer.read(signed).integritySha256Matches(sha)).isTrue();

        receive(FakeTurnServer.respond(signed, StunClass.SUCCESS_RESPONSE, sha, true,
                new StunAttribute.XorRelayedAddress(RELAYED), new StunAttribute.XorMappedAddress(MAPPED),
                new StunAttribute.Lifetime(600)), 0);
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.ALLOCATED);
    }

    // RFC 8489 section 9.2.5: a nonce cookie announcing algorithms without the attribute is a downgrade
    @Test
    void aNonceCookieWithoutPasswordAlgorithmsIsRefusedAsADowngrade() {
        allocation.start(0);
        String nonce = new NonceCookie(NonceCookie.PASSWORD_ALGORITHMS).prefixTo("abcdef");
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(nonce)), 0);
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationFailed.class,
                f -> assertThat(f.cause()).isInstanceOf(TurnAuthenticationException.class));
    }

    // RFC 8489 section 9.2.5: 438 Stale Nonce is retried with the new nonce
    @Test
    void staleNonceIsRetriedWithTheNewNonce() {
        allocation.start(0);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 0);
        byte[] signed = transmitted();
        receive(FakeTurnServer.error(signed, null, 438, "Stale Nonce", new StunAttribute.Realm(REALM),
                new StunAttribute.Nonce("nonce-2")), 5 * MS);
        byte[] retried = transmitted();
        assertThat(StunMessage.decode(retried).attribute(StunAttribute.Nonce.class))
                .contains(new StunAttribute.Nonce("nonce-2"));
        assertThat(FakeTurnServer.read(retried).integrityMatches(MD5_KEY)).isTrue();
        assertThat(events()).isEmpty();
        receive(FakeTurnServer.success(retried, MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED),
                new StunAttribute.XorMappedAddress(MAPPED), new StunAttribute.Lifetime(600)), 10 * MS);
        assertThat(events()).singleElement().isInstanceOf(TurnEvent.Allocated.class);
    }

    @Test
    void staleNonceForeverEndsInATypedErrorInsteadOfALoop() {
        allocation.start(0);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 0);
        for (int i = 0; i < 4; i++) {
            receive(FakeTurnServer.error(transmitted(), null, 438, "Stale Nonce",
                    new StunAttribute.Nonce("n" + i)), 0);
        }
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationFailed.class,
                f -> assertThat(f.cause()).isInstanceOfSatisfying(TurnRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(438)));
    }

    // RFC 8489 section 9.2.5: a 401 to a request with credentials means they are wrong
    @Test
    void wrongPasswordGivesATypedAuthenticationErrorNamingTheServerAndNotThePassword() {
        allocation.start(0);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 0);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 0);
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationFailed.class, f -> {
            assertThat(f.cause()).isInstanceOf(TurnAuthenticationException.class)
                    .hasMessageContaining("127.0.0.1:3478").hasMessageContaining("alice")
                    .hasMessageNotContaining("wonderland");
            assertThat(f.cause().server()).isEqualTo(SERVER);
        });
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.FAILED);
        assertThat(transmit()).isNull();
        assertThat(allocation.nextTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    // RFC 8489 sections 9.2.4 and 14.4: a nonce cookie with the username-anonymity bit asks for USERHASH
    @Test
    void userHashReplacesUsernameWhenTheNonceCookieAsksForAnonymity() {
        allocation.start(0);
        String nonce = new NonceCookie(NonceCookie.PASSWORD_ALGORITHMS | NonceCookie.USERNAME_ANONYMITY)
                .prefixTo("abcdef");
        StunAttribute.PasswordAlgorithms offered = new StunAttribute.PasswordAlgorithms(List.of(
                new StunAttribute.AlgorithmEntry(PasswordAlgorithm.SHA_256, StunBytes.empty())));
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(nonce), offered), 0);
        byte[] signed = transmitted();
        StunMessage m = StunMessage.decode(signed);
        assertThat(m.attribute(StunAttribute.Username.class)).isEmpty();
        assertThat(m.attribute(StunAttribute.UserHash.class)).contains(new StunAttribute.UserHash(StunBytes.of(
                IntegrityKey.userHash("alice", REALM, PasswordPreparation.OPAQUE_STRING))));
        IntegrityKey sha = IntegrityKey.longTerm("alice", REALM, "wonderland", PasswordAlgorithm.SHA_256);
        assertThat(FakeTurnServer.read(signed).integritySha256Matches(sha)).isTrue();
        receive(FakeTurnServer.respond(signed, StunClass.SUCCESS_RESPONSE, sha, true,
                new StunAttribute.XorRelayedAddress(RELAYED), new StunAttribute.Lifetime(600)), 0);
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.ALLOCATED);

        allocation.permit(0, PEER); // later requests keep the anonymity
        assertThat(StunMessage.decode(transmitted()).attribute(StunAttribute.UserHash.class)).isPresent();
    }

    // RFC 8489 section 9.2.4: without the bit, USERNAME as before
    @Test
    void usernameIsSentWhenTheCookieDoesNotAskForAnonymity() {
        allocation.start(0);
        String nonce = new NonceCookie(NonceCookie.PASSWORD_ALGORITHMS).prefixTo("abcdef");
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(nonce),
                new StunAttribute.PasswordAlgorithms(List.of(
                        new StunAttribute.AlgorithmEntry(PasswordAlgorithm.MD5, StunBytes.empty())))), 0);
        StunMessage m = StunMessage.decode(transmitted());
        assertThat(m.attribute(StunAttribute.UserHash.class)).isEmpty();
        assertThat(m.attribute(StunAttribute.Username.class)).contains(new StunAttribute.Username("alice"));
    }

    // RFC 8656 section 7.1: REQUESTED-ADDRESS-FAMILY 0x02 asks for an IPv6 relay
    @Test
    void anIpv6RelayIsAskedForWithRequestedAddressFamily() {
        InetSocketAddress relayedV6 = new InetSocketAddress(IpLiteral.parse("::1"), 50_000);
        TurnAllocation v6 = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland")
                .withAddressFamily(StandardProtocolFamily.INET6), new SplittableRandom(3));
        v6.start(0);
        byte[] first = v6.pollTransmit().data();
        assertThat(StunMessage.decode(first).attribute(StunAttribute.RequestedAddressFamily.class))
                .contains(new StunAttribute.RequestedAddressFamily(0x02));
        byte[] challenge = FakeTurnServer.error(first, null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
        v6.handleInput(0, new Datagram(null, v6.server(), ByteBuffer.wrap(challenge), 0, challenge.length));
        byte[] signed = v6.pollTransmit().data();
        assertThat(StunMessage.decode(signed).attribute(StunAttribute.RequestedAddressFamily.class))
                .contains(new StunAttribute.RequestedAddressFamily(0x02));
        byte[] success = FakeTurnServer.success(signed, MD5_KEY, new StunAttribute.XorRelayedAddress(relayedV6),
                new StunAttribute.XorMappedAddress(MAPPED), new StunAttribute.Lifetime(600));
        v6.handleInput(0, new Datagram(null, v6.server(), ByteBuffer.wrap(success), 0, success.length));
        assertThat(v6.pollEvent()).isEqualTo(new TurnEvent.Allocated(relayedV6, MAPPED, Duration.ofSeconds(600)));
    }

    // RFC 8656 section 7.2: the server gives the family asked for, or 440; anything else is its error
    @Test
    void anIpv6RequestAnsweredWith440OrWithAnIpv4RelayFails() {
        for (boolean refuse : new boolean[] {true, false}) {
            TurnAllocation v6 = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland")
                    .withAddressFamily(StandardProtocolFamily.INET6), new SplittableRandom(4));
            v6.start(0);
            byte[] challenge = FakeTurnServer.error(v6.pollTransmit().data(), null, 401, "Unauthorized",
                    new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
            v6.handleInput(0, new Datagram(null, v6.server(), ByteBuffer.wrap(challenge), 0, challenge.length));
            byte[] signed = v6.pollTransmit().data();
            byte[] answer = refuse
                    ? FakeTurnServer.error(signed, MD5_KEY, 440, "Address Family not Supported")
                    : FakeTurnServer.success(signed, MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED));
            v6.handleInput(0, new Datagram(null, v6.server(), ByteBuffer.wrap(answer), 0, answer.length));
            TurnException cause = ((TurnEvent.AllocationFailed) v6.pollEvent()).cause();
            if (refuse) {
                assertThat(cause).isInstanceOfSatisfying(TurnRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(440));
            } else {
                assertThat(cause).isInstanceOf(TurnProtocolException.class).hasMessageContaining(RELAYED.toString());
            }
            assertThat(v6.state()).isEqualTo(TurnAllocation.State.FAILED);
        }
    }

    // RFC 8656 section 7.1: DONT-FRAGMENT in the Allocate; accepted, the allocation says so
    @Test
    void dontFragmentIsAskedForAndReportedWhenAccepted() {
        TurnAllocation df = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland")
                .withDontFragment(true), new SplittableRandom(5));
        df.start(0);
        byte[] first = df.pollTransmit().data();
        assertThat(StunMessage.decode(first).attribute(StunAttribute.DontFragment.class)).isPresent();
        byte[] challenge = FakeTurnServer.error(first, null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
        df.handleInput(0, new Datagram(null, df.server(), ByteBuffer.wrap(challenge), 0, challenge.length));
        byte[] signed = df.pollTransmit().data();
        assertThat(StunMessage.decode(signed).attribute(StunAttribute.DontFragment.class)).isPresent();
        assertThat(df.dontFragment()).isFalse(); // not before the allocation exists
        byte[] success = FakeTurnServer.success(signed, MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED));
        df.handleInput(0, new Datagram(null, df.server(), ByteBuffer.wrap(success), 0, success.length));
        assertThat(df.state()).isEqualTo(TurnAllocation.State.ALLOCATED);
        assertThat(df.dontFragment()).isTrue();
    }

    // RFC 8656 section 7.3: 420 naming DONT-FRAGMENT; retried without it, and the allocation says so
    @Test
    void aServerThatDoesNotKnowDontFragmentGetsTheAllocateAgainWithoutIt() {
        TurnAllocation df = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland")
                .withDontFragment(true), new SplittableRandom(6));
        df.start(0);
        byte[] challenge = FakeTurnServer.error(df.pollTransmit().data(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
        df.handleInput(0, new Datagram(null, df.server(), ByteBuffer.wrap(challenge), 0, challenge.length));
        byte[] unknown = FakeTurnServer.error(df.pollTransmit().data(), MD5_KEY, 420, "Unknown Attribute",
                new StunAttribute.UnknownAttributes(List.of(0x001A)));
        df.handleInput(0, new Datagram(null, df.server(), ByteBuffer.wrap(unknown), 0, unknown.length));
        assertThat(df.pollEvent()).isNull();
        byte[] retry = df.pollTransmit().data();
        StunMessage m = StunMessage.decode(retry);
        assertThat(m.attribute(StunAttribute.DontFragment.class)).isEmpty();
        assertThat(m.attribute(StunAttribute.MessageIntegrity.class)).isPresent();
        byte[] success = FakeTurnServer.success(retry, MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED));
        df.handleInput(0, new Datagram(null, df.server(), ByteBuffer.wrap(success), 0, success.length));
        assertThat(df.state()).isEqualTo(TurnAllocation.State.ALLOCATED);
        assertThat(df.dontFragment()).isFalse();

        TurnAllocation other = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland"),
                new SplittableRandom(6)); // 420 for anything else is a refusal
        other.start(0);
        byte[] c2 = FakeTurnServer.error(other.pollTransmit().data(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
        other.handleInput(0, new Datagram(null, other.server(), ByteBuffer.wrap(c2), 0, c2.length));
        byte[] u2 = FakeTurnServer.error(other.pollTransmit().data(), MD5_KEY, 420, "Unknown Attribute",
                new StunAttribute.UnknownAttributes(List.of(0x001A)));
        other.handleInput(0, new Datagram(null, other.server(), ByteBuffer.wrap(u2), 0, u2.length));
        assertThat(((TurnEvent.AllocationFailed) other.pollEvent()).cause())
                .isInstanceOfSatisfying(TurnRefusedException.class, e -> assertThat(e.code()).isEqualTo(420));
    }

    // RFC 8656 section 7.3: 437, 441, 486, 508 as typed errors
    @Test
    void refusalsAreTypedErrors() {
        for (int code : new int[] {437, 441, 486, 508}) {
            TurnAllocation a = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland"),
                    new SplittableRandom(code));
            a.start(0);
            byte[] first = a.pollTransmit().data();
            byte[] challenge = FakeTurnServer.error(first, null, 401, "Unauthorized",
                    new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
            a.handleInput(0, new Datagram(null, a.server(), ByteBuffer.wrap(challenge), 0, challenge.length));
            byte[] refusal = FakeTurnServer.error(a.pollTransmit().data(), MD5_KEY, code, "no");
            a.handleInput(0, new Datagram(null, a.server(), ByteBuffer.wrap(refusal), 0, refusal.length));
            TurnException cause = ((TurnEvent.AllocationFailed) a.pollEvent()).cause();
            if (code == 441) {
                assertThat(cause).isInstanceOfSatisfying(TurnAuthenticationException.class,
                        e -> assertThat(e.code()).isEqualTo(441));
            } else {
                assertThat(cause).isInstanceOfSatisfying(TurnRefusedException.class,
                        e -> assertThat(e.code()).isEqualTo(code));
            }
        }
    }

    // RFC 8656 section 7.3 / RFC 8489 section 10: ALTERNATE-SERVER is followed once
    @Test
    void alternateServerIsFollowedOnceAndASecondRedirectFails() {
        allocation.start(0);
        receive(FakeTurnServer.error(transmitted(), null, 300, "Try Alternate",
                new StunAttribute.AlternateServer(ALTERNATE)), 0);
        Transmit redirected = transmit();
        assertThat(redirected.to()).isEqualTo(ALTERNATE);
        assertThat(StunMessage.decode(redirected.data()).attribute(StunAttribute.MessageIntegrity.class)).isEmpty();
        assertThat(allocation.server()).isEqualTo(ALTERNATE);
        receive(FakeTurnServer.error(redirected.data(), null, 300, "Try Alternate",
                new StunAttribute.AlternateServer(SERVER)), 0);
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationFailed.class,
                f -> assertThat(f.cause()).isInstanceOf(TurnProtocolException.class)
                        .hasMessageContaining("second time"));
    }

    // RFC 8489 section 14.15 and issue 10 item 3: an unauthenticated 300 never aims the Allocate at a group
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:3478", "255.255.255.255:3478", "224.0.0.251:3478", "127.0.0.2:0", "[::1]:3478"})
    void anAlternateServerThatIsNotAUnicastPeerOfTheSameFamilyIsNotFollowed(String alternate) {
        allocation.start(0);
        int colon = alternate.lastIndexOf(':');
        InetSocketAddress to = new InetSocketAddress(alternate.substring(0, colon).replace("[", "").replace("]", ""),
                Integer.parseInt(alternate.substring(colon + 1)));
        receive(FakeTurnServer.error(transmitted(), null, 300, "Try Alternate", new StunAttribute.AlternateServer(to)), 0);
        assertThat(allocation.pollTransmit()).as("nothing sent to %s", to).isNull();
        assertThat(allocation.server()).isEqualTo(SERVER);
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationFailed.class,
                f -> assertThat(f.cause()).isInstanceOf(TurnProtocolException.class)
                        .hasMessageContaining("ALTERNATE-SERVER"));
    }

    // RFC 8489 section 9.2.5: responses that fail MESSAGE-INTEGRITY, or carry none, are dropped
    @Test
    void unauthenticatedAndMalformedResponsesAreDroppedAndCounted() {
        allocation.start(0);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 0);
        byte[] signed = transmitted();
        receive(FakeTurnServer.success(signed, null, new StunAttribute.XorRelayedAddress(RELAYED)), 0);
        IntegrityKey wrong = IntegrityKey.longTerm("alice", REALM, "guess", PasswordAlgorithm.MD5);
        receive(FakeTurnServer.success(signed, wrong, new StunAttribute.XorRelayedAddress(RELAYED)), 0);
        receive(FakeTurnServer.error(signed, null, 486, "Quota"), 0);
        receive(new byte[] {0x01, 0x01, 0, 0}, 0);
        byte[] truncated = FakeTurnServer.success(signed, MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED));
        receive(Arrays.copyOf(truncated, truncated.length - 4), 0);
        assertThat(allocation.dropped()).isEqualTo(5);
        assertThat(events()).isEmpty();
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.ALLOCATING);
    }

    // RFC 8489 section 6.2.1: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; fails at 39.5 s
    @Test
    void anUnansweredAllocateIsRetransmittedOnTheRfcScheduleThenTimesOut() {
        allocation.start(0);
        byte[] first = transmitted();
        List<Long> sends = new ArrayList<>();
        sends.add(0L);
        long now = 0;
        while (allocation.state() == TurnAllocation.State.ALLOCATING) {
            now = allocation.nextTimeout();
            allocation.handleTimeout(now);
            Transmit t = transmit();
            if (t != null) {
                assertThat(t.data()).isEqualTo(first);
                sends.add(now / MS);
            }
        }
        assertThat(sends).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 15_500L, 31_500L);
        assertThat(now).isEqualTo(39_500 * MS);
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationFailed.class,
                f -> assertThat(f.cause()).isInstanceOf(TurnTimeoutException.class).hasMessageContaining("Allocate"));
    }

    // RFC 8656 section 8: refresh before the lifetime ends, here 60 s before 600 s
    @Test
    void theAllocationIsRefreshedExactlySixtySecondsBeforeItsLifetimeEnds() {
        long t0 = 5 * S;
        allocate(t0);
        assertThat(allocation.nextTimeout()).isEqualTo(t0 + 540 * S);
        allocation.handleTimeout(t0 + 540 * S - 1);
        assertThat(transmit()).isNull();
        allocation.handleTimeout(t0 + 540 * S);
        byte[] refresh = transmitted();
        StunMessageReader r = FakeTurnServer.read(refresh);
        assertThat(r.method()).isEqualTo(StunMethod.REFRESH);
        assertThat(r.integrityMatches(MD5_KEY)).isTrue();
        long answered = t0 + 540 * S + 30 * MS;
        receive(FakeTurnServer.success(refresh, MD5_KEY, new StunAttribute.Lifetime(600)), answered);
        assertThat(events()).containsExactly(new TurnEvent.Refreshed(Duration.ofSeconds(600)));
        assertThat(allocation.nextTimeout()).isEqualTo(answered + 540 * S);
    }

    @Test
    void aShortLifetimeIsRefreshedAtEightyPercent() {
        allocation.start(0);
        receive(FakeTurnServer.error(transmitted(), null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE)), 0);
        receive(FakeTurnServer.success(transmitted(), MD5_KEY, new StunAttribute.XorRelayedAddress(RELAYED),
                new StunAttribute.XorMappedAddress(MAPPED), new StunAttribute.Lifetime(100)), 0);
        assertThat(allocation.nextTimeout()).isEqualTo(80 * S);
    }

    // RFC 8656 sections 9 and 12: permission refreshed before 300 s, channel before 600 s
    @Test
    void permissionsAreRefreshedAt240SecondsAndChannelsAt540Seconds() {
        allocate(0);
        long t1 = 10 * S;
        allocation.peerActive(t1, PEER);
        byte[] permission = transmitted();
        byte[] bind = transmitted();
        assertThat(FakeTurnServer.read(permission).method()).isEqualTo(StunMethod.CREATE_PERMISSION);
        StunMessage bindMessage = StunMessage.decode(bind);
        assertThat(bindMessage.method()).isEqualTo(StunMethod.CHANNEL_BIND);
        assertThat(bindMessage.attribute(StunAttribute.ChannelNumber.class)).contains(new StunAttribute.ChannelNumber(0x4000));
        assertThat(bindMessage.attribute(StunAttribute.XorPeerAddress.class)).contains(new StunAttribute.XorPeerAddress(PEER));
        assertThat(allocation.channels().requested()).containsExactly(PEER);
        assertThat(allocation.channels().channel(PEER)).isEqualTo(-1); // Send indications until bound

        receive(FakeTurnServer.success(permission, MD5_KEY), t1);
        receive(FakeTurnServer.success(bind, MD5_KEY), t1);
        assertThat(events()).containsExactly(new TurnEvent.PermissionCreated(PEER.getAddress()),
                new TurnEvent.ChannelBound(PEER, 0x4000));
        assertThat(allocation.channels().channel(PEER)).isEqualTo(0x4000);
        assertThat(allocation.channels().peer(0x4000)).isEqualTo(PEER);

        assertThat(allocation.nextTimeout()).isEqualTo(t1 + 240 * S);
        allocation.handleTimeout(t1 + 240 * S - 1);
        assertThat(transmit()).isNull();
        allocation.handleTimeout(t1 + 240 * S);
        byte[] refreshPermission = transmitted();
        assertThat(FakeTurnServer.read(refreshPermission).method()).isEqualTo(StunMethod.CREATE_PERMISSION);
        assertThat(transmit()).isNull();
        receive(FakeTurnServer.success(refreshPermission, MD5_KEY), t1 + 240 * S);

        assertThat(allocation.nextTimeout()).isEqualTo(t1 + 480 * S); // the permission again
        allocation.handleTimeout(t1 + 480 * S);
        receive(FakeTurnServer.success(transmitted(), MD5_KEY), t1 + 480 * S);
        assertThat(allocation.nextTimeout()).isEqualTo(540 * S); // the allocation's own refresh
        allocation.handleTimeout(540 * S);
        byte[] refresh = transmitted();
        assertThat(FakeTurnServer.read(refresh).method()).isEqualTo(StunMethod.REFRESH);
        receive(FakeTurnServer.success(refresh, MD5_KEY, new StunAttribute.Lifetime(600)), 540 * S);
        assertThat(allocation.nextTimeout()).isEqualTo(t1 + 540 * S); // the channel, 60 s before 600 s
        allocation.handleTimeout(t1 + 540 * S);
        StunMessage rebind = StunMessage.decode(transmitted());
        assertThat(rebind.method()).isEqualTo(StunMethod.CHANNEL_BIND);
        assertThat(rebind.attribute(StunAttribute.ChannelNumber.class)).contains(new StunAttribute.ChannelNumber(0x4000));
    }

    @Test
    void peersAskedForBeforeTheAllocationExistsAreBoundOnceItDoes() {
        allocation.start(0);
        allocation.peerActive(0, PEER);
        allocation.permit(0, new InetSocketAddress("127.0.0.3", 1));
        assertThat(transmitted()).isNotNull(); // only the Allocate so far
        assertThat(transmit()).isNull();
        allocation.handleInput(0, new Datagram(null, allocation.server(), ByteBuffer.allocate(0), 0, 0));
        assertThat(allocation.dropped()).isEqualTo(1);
        allocation.deallocate(0);
        assertThat(events()).containsExactly(new TurnEvent.Deallocated());

        TurnAllocation second = new TurnAllocation(TurnAllocationConfig.of(SERVER, "alice", "wonderland"),
                new SplittableRandom(9));
        second.start(0);
        second.peerActive(0, PEER);
        byte[] first = second.pollTransmit().data();
        byte[] challenge = FakeTurnServer.error(first, null, 401, "Unauthorized",
                new StunAttribute.Realm(REALM), new StunAttribute.Nonce(NONCE));
        second.handleInput(0, new Datagram(null, second.server(), ByteBuffer.wrap(challenge), 0, challenge.length));
        byte[] success = FakeTurnServer.success(second.pollTransmit().data(), MD5_KEY,
                new StunAttribute.XorRelayedAddress(RELAYED), new StunAttribute.Lifetime(600));
        second.handleInput(0, new Datagram(null, second.server(), ByteBuffer.wrap(success), 0, success.length));
        assertThat(FakeTurnServer.read(second.pollTransmit().data()).method()).isEqualTo(StunMethod.CREATE_PERMISSION);
        assertThat(FakeTurnServer.read(second.pollTransmit().data()).method()).isEqualTo(StunMethod.CHANNEL_BIND);
        assertThat(second.mappedAddress()).isEqualTo(RELAYED); // no XOR-MAPPED-ADDRESS: the relayed one stands in
    }

    // RFC 8656 section 8: deleting is a Refresh with LIFETIME 0
    @Test
    void deallocateSendsRefreshWithLifetimeZeroAndEndsOnItsSuccess() {
        allocate(0);
        allocation.deallocate(S);
        byte[] delete = transmitted();
        StunMessage m = StunMessage.decode(delete);
        assertThat(m.method()).isEqualTo(StunMethod.REFRESH);
        assertThat(m.attribute(StunAttribute.Lifetime.class)).contains(new StunAttribute.Lifetime(0));
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.DEALLOCATING);
        receive(FakeTurnServer.success(delete, MD5_KEY, new StunAttribute.Lifetime(0)), S);
        assertThat(events()).containsExactly(new TurnEvent.Deallocated());
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.CLOSED);
        assertThat(allocation.nextTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRefreshTheServerNoLongerAnswersLosesTheAllocation() {
        allocate(0);
        allocation.handleTimeout(540 * S);
        transmitted();
        long now = 540 * S;
        while (allocation.state() == TurnAllocation.State.ALLOCATED) {
            now = allocation.nextTimeout();
            allocation.handleTimeout(now);
        }
        assertThat(now).isEqualTo(540 * S + 39_500 * MS);
        assertThat(events()).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationLost.class,
                l -> assertThat(l.cause()).isInstanceOf(TurnTimeoutException.class));
    }

    // RFC 8656 section 3.1: over TCP and TLS the allocation ends with its connection
    @Test
    void aClosedConnectionLosesTheAllocationAndStopsItsTimers() {
        allocate(0);
        allocation.transportClosed(5 * S);
        List<TurnEvent> events = events();
        assertThat(events).singleElement().isInstanceOfSatisfying(TurnEvent.AllocationLost.class,
                l -> assertThat(l.cause()).isInstanceOf(TurnProtocolException.class).hasMessageContaining("closed"));
        assertThat(allocation.state()).isEqualTo(TurnAllocation.State.FAILED);
        assertThat(allocation.nextTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aConnectionClosedBeforeTheAllocationExistsFailsIt() {
        allocation.start(0);
        transmitted();
        allocation.transportClosed(MS);
        assertThat(events()).singleElement().isInstanceOf(TurnEvent.AllocationFailed.class);
    }

    @Test
    void aConnectionClosedWhileDeallocatingCompletesTheDeletion() {
        allocate(0);
        allocation.deallocate(S);
        transmitted();
        allocation.transportClosed(2 * S);
        assertThat(events()).containsExactly(new TurnEvent.Deallocated());
    }

    @Test
    void theConfigurationNeverShowsThePassword() {
        TurnAllocationConfig config = TurnAllocationConfig.of(SERVER, "alice", "wonderland")
                .withSchedule(RetransmissionSchedule.UDP_DEFAULT);
        assertThat(config.toString()).contains("alice").doesNotContain("wonderland");
        assertThat(allocation.toString()).doesNotContain("wonderland");
    }
}
