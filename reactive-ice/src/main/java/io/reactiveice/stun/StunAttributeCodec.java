package io.reactiveice.stun;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns attribute values into {@link StunAttribute} records and back. This is the allocating,
 * general path; the hot path reads values through {@link StunMessageReader}'s own accessors.
 */
final class StunAttributeCodec {
    private StunAttributeCodec() {
    }

    static StunAttribute decode(StunMessageReader r, int i) {
        StunAttribute a = decodeStun(r, i);
        if (a == null) {
            a = decodeIce(r, i);
        }
        if (a == null) {
            a = decodeTurn(r, i);
        }
        return a != null ? a : new StunAttribute.Unknown(r.attributeType(i), StunBytes.wrap(r.bytes(i)));
    }

    /** The attributes of RFC 8489 section 14, or {@code null} for another. */
    private static StunAttribute decodeStun(StunMessageReader r, int i) {
        int len = r.valueLength(i);
        switch (r.attributeType(i)) {
            case AttributeCodes.MAPPED_ADDRESS: return new StunAttribute.MappedAddress(r.address(i));
            case AttributeCodes.ALTERNATE_SERVER: return new StunAttribute.AlternateServer(r.address(i));
            case AttributeCodes.XOR_MAPPED_ADDRESS: return new StunAttribute.XorMappedAddress(r.xorAddress(i));
            case AttributeCodes.USERNAME: return new StunAttribute.Username(r.string(i));
            case AttributeCodes.REALM: return new StunAttribute.Realm(r.string(i));
            case AttributeCodes.NONCE: return new StunAttribute.Nonce(r.string(i));
            case AttributeCodes.SOFTWARE: return new StunAttribute.Software(r.string(i));
            case AttributeCodes.ALTERNATE_DOMAIN: return new StunAttribute.AlternateDomain(r.string(i));
            case AttributeCodes.USERHASH:
                expect(r, i, len == 32, "32 bytes");
                return new StunAttribute.UserHash(StunBytes.wrap(r.bytes(i)));
            case AttributeCodes.MESSAGE_INTEGRITY: return new StunAttribute.MessageIntegrity(StunBytes.wrap(r.bytes(i)));
            case AttributeCodes.MESSAGE_INTEGRITY_SHA256:
                return new StunAttribute.MessageIntegritySha256(StunBytes.wrap(r.bytes(i)));
            case AttributeCodes.FINGERPRINT: return new StunAttribute.Fingerprint(r.u32(i));
            case AttributeCodes.ERROR_CODE:
                return new StunAttribute.ErrorCode(errorNumber(r, i), utf8(r.buffer(), r.valueOffset(i) + 4, len - 4));
            case AttributeCodes.PASSWORD_ALGORITHMS: return new StunAttribute.PasswordAlgorithms(algorithms(r, i));
            case AttributeCodes.PASSWORD_ALGORITHM: {
                List<StunAttribute.AlgorithmEntry> one = algorithms(r, i);
                expect(r, i, one.size() == 1, "exactly one algorithm");
                return new StunAttribute.PasswordAlgorithmChoice(one.get(0));
            }
            case AttributeCodes.UNKNOWN_ATTRIBUTES: return unknownAttributes(r, i);
            default: return null;
        }
    }

    private static StunAttribute unknownAttributes(StunMessageReader r, int i) {
        int len = r.valueLength(i);
        int at = r.valueOffset(i);
        expect(r, i, (len & 1) == 0, "an even length");
        List<Integer> types = new ArrayList<>(len / 2);
        for (int k = 0; k < len; k += 2) {
            types.add(r.buffer().getShort(at + k) & 0xFFFF);
        }
        return new StunAttribute.UnknownAttributes(types);
    }

    /** The attributes of RFC 8445 section 16.1 and NOMINATION, or {@code null} for another. */
    private static StunAttribute decodeIce(StunMessageReader r, int i) {
        switch (r.attributeType(i)) {
            case AttributeCodes.PRIORITY: return new StunAttribute.Priority(r.u32(i));
            case AttributeCodes.USE_CANDIDATE:
                expect(r, i, r.valueLength(i) == 0, "empty");
                return new StunAttribute.UseCandidate();
            case AttributeCodes.ICE_CONTROLLED: return new StunAttribute.IceControlled(r.u64(i));
            case AttributeCodes.ICE_CONTROLLING: return new StunAttribute.IceControlling(r.u64(i));
            case AttributeCodes.NOMINATION: return new StunAttribute.Nomination(r.u32(i) & 0xFFFF_FFFFL);
            default: return null;
        }
    }

