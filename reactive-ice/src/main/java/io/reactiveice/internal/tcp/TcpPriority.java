package io.reactiveice.internal.tcp;

import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.TcpType;

/**
 * The priority of a TCP candidate (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-4.2">RFC
 * 6544 section 4.2</a>): the local preference is {@code 2^13 * direction-pref + other-pref}, where the
 * direction preference favours, for a host candidate (no NAT in the way), active over passive over
 * simultaneous-open (6, 4, 2), and for a candidate behind a NAT (server-reflexive, peer-reflexive,
 * relayed), simultaneous-open over active over passive (6, 4, 2), since only simultaneous open gets
 * through two NATs; {@code other-pref} (0 to 8191) orders the interfaces, as the UDP local preference
 * does.
 *
 * <p>The type preferences are lowered for TCP so that every UDP pair is preferred to every TCP pair of
 * the same candidate types, as browsers do (libwebrtc gives a TCP host candidate 90 where UDP has
 * 126; RFC 6544 section 4.2 leaves the choice to the agent, and UDP is what ICE over TCP exists to fall
 * back from): the UDP type preference less {@value #TCP_PENALTY}, at least 0.
 */
public final class TcpPriority {
    /** What a TCP candidate's type preference is below the UDP one of its type. */
    public static final int TCP_PENALTY = 36;
    /** The largest {@code other-pref}: 13 bits. */
    public static final int MAX_OTHER_PREFERENCE = 8191;

    private TcpPriority() {
    }

    /** The type preference of a TCP candidate of {@code type}. */
    public static int typePreference(CandidateType type) {
        return Math.max(0, type.typePreference() - TCP_PENALTY);
    }

    /**
     * The direction preference of section 4.2 (6, 4 or 2).
     *
     * @param behindNat the candidate's address is not the host's own (server-reflexive,
     *     peer-reflexive, relayed)
     */
    public static int directionPreference(TcpType tcpType, boolean behindNat) {
        return switch (tcpType) {
            case ACTIVE -> behindNat ? 4 : 6;
            case PASSIVE -> behindNat ? 2 : 4;
            case SO -> behindNat ? 6 : 2;
        };
    }

    /**
     * The local preference, {@code 2^13 * direction-pref + other-pref}.
     *
     * @throws IllegalArgumentException if {@code otherPreference} is not 0 to {@value #MAX_OTHER_PREFERENCE}
     */
    public static int localPreference(TcpType tcpType, boolean behindNat, int otherPreference) {
        if (otherPreference < 0 || otherPreference > MAX_OTHER_PREFERENCE) {
            throw new IllegalArgumentException("other-pref must be 0.." + MAX_OTHER_PREFERENCE + " but was " + otherPreference);
        }
        return (directionPreference(tcpType, behindNat) << 13) + otherPreference;
    }

    /** The candidate priority of a TCP candidate (RFC 8445 section 5.1.2.1 with the preferences above). */
    public static long of(CandidateType type, TcpType tcpType, int otherPreference, int componentId) {
        return CandidatePriority.of(typePreference(type), localPreference(tcpType, type != CandidateType.HOST,
                otherPreference), componentId);
    }
}
