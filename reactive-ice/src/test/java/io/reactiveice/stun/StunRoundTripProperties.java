package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Round trips of the whole STUN codec over generated messages: every record of {@link StunAttribute}
 * (checked by a coverage assertion, so a new record fails this class until it is generated here),
 * written by {@link StunMessageWriter} and read back by {@link StunMessageReader}, from heap arrays
 * and from direct buffers at an offset (RFC 8489 sections 5, 14 and 15).
 */
class StunRoundTripProperties {

    @Property(tries = 2000)
    void everyMessageDecodesToItselfAfterEncoding(@ForAll("messages") StunMessage message) {
        byte[] bytes = message.toBytes();

        assertThat(StunMessage.decode(bytes)).isEqualTo(message);

        collectAttributeStatistics(message);
    }

    @Property(tries = 1000)
    void directBufferAtAnOffsetDecodesLikeTheHeapArray(@ForAll("messages") StunMessage message,
            @ForAll @IntRange(max = 300) int offset, @ForAll boolean littleEndianView) {
        byte[] bytes = message.toBytes();
        ByteBuffer direct = garbageFilledDirect(offset + bytes.length + 16);
        direct.put(offset, bytes);
        ByteBuffer view = littleEndianView ? direct.duplicate().order(ByteOrder.LITTLE_ENDIAN) : direct;
        StunMessageReader reader = new StunMessageReader();

        assertThat(reader.tryRead(view, offset, bytes.length)).isTrue();
        assertThat(StunMessage.from(reader)).isEqualTo(message);
        assertThat(view.position()).isZero();
        assertThat(view.limit()).isEqualTo(view.capacity());
    }

    // RFC 8489 sections 14.5 to 14.7: the writer computes the values in place, the reader checks them.
    @Property(tries = 1000)
    void writerIntegrityAndFingerprintVerifyUnderTheirPasswordOnly(@ForAll("bodies") StunMessage body,
            @ForAll("passwords") String password, @ForAll("passwords") String otherPassword,
            @ForAll boolean sha1, @ForAll boolean sha256, @ForAll boolean fingerprint) {
        IntegrityKey key = IntegrityKey.shortTerm(password);
        IntegrityKey other = IntegrityKey.shortTerm(otherPassword);
        Assume.that(!Arrays.equals(key.bytes(), other.bytes()));
        byte[] bytes = signed(body, key, sha1, sha256, fingerprint);
        StunMessageReader reader = new StunMessageReader();

        assertThat(reader.tryRead(bytes, 0, bytes.length)).isTrue();
        assertThat(reader.integrityMatches(key)).isEqualTo(sha1);
        assertThat(reader.integritySha256Matches(key)).isEqualTo(sha256);
        assertThat(reader.fingerprintMatches()).isEqualTo(fingerprint);
        assertThat(reader.integrityMatches(other)).isFalse();
        assertThat(reader.integritySha256Matches(other)).isFalse();
        assertThat(StunMessage.from(reader).attributes().subList(0, body.attributes().size()))
                .isEqualTo(body.attributes());
    }

    @Property(tries = 1000)
    void writingIntoADirectBufferAtAnOffsetGivesTheHeapBytesAndVerifiesThere(@ForAll("bodies") StunMessage body,
            @ForAll("passwords") String password, @ForAll @IntRange(max = 300) int offset) {
        IntegrityKey key = IntegrityKey.shortTerm(password);
        byte[] heap = signed(body, key, true, true, true);
        ByteBuffer direct = garbageFilledDirect(offset + heap.length + 16);
        direct.position(offset);
        int length = sign(body, direct, key, true, true, true);
        byte[] written = new byte[length];
        direct.get(offset, written);
        StunMessageReader reader = new StunMessageReader();

        assertThat(written).isEqualTo(heap);
        assertThat(direct.position()).isEqualTo(offset + length);
        assertThat(reader.tryRead(direct, offset, length)).isTrue();
        assertThat(reader.integrityMatches(key)).isTrue();
        assertThat(reader.integritySha256Matches(key)).isTrue();
        assertThat(reader.fingerprintMatches()).isTrue();
        assertThat(StunMessage.from(reader)).isEqualTo(StunMessage.decode(heap));
    }