    /** The attributes of RFC 8656 section 18, or {@code null} for another. */
    private static StunAttribute decodeTurn(StunMessageReader r, int i) {
        int len = r.valueLength(i);
        ByteBuffer b = r.buffer();
        int at = r.valueOffset(i);
        switch (r.attributeType(i)) {
            case AttributeCodes.XOR_PEER_ADDRESS: return new StunAttribute.XorPeerAddress(r.xorAddress(i));
            case AttributeCodes.XOR_RELAYED_ADDRESS: return new StunAttribute.XorRelayedAddress(r.xorAddress(i));
            case AttributeCodes.ADDRESS_ERROR_CODE: {
                int code = errorNumber(r, i);
                int family = b.get(at) & 0xFF;
                expect(r, i, family == 1 || family == 2, "family 1 or 2");
                return new StunAttribute.AddressErrorCode(family, code, utf8(b, at + 4, len - 4));
            }
            case AttributeCodes.CHANNEL_NUMBER: return new StunAttribute.ChannelNumber(r.u32(i) >>> 16);
            case AttributeCodes.LIFETIME: return new StunAttribute.Lifetime(r.u32(i) & 0xFFFF_FFFFL);
            case AttributeCodes.DATA: return new StunAttribute.Data(StunBytes.wrap(r.bytes(i)));
            case AttributeCodes.REQUESTED_ADDRESS_FAMILY: return new StunAttribute.RequestedAddressFamily(family(r, i));
            case AttributeCodes.ADDITIONAL_ADDRESS_FAMILY: return new StunAttribute.AdditionalAddressFamily(family(r, i));
            case AttributeCodes.EVEN_PORT:
                expect(r, i, len == 1 || len == 4, "1 byte");
                return new StunAttribute.EvenPort((b.get(at) & 0x80) != 0);
            case AttributeCodes.REQUESTED_TRANSPORT: return new StunAttribute.RequestedTransport(r.u32(i) >>> 24);
            case AttributeCodes.DONT_FRAGMENT:
                expect(r, i, len == 0, "empty");
                return new StunAttribute.DontFragment();
            case AttributeCodes.RESERVATION_TOKEN: return new StunAttribute.ReservationToken(r.u64(i));
            case AttributeCodes.ICMP: {
                expect(r, i, len == 8, "8 bytes");
                int word = b.getInt(at);
                return new StunAttribute.Icmp((word >>> 9) & 0x7F, word & 0x1FF, b.getInt(at + 4));
            }
            default: return null;
        }
    }

