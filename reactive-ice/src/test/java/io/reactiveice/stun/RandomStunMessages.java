package io.reactiveice.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Random {@link StunMessage}s for the round-trip properties: every record of {@link StunAttribute},
 * drawn from one {@link SplittableRandom} so that a seed reproduces a message exactly.
 *
 * <p>Numbers and sizes come out at an end of their range about one time in eight (for a bounded one
 * its minimum or maximum, for any int or long also zero, one and minus one), so the edges are tried
 * as often as a property needs them without a case for each.
 */
final class RandomStunMessages {
    private static final char[] PASSWORD_CHARS = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            + "!#$%&/()=?+-_.:;,<>@ \u00e9\u00df\u00fc\u03a9\u65e5\u672c\u0436").toCharArray();

    private static final int[] INT_EDGES = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final long[] LONG_EDGES =
            {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE};

    private static final List<Function<RandomStunMessages, StunAttribute>> BODY_ATTRIBUTES = List.of(
            r -> new StunAttribute.MappedAddress(r.address()),
            r -> new StunAttribute.XorMappedAddress(r.address()),
            r -> new StunAttribute.XorPeerAddress(r.address()),
            r -> new StunAttribute.XorRelayedAddress(r.address()),
            r -> new StunAttribute.AlternateServer(r.address()),
            r -> new StunAttribute.Username(r.text()),
            r -> new StunAttribute.Realm(r.text()),
            r -> new StunAttribute.Nonce(r.text()),
            r -> new StunAttribute.Software(r.text()),
            r -> new StunAttribute.AlternateDomain(r.text()),
            r -> new StunAttribute.UserHash(r.bytes(32, 32)),
            r -> new StunAttribute.ErrorCode(r.intBetween(300, 699), r.text()),
            r -> new StunAttribute.AddressErrorCode(r.family(), r.intBetween(300, 699), r.text()),
            r -> new StunAttribute.PasswordAlgorithms(r.list(0, 4, RandomStunMessages::algorithmEntry)),
            r -> new StunAttribute.PasswordAlgorithmChoice(r.algorithmEntry()),
            r -> new StunAttribute.UnknownAttributes(r.list(0, 7, x -> x.intBetween(0, 0xFFFF))),
            r -> new StunAttribute.Priority(r.anyInt()),
            r -> new StunAttribute.UseCandidate(),
            r -> new StunAttribute.IceControlled(r.anyLong()),
            r -> new StunAttribute.IceControlling(r.anyLong()),
            r -> new StunAttribute.Nomination(r.longBetween(0, 0xFFFF_FFFFL)),
            r -> new StunAttribute.ChannelNumber(r.intBetween(0, 0xFFFF)),
            r -> new StunAttribute.Lifetime(r.longBetween(0, 0xFFFF_FFFFL)),
            r -> new StunAttribute.Data(r.bytes(0, 300)),
            r -> new StunAttribute.RequestedAddressFamily(r.family()),
            r -> new StunAttribute.AdditionalAddressFamily(r.family()),
            r -> new StunAttribute.EvenPort(r.coin()),
            r -> new StunAttribute.RequestedTransport(r.intBetween(0, 255)),
            r -> new StunAttribute.DontFragment(),
            r -> new StunAttribute.ReservationToken(r.anyLong()),
            r -> new StunAttribute.Icmp(r.intBetween(0, 127), r.intBetween(0, 511), r.anyInt()),
            r -> new StunAttribute.Unknown(r.unknownCode(), r.bytes(0, 64)));

    private final SplittableRandom random;

    RandomStunMessages(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Any message: random header, body attributes, then MI, MI-SHA256 and FINGERPRINT as received values. */
    StunMessage message() {
        StunMessage body = body();
        List<StunAttribute> attributes = new ArrayList<>(body.attributes());
        attributes.addAll(trailers());
        return new StunMessage(body.messageClass(), body.method(), body.transactionId(), attributes);
    }

    /** A message with no MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 or FINGERPRINT. */
    StunMessage body() {
        StunClass[] classes = StunClass.values();
        StunClass messageClass = classes[random.nextInt(classes.length)];
        StunMethod method = StunMethod.valueOf(intBetween(0, StunMethod.MAX_CODE));
        TransactionId id = new TransactionId(anyLong(), anyInt());
        return new StunMessage(messageClass, method, id, list(0, 12, RandomStunMessages::bodyAttribute));
    }

    /** A password that OpaqueString accepts: letters, digits, punctuation and a few non-ASCII letters. */
    String password() {
        char[] password = new char[intBetween(1, 40)];
        for (int i = 0; i < password.length; i++) {
            password[i] = PASSWORD_CHARS[random.nextInt(PASSWORD_CHARS.length)];
        }
        return new String(password);
    }

    /** A number from min to max inclusive, either end more often than the rest. */
    int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** A number from 0 to bound - 1, all equally likely. */
    int uniform(int bound) {
        return random.nextInt(bound);
    }

    boolean coin() {
        return random.nextBoolean();
    }

    /** Any attribute but the three that close a message, every record equally likely. */
    private StunAttribute bodyAttribute() {
        return BODY_ATTRIBUTES.get(random.nextInt(BODY_ATTRIBUTES.size())).apply(this);
    }

    /** MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT, each present or not, in the only valid order. */
    private List<StunAttribute> trailers() {
        List<StunAttribute> trailers = new ArrayList<>(3);
        if (coin()) {
            trailers.add(new StunAttribute.MessageIntegrity(bytes(20, 20)));
        }
        if (coin()) {
            int length = 16 + 4 * random.nextInt(5);
            trailers.add(new StunAttribute.MessageIntegritySha256(bytes(length, length)));
        }
        if (coin()) {
            trailers.add(new StunAttribute.Fingerprint(anyInt()));
        }
        return trailers;
    }

    /** MD5, SHA-256 or any code (known or not) in the proportions 2:2:3, with up to 13 bytes of parameters. */
    private StunAttribute.AlgorithmEntry algorithmEntry() {
        int pick = random.nextInt(7);
        PasswordAlgorithm algorithm = pick < 2 ? PasswordAlgorithm.MD5
                : pick < 4 ? PasswordAlgorithm.SHA_256 : PasswordAlgorithm.valueOf(intBetween(0, 0xFFFF));
        return new StunAttribute.AlgorithmEntry(algorithm, bytes(0, 13));
    }

    /** A code this library does not know, from the comprehension-required or the optional range. */
    private int unknownCode() {
        int base = coin() ? 0 : 0x8000;
        int code;
        do {
            code = base + intBetween(0, 0x7FFF);
        } while (StunAttributeType.isKnown(code));
        return code;
    }

    /** An IPv4 or IPv6 address (an IPv4-mapped IPv6 one comes back from the JDK as IPv4) with any port. */
    private InetSocketAddress address() {
        byte[] ip = new byte[coin() ? 4 : 16];
        random.nextBytes(ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), intBetween(0, 0xFFFF));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 bytes are always an address", e);
        }
    }

    private int family() {
        return 1 + random.nextInt(2);
    }

    /** UTF-8 text of up to 30 code points: ASCII, controls, two-, three- and four-byte ones, never a lone surrogate. */
    private String text() {
        StringBuilder text = new StringBuilder();
        for (int n = intBetween(0, 30); n > 0; n--) {
            text.appendCodePoint(codePoint());
        }
        return text.toString();
    }

    /** Printable ASCII, controls, two-, three- and four-byte code points in the proportions 8:1:2:2:1. */
    private int codePoint() {
        int pick = random.nextInt(14);
        if (pick < 8) {
            return intBetween(0x20, 0x7E);
        } else if (pick < 9) {
            return intBetween(0x00, 0x1F);
        } else if (pick < 11) {
            return intBetween(0x80, 0x7FF);
        } else if (pick < 13) {
            int cp;
            do {
                cp = intBetween(0x800, 0xFFFF);
            } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
            return cp;
        }
        return intBetween(0x10000, Character.MAX_CODE_POINT);
    }

    private StunBytes bytes(int minLength, int maxLength) {
        byte[] bytes = new byte[intBetween(minLength, maxLength)];
        random.nextBytes(bytes);
        return StunBytes.of(bytes);
    }

    private <T> List<T> list(int minSize, int maxSize, Function<RandomStunMessages, T> element) {
        int size = intBetween(minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(this));
        }
        return list;
    }

    private long longBetween(long min, long max) {
        return switch (random.nextInt(16)) {
            case 0 -> min;
            case 1 -> max;
            default -> random.nextLong(min, max + 1);
        };
    }

    /** Any int, and one time in eight zero, one, minus one, the minimum or the maximum. */
    private int anyInt() {
        return random.nextInt(8) == 0 ? INT_EDGES[random.nextInt(INT_EDGES.length)] : random.nextInt();
    }

    /** Any long, and one time in eight zero, one, minus one or an extreme of int or of long. */
    private long anyLong() {
        return random.nextInt(8) == 0 ? LONG_EDGES[random.nextInt(LONG_EDGES.length)] : random.nextLong();
    }
}