    // Every bit of the message is covered by FINGERPRINT (CRC-32 finds every single-bit error) and by
    // MESSAGE-INTEGRITY, or else by the framing checks.
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE) // edge cases would pile up on bit 0
    void anySingleBitFlipIsRejectedOrFailsAVerification(@ForAll("bodies") StunMessage body,
            @ForAll("passwords") String password, @ForAll @IntRange(max = Integer.MAX_VALUE) int bitSeed) {
        IntegrityKey key = IntegrityKey.shortTerm(password);
        byte[] bytes = signed(body, key, true, false, true);
        int bit = bitSeed % (bytes.length * 8);
        bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        StunMessageReader reader = new StunMessageReader();

        boolean accepted = reader.tryRead(bytes, 0, bytes.length);

        if (accepted) {
            assertThat(reader.integrityMatches(key) && reader.fingerprintMatches())
                    .as("bit %d of %d flipped", bit, bytes.length * 8).isFalse();
        }
        Statistics.label("caught by").collect(accepted ? "a verification" : reader.rejection());
    }

    // ---- generators ---------------------------------------------------------------------------

    /** Any message: random header, body attributes, then MI, MI-SHA256 and FINGERPRINT as received values. */
    @Provide
    Arbitrary<StunMessage> messages() {
        return Combinators.combine(headers(), bodyAttributes(), trailers())
                .as((header, body, trailer) -> header.with(concat(body, trailer)));
    }

    /** A message with no MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 or FINGERPRINT. */
    @Provide
    Arbitrary<StunMessage> bodies() {
        return Combinators.combine(headers(), bodyAttributes()).as(Header::with);
    }

    /** Passwords that OpaqueString accepts: letters, digits, punctuation and a few non-ASCII letters. */
    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().alpha().numeric().withChars("!#$%&/()=?+-_.:;,<>@ ")
                .withChars("\u00e9\u00df\u00fc\u03a9\u65e5\u672c\u0436").ofMinLength(1).ofMaxLength(40);
    }

    private record Header(StunClass messageClass, StunMethod method, TransactionId transactionId) {
        StunMessage with(List<StunAttribute> attributes) {
            return new StunMessage(messageClass, method, transactionId, attributes);
        }
    }

    private static Arbitrary<Header> headers() {
        Arbitrary<StunMethod> methods = Arbitraries.integers().between(0, StunMethod.MAX_CODE).map(StunMethod::valueOf);
        Arbitrary<TransactionId> ids = Combinators.combine(Arbitraries.longs(), Arbitraries.integers())
                .as(TransactionId::new);
        return Combinators.combine(Arbitraries.of(StunClass.class), methods, ids).as(Header::new);
    }

    private static Arbitrary<List<StunAttribute>> bodyAttributes() {
        return bodyAttribute().list().ofMaxSize(12);
    }

    /** MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, each present or not, in the only valid order. */
    private static Arbitrary<List<StunAttribute>> trailers() {
        Arbitrary<StunAttribute> mi = bytes(20, 20).map(StunAttribute.MessageIntegrity::new);
        Arbitrary<StunAttribute> sha256 = Arbitraries.of(16, 20, 24, 28, 32)
                .flatMap(n -> bytes(n, n)).map(StunAttribute.MessageIntegritySha256::new);
        Arbitrary<StunAttribute> fingerprint = Arbitraries.integers().map(StunAttribute.Fingerprint::new);
        return Combinators.combine(mi.injectNull(0.5), sha256.injectNull(0.5), fingerprint.injectNull(0.5))
                .as((a, b, c) -> Stream.of(a, b, c).filter(Objects::nonNull).toList());
    }

    private static Arbitrary<StunAttribute> bodyAttribute() {
        Arbitrary<InetSocketAddress> address = addresses();
        Arbitrary<String> text = texts();
        Arbitrary<Integer> errorCodes = Arbitraries.integers().between(300, 699);
        Arbitrary<Integer> families = Arbitraries.of(1, 2);
        List<Arbitrary<? extends StunAttribute>> all = List.of(
                address.map(StunAttribute.MappedAddress::new),
                address.map(StunAttribute.XorMappedAddress::new),
                address.map(StunAttribute.XorPeerAddress::new),
                address.map(StunAttribute.XorRelayedAddress::new),
                address.map(StunAttribute.AlternateServer::new),
                text.map(StunAttribute.Username::new),
                text.map(StunAttribute.Realm::new),
                text.map(StunAttribute.Nonce::new),
                text.map(StunAttribute.Software::new),
                text.map(StunAttribute.AlternateDomain::new),
                bytes(32, 32).map(StunAttribute.UserHash::new),
                Combinators.combine(errorCodes, text).as(StunAttribute.ErrorCode::new),
                Combinators.combine(families, errorCodes, text).as(StunAttribute.AddressErrorCode::new),
                algorithmEntries().list().ofMaxSize(4).map(StunAttribute.PasswordAlgorithms::new),
                algorithmEntries().map(StunAttribute.PasswordAlgorithmChoice::new),
                Arbitraries.integers().between(0, 0xFFFF).list().ofMaxSize(7).map(StunAttribute.UnknownAttributes::new),
                Arbitraries.integers().map(StunAttribute.Priority::new),
                Arbitraries.just(new StunAttribute.UseCandidate()),
                Arbitraries.longs().map(StunAttribute.IceControlled::new),
                Arbitraries.longs().map(StunAttribute.IceControlling::new),
                Arbitraries.integers().between(0, 0xFFFF).map(StunAttribute.ChannelNumber::new),
                Arbitraries.longs().between(0, 0xFFFF_FFFFL).map(StunAttribute.Lifetime::new),
                bytes(0, 300).map(StunAttribute.Data::new),
                families.map(StunAttribute.RequestedAddressFamily::new),
                families.map(StunAttribute.AdditionalAddressFamily::new),
                Arbitraries.of(true, false).map(StunAttribute.EvenPort::new),
                Arbitraries.integers().between(0, 255).map(StunAttribute.RequestedTransport::new),
                Arbitraries.just(new StunAttribute.DontFragment()),
                Arbitraries.longs().map(StunAttribute.ReservationToken::new),
                Combinators.combine(Arbitraries.integers().between(0, 127), Arbitraries.integers().between(0, 511),
                        Arbitraries.integers()).as(StunAttribute.Icmp::new),
                Combinators.combine(unknownCodes(), bytes(0, 64)).as(StunAttribute.Unknown::new));
        return Arbitraries.oneOf(all);
    }

    /** Codes of types this library does not know, from both comprehension ranges. */
    private static Arbitrary<Integer> unknownCodes() {
        return Arbitraries.integers().between(0, 0xFFFF).filter(code -> !StunAttributeType.isKnown(code));
    }

    private static Arbitrary<StunAttribute.AlgorithmEntry> algorithmEntries() {
        Arbitrary<PasswordAlgorithm> algorithms = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(PasswordAlgorithm.MD5)),
                Tuple.of(2, Arbitraries.just(PasswordAlgorithm.SHA_256)),
                Tuple.of(3, Arbitraries.integers().between(0, 0xFFFF).map(PasswordAlgorithm::valueOf)));
        return Combinators.combine(algorithms, bytes(0, 13)).as(StunAttribute.AlgorithmEntry::new);
    }

    /** IPv4 and IPv6 addresses (IPv4-mapped IPv6 ones come back from the JDK as IPv4) with any port. */
    private static Arbitrary<InetSocketAddress> addresses() {
        Arbitrary<byte[]> raw = Arbitraries.oneOf(bytes(4, 4).map(StunBytes::toByteArray),
                bytes(16, 16).map(StunBytes::toByteArray));
        return Combinators.combine(raw, Arbitraries.integers().between(0, 0xFFFF))
                .as((ip, port) -> new InetSocketAddress(inetAddress(ip), port));
    }

    /** UTF-8 text: ASCII, controls, two-, three- and four-byte code points, never a lone surrogate. */
    private static Arbitrary<String> texts() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)),
                Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xFFFF).filter(cp -> cp < 0xD800 || cp > 0xDFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
        return codePoints.list().ofMaxSize(30).map(cps -> {
            StringBuilder text = new StringBuilder();
            cps.forEach(text::appendCodePoint);
            return text.toString();
        });
    }

    private static Arbitrary<StunBytes> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(StunBytes::of);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static byte[] signed(StunMessage body, IntegrityKey key, boolean sha1, boolean sha256, boolean fingerprint) {
        ByteBuffer out = ByteBuffer.allocate(65_556);
        return Arrays.copyOf(out.array(), sign(body, out, key, sha1, sha256, fingerprint));
    }

    private static int sign(StunMessage body, ByteBuffer out, IntegrityKey key, boolean sha1, boolean sha256,
            boolean fingerprint) {
        StunMessageWriter writer = new StunMessageWriter();
        writer.begin(out, body.method(), body.messageClass(), body.transactionId());
        body.attributes().forEach(writer::put);
        if (sha1) {
            writer.putMessageIntegrity(key);
        }
        if (sha256) {
            writer.putMessageIntegritySha256(key);
        }
        if (fingerprint) {
            writer.putFingerprint();
        }
        return writer.finish();
    }

    /** A direct buffer whose bytes are all 0xA5, so that a read outside the message changes the result. */
    private static ByteBuffer garbageFilledDirect(int capacity) {
        ByteBuffer direct = ByteBuffer.allocateDirect(capacity);
        for (int i = 0; i < capacity; i++) {
            direct.put(i, (byte) 0xA5);
        }
        return direct;
    }

    private static List<StunAttribute> concat(List<StunAttribute> a, List<StunAttribute> b) {
        List<StunAttribute> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static InetAddress inetAddress(byte[] ip) {
        try {
            return InetAddress.getByAddress(ip);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 bytes are always an address", e);
        }
    }

    /** Counts every record type and address family, and fails the run if one of them never occurred. */
    private static void collectAttributeStatistics(StunMessage message) {
        for (StunAttribute a : message.attributes()) {
            Statistics.label("attribute").collect(a.getClass().getSimpleName());
            if (a instanceof StunAttribute.AddressAttribute x) {
                Statistics.label("address").collect(a.getClass().getSimpleName(),
                        x.address().getAddress().getAddress().length == 4 ? "IPv4" : "IPv6");
            }
        }
        Statistics.label("attribute").coverage(coverage -> {
            for (Class<?> record : attributeRecords(StunAttribute.class)) {
                coverage.check(record.getSimpleName()).count((Integer n) -> n > 0);
            }
        });
        Statistics.label("address").coverage(coverage -> {
            for (Class<?> record : attributeRecords(StunAttribute.AddressAttribute.class)) {
                coverage.check(record.getSimpleName(), "IPv4").count((Integer n) -> n > 0);
                coverage.check(record.getSimpleName(), "IPv6").count((Integer n) -> n > 0);
            }
        });
    }

    /** The records a sealed interface permits, directly or through sealed sub-interfaces. */
    private static List<Class<?>> attributeRecords(Class<?> sealed) {
        List<Class<?>> records = new ArrayList<>();
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isRecord()) {
                records.add(sub);
            } else {
                records.addAll(attributeRecords(sub));
            }
        }
        return records;
    }
}
