package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Round trips of the whole STUN codec over random messages: every record of {@link StunAttribute}
 * (checked by a coverage assertion, so a new record fails this class until {@link RandomStunMessages}
 * generates it), written by {@link StunMessageWriter} and read back by {@link StunMessageReader}, from
 * heap arrays and from direct buffers at an offset (RFC 8489 sections 5, 14 and 15).
 *
 * <p>Each property runs a fixed number of tries from a fixed base seed, and each try draws from its
 * own seed, which a failure names; {@code -Dstun.seed=0x...} runs that one try alone in every property.
 */
class StunRoundTripTest {
    private static final String SEED_PROPERTY = "stun.seed";

    @Test
    void everyMessageDecodesToItselfAfterEncoding() {
        TreeMap<String, Integer> seen = new TreeMap<>();

        forEachTry(0x5EED_0001L, 2000, random -> {
            StunMessage message = random.message();
            byte[] bytes = message.toBytes();

            assertThat(StunMessage.decode(bytes)).isEqualTo(message);

            count(message, seen);
        });

        if (System.getProperty(SEED_PROPERTY) == null) {
            TreeSet<String> missing = expectedCases();
            missing.removeAll(seen.keySet());
            assertThat(missing).as("cases never generated (seen: %s)", seen).isEmpty();
        }
    }

    @Test
    void directBufferAtAnOffsetDecodesLikeTheHeapArray() {
        forEachTry(0x5EED_0002L, 1000, random -> {
            StunMessage message = random.message();
            int offset = random.intBetween(0, 300);
            boolean littleEndianView = random.coin();
            byte[] bytes = message.toBytes();
            ByteBuffer direct = garbageFilledDirect(offset + bytes.length + 16);
            direct.put(offset, bytes);
            ByteBuffer view = littleEndianView ? direct.duplicate().order(ByteOrder.LITTLE_ENDIAN) : direct;
            StunMessageReader reader = new StunMessageReader();

            assertThat(reader.tryRead(view, offset, bytes.length)).isTrue();
            assertThat(StunMessage.from(reader)).isEqualTo(message);
            assertThat(view.position()).isZero();
            assertThat(view.limit()).isEqualTo(view.capacity());
        });
    }

    // RFC 8489 sections 14.5 to 14.7: the writer computes the values in place, the reader checks them.
    @Test
    void writerIntegrityAndFingerprintVerifyUnderTheirPasswordOnly() {
        forEachTry(0x5EED_0003L, 1000, random -> {
            StunMessage body = random.body();
            IntegrityKey key = IntegrityKey.shortTerm(random.password());
            IntegrityKey other = IntegrityKey.shortTerm(random.password());
            assumeFalse(Arrays.equals(key.bytes(), other.bytes()), "the two passwords derive the same key");
            boolean sha1 = random.coin();
            boolean sha256 = random.coin();
            boolean fingerprint = random.coin();
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
        });
    }

    @Test
    void writingIntoADirectBufferAtAnOffsetGivesTheHeapBytesAndVerifiesThere() {
        forEachTry(0x5EED_0004L, 1000, random -> {
            StunMessage body = random.body();
            IntegrityKey key = IntegrityKey.shortTerm(random.password());
            int offset = random.intBetween(0, 300);
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
        });
    }

    // Every bit of the message is covered by FINGERPRINT (CRC-32 finds every single-bit error) and by
    // MESSAGE-INTEGRITY, or else by the framing checks.
    @Test
    void anySingleBitFlipIsRejectedOrFailsAVerification() {
        forEachTry(0x5EED_0005L, 1000, random -> {
            StunMessage body = random.body();
            IntegrityKey key = IntegrityKey.shortTerm(random.password());
            byte[] bytes = signed(body, key, true, false, true);
            int bit = random.uniform(bytes.length * 8);
            bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            StunMessageReader reader = new StunMessageReader();

            if (reader.tryRead(bytes, 0, bytes.length)) {
                assertThat(reader.integrityMatches(key) && reader.fingerprintMatches())
                        .as("bit %d of %d flipped", bit, bytes.length * 8).isFalse();
            }
        });
    }

    // ---- tries --------------------------------------------------------------------------------

    /**
     * Runs a property once per try, each from its own seed drawn from the base seed, or only for the
     * seed in {@value #SEED_PROPERTY} when that is set. A try that an assumption aborts is skipped;
     * at most a tenth of them may be.
     */
    private static void forEachTry(long baseSeed, int tries, Consumer<RandomStunMessages> property) {
        long[] seeds = seeds(baseSeed, tries);
        int skipped = 0;
        for (int i = 0; i < seeds.length; i++) {
            try {
                property.accept(new RandomStunMessages(seeds[i]));
            } catch (TestAbortedException e) {
                skipped++;
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(String.format("try %d of %d failed with seed 0x%016x; run it alone with"
                        + " -D%s=0x%016x", i + 1, seeds.length, seeds[i], SEED_PROPERTY, seeds[i]), e);
            }
        }
        assertThat(skipped).as("tries skipped by an assumption, of %d", seeds.length)
                .isLessThanOrEqualTo(tries / 10);
    }

    private static long[] seeds(long baseSeed, int tries) {
        String only = System.getProperty(SEED_PROPERTY);
        if (only != null) {
            return new long[] {Long.parseUnsignedLong(only.replaceFirst("^0[xX]", ""), 16)};
        }
        SplittableRandom seeds = new SplittableRandom(baseSeed);
        long[] all = new long[tries];
        for (int i = 0; i < tries; i++) {
            all[i] = seeds.nextLong();
        }
        return all;
    }

    // ---- coverage -----------------------------------------------------------------------------

    /** Counts every attribute record, every address record by family and every unknown code by range. */
    private static void count(StunMessage message, TreeMap<String, Integer> seen) {
        for (StunAttribute a : message.attributes()) {
            String name = a.getClass().getSimpleName();
            seen.merge(name, 1, Integer::sum);
            if (a instanceof StunAttribute.AddressAttribute x) {
                seen.merge(name + " " + (x.address().getAddress().getAddress().length == 4 ? "IPv4" : "IPv6"), 1,
                        Integer::sum);
            } else if (a instanceof StunAttribute.Unknown u) {
                seen.merge(name + " " + (StunAttributeType.isComprehensionRequired(u.code()) ? "required" : "optional"),
                        1, Integer::sum);
            }
        }
    }

    /** Every case that must occur: each record, each address record by family, unknown codes in both ranges. */
    private static TreeSet<String> expectedCases() {
        TreeSet<String> cases = new TreeSet<>();
        attributeRecords(StunAttribute.class).forEach(record -> cases.add(record.getSimpleName()));
        for (Class<?> record : attributeRecords(StunAttribute.AddressAttribute.class)) {
            cases.add(record.getSimpleName() + " IPv4");
            cases.add(record.getSimpleName() + " IPv6");
        }
        cases.add("Unknown required");
        cases.add("Unknown optional");
        return cases;
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
}
