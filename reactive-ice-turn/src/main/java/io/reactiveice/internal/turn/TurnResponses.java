package io.reactiveice.internal.turn;

import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;

/**
 * What a TURN response says, read from the {@link StunMessageReader} it was read into: its LIFETIME
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7.3">RFC 8656 sections 7.3</a> and 8), its
 * error's reason and UNKNOWN-ATTRIBUTES, and whether an ALTERNATE-SERVER or a relayed address is one
 * to accept. Stateless.
 */
final class TurnResponses {
    private TurnResponses() {
    }

    /** LIFETIME in seconds, or {@code fallback} when the response has none. */
    static long lifetime(StunMessageReader reader, long fallback) {
        int i = reader.indexOf(StunAttributeType.LIFETIME);
        return i < 0 ? fallback : Integer.toUnsignedLong(reader.u32(i));
    }

    /** Whether the error response's UNKNOWN-ATTRIBUTES names this attribute type. */
    static boolean unknown(StunMessageReader reader, int type) {
        int i = reader.indexOf(StunAttributeType.UNKNOWN_ATTRIBUTES);
        return i >= 0 && reader.attribute(i) instanceof StunAttribute.UnknownAttributes u && u.types().contains(type);
    }

    /** The ERROR-CODE's reason phrase, or empty. */
    static String reasonPhrase(StunMessageReader reader) {
        int i = reader.indexOf(StunAttributeType.ERROR_CODE);
        return i >= 0 && reader.attribute(i) instanceof StunAttribute.ErrorCode e ? e.reason() : "";
    }

    /**
     * Whether a relayed address is of the family asked for with REQUESTED-ADDRESS-FAMILY (RFC 8656
     * section 7.1); any is, when none was asked for.
     */
    static boolean familyMatches(InetSocketAddress address, ProtocolFamily asked) {
        if (asked == null) {
            return true;
        }
        return (address.getAddress() instanceof Inet6Address) == (asked == StandardProtocolFamily.INET6);
    }

    /**
     * Why an ALTERNATE-SERVER is not followed, or {@code null}: it must be a unicast address and port
     * (a 300 is not authenticated before the first 401, so anyone on the path could otherwise aim our
     * Allocate at a broadcast or multicast group), of the family of the server it replaces (RFC 8489
     * section 14.15).
     */
    static String refusedAlternate(InetSocketAddress alternate, InetSocketAddress server) {
        UnicastAddress.Refusal refusal = UnicastAddress.refusal(alternate);
        if (refusal != null) {
            return "is not a unicast peer (" + refusal.reason() + ")";
        }
        if ((alternate.getAddress() instanceof Inet6Address) != (server.getAddress() instanceof Inet6Address)) {
            return "is of another address family than the server";
        }
        return null;
    }
}