    private static int errorNumber(StunMessageReader r, int i) {
        expect(r, i, r.valueLength(i) >= 4, "at least 4 bytes");
        int word = r.buffer().getInt(r.valueOffset(i));
        int cls = (word >>> 8) & 0x7;
        int number = word & 0xFF;
        if (cls < 3 || cls > 6 || number > 99) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_VALUE, String.format(
                    "%s class %d number %d is not an error code 300..699", name(r, i), cls, number));
        }
        return cls * 100 + number;
    }

    private static int family(StunMessageReader r, int i) {
        int family = r.u32(i) >>> 24;
        if (family != 1 && family != 2) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_VALUE, name(r, i) + " family " + family);
        }
        return family;
    }

    private static List<StunAttribute.AlgorithmEntry> algorithms(StunMessageReader r, int i) {
        ByteBuffer b = r.buffer();
        int at = r.valueOffset(i);
        int end = at + r.valueLength(i);
        List<StunAttribute.AlgorithmEntry> out = new ArrayList<>();
        while (at < end) {
            if (end - at < 4) {
                throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_LENGTH, name(r, i) + " entry truncated");
            }
            int algorithm = b.getShort(at) & 0xFFFF;
            int paramLength = b.getShort(at + 2) & 0xFFFF;
            int padded = (paramLength + 3) & ~3;
            if (padded > end - at - 4) {
                throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_LENGTH, name(r, i) + " parameters overrun");
            }
            byte[] params = new byte[paramLength];
            b.get(at + 4, params, 0, paramLength);
            out.add(new StunAttribute.AlgorithmEntry(PasswordAlgorithm.valueOf(algorithm), StunBytes.wrap(params)));
            at += 4 + padded;
        }
        return out;
    }

    private static void expect(StunMessageReader r, int i, boolean ok, String what) {
        if (!ok) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_LENGTH,
                    name(r, i) + " must be " + what + " but has length " + r.valueLength(i));
        }
    }

    private static String name(StunMessageReader r, int i) {
        return StunAttributeType.valueOf(r.attributeType(i)).name();
    }

    private static String utf8(ByteBuffer b, int at, int len) {
        byte[] bytes = new byte[len];
        b.get(at, bytes, 0, len);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void encode(StunMessageWriter w, StunAttribute a) {
        int t = a.type().code();
        if (!encodeValue(w, a, t) && !encodeNumber(w, a, t) && !encodeStructured(w, a, t)) {
            throw new IllegalArgumentException("no encoding for " + a);
        }
    }

    /** Addresses, text and opaque bytes (RFC 8489 sections 14.1-14.4, 14.6-14.9, 14.16; RFC 8656 18.3-18.5). */
    private static boolean encodeValue(StunMessageWriter w, StunAttribute a, int t) {
        if (a instanceof StunAttribute.AddressAttribute x) {
            boolean xor = !(a instanceof StunAttribute.MappedAddress || a instanceof StunAttribute.AlternateServer);
            w.putAddress(t, x.address().getAddress(), x.address().getPort(), xor);
        } else if (a instanceof StunAttribute.TextAttribute x) {
            w.putString(t, x.value());
        } else if (a instanceof StunAttribute.UserHash x) {
            bytes(w, t, x.hash());
        } else if (a instanceof StunAttribute.MessageIntegrity x) {
            bytes(w, t, x.mac());
        } else if (a instanceof StunAttribute.MessageIntegritySha256 x) {
            bytes(w, t, x.mac());
        } else if (a instanceof StunAttribute.Data x) {
            bytes(w, t, x.value());
        } else if (a instanceof StunAttribute.Unknown x) {
            bytes(w, t, x.value());
        } else {
            return false;
        }
        return true;
    }

    /** Fixed-size numbers and flags (FINGERPRINT, PRIORITY, LIFETIME, the tie-breakers, CHANNEL-NUMBER ...). */
    private static boolean encodeNumber(StunMessageWriter w, StunAttribute a, int t) {
        if (a instanceof StunAttribute.Fingerprint x) {
            w.putU32(t, x.value());
        } else if (a instanceof StunAttribute.Priority x) {
            w.putU32(t, x.value());
        } else if (a instanceof StunAttribute.Lifetime x) {
            w.putU32(t, (int) x.seconds());
        } else if (a instanceof StunAttribute.Nomination x) {
            w.putU32(t, (int) x.value());
        } else if (a instanceof StunAttribute.IceControlled x) {
            w.putU64(t, x.tieBreaker());
        } else if (a instanceof StunAttribute.IceControlling x) {
            w.putU64(t, x.tieBreaker());
        } else if (a instanceof StunAttribute.ReservationToken x) {
            w.putU64(t, x.token());
        } else if (a instanceof StunAttribute.UseCandidate || a instanceof StunAttribute.DontFragment) {
            w.putFlag(t);
        } else if (a instanceof StunAttribute.ChannelNumber x) {
            w.putU16(t, x.number());
        } else if (a instanceof StunAttribute.RequestedTransport x) {
            w.putU8(t, x.protocol());
        } else if (a instanceof StunAttribute.RequestedAddressFamily x) {
            w.putU8(t, x.family());
        } else if (a instanceof StunAttribute.AdditionalAddressFamily x) {
            w.putU8(t, x.family());
        } else if (a instanceof StunAttribute.EvenPort x) {
            w.putByte(t, x.reserveNext() ? 0x80 : 0);
        } else {
            return false;
        }
        return true;
    }

    /** Attributes with an inner layout: error codes, UNKNOWN-ATTRIBUTES, ICMP, password algorithms. */
    private static boolean encodeStructured(StunMessageWriter w, StunAttribute a, int t) {
        if (a instanceof StunAttribute.ErrorCode x) {
            w.putErrorCode(x.code(), x.reason());
        } else if (a instanceof StunAttribute.AddressErrorCode x) {
            w.putAddressErrorCode(x.family(), x.code(), x.reason());
        } else if (a instanceof StunAttribute.UnknownAttributes x) {
            w.putUnknownAttributes(x.types().stream().mapToInt(Integer::intValue).toArray());
        } else if (a instanceof StunAttribute.Icmp x) {
            w.putIcmp(x.icmpType(), x.icmpCode(), x.errorData());
        } else if (a instanceof StunAttribute.PasswordAlgorithms x) {
            algorithms(w, t, x.algorithms());
        } else if (a instanceof StunAttribute.PasswordAlgorithmChoice x) {
            algorithms(w, t, List.of(x.algorithm()));
        } else {
            return false;
        }
        return true;
    }

    private static void bytes(StunMessageWriter w, int type, StunBytes value) {
        w.putBytes(type, value.array(), 0, value.length());
    }

    private static void algorithms(StunMessageWriter w, int type, List<StunAttribute.AlgorithmEntry> entries) {
        int length = 0;
        for (StunAttribute.AlgorithmEntry e : entries) {
            length += 4 + ((e.parameters().length() + 3) & ~3);
        }
        int at = w.header(type, length);
        ByteBuffer b = w.buffer();
        for (StunAttribute.AlgorithmEntry e : entries) {
            int n = e.parameters().length();
            b.putShort(at, (short) e.algorithm().code());
            b.putShort(at + 2, (short) n);
            b.put(at + 4, e.parameters().array(), 0, n);
            for (int k = n; k < ((n + 3) & ~3); k++) {
                b.put(at + 4 + k, (byte) 0);
            }
            at += 4 + ((n + 3) & ~3);
        }
    }
}
