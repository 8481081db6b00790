package io.reactiveice.stun;

/**
 * What a datagram on a multiplexed socket is, judged by its first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983 section 7</a>, with TURN
 * ChannelData per RFC 8656 section 12).
 */
public enum PacketKind {
    /** 0-3: STUN. */
    STUN,
    /** 16-19: ZRTP. */
    ZRTP,
    /** 20-63: DTLS. */
    DTLS,
    /** 64-79: TURN ChannelData. */
    CHANNEL_DATA,
    /** 128-191: RTP or RTCP. */
    RTP,
    /** Anything else, including an empty datagram. */
    OTHER;

    /**
     * Classifies a datagram by its first byte.
     *
     * @param firstByte the first byte, as a signed or unsigned value
     * @return the kind
     */
    public static PacketKind ofFirstByte(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 16 && b <= 19) {
            return ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 64 && b <= 79) {
            return CHANNEL_DATA;
        }
        if (b >= 128 && b <= 191) {
            return RTP;
        }
        return OTHER;
    }
}
