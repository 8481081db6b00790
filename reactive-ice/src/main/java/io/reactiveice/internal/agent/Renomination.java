package io.reactiveice.internal.agent;

import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;

/**
 * ICE renomination (<a href="https://datatracker.ietf.org/doc/draft-thatcher-ice-renomination/">draft-thatcher-ice-renomination</a>)
 * as libwebrtc and pion/ice implement it: the controlling agent may move the selected pair at any time
 * by nominating another valid pair with a higher nomination counter in the NOMINATION attribute
 * (0xC001), and the controlled agent follows the highest counter it has seen, whatever the pairs'
 * priorities. Each side says it supports it with the {@code ice-options} token {@code renomination}.
 *
 * <p>On the wire, as the two implementations agree: NOMINATION is a 32-bit unsigned number (libwebrtc);
 * pion/ice reads only its low 24 bits, so our counter counts from 1 and stops at {@link #MAX_VALUE}. A
 * nominating check of ours carries NOMINATION and USE-CANDIDATE both, which each implementation's
 * controlled side accepts (libwebrtc reads NOMINATION first; pion/ice takes either); only the checks
 * that nominate carry it, never a consent check. Without the peer's support nothing changes on the wire.
 *
 * <p>As the controlled agent, with renomination on: a NOMINATION above every one seen before nominates
 * its pair and supersedes the nominations that were waiting for their pair's check to succeed; one
 * that is not higher nominates nothing; a plain USE-CANDIDATE nominates as RFC 8445 says until the peer
 * sent a NOMINATION, and nothing after (libwebrtc counts it as nomination 1). With renomination off the
 * attribute is ignored. The controlling side's choice of pair is {@link Nomination}'s.
 */
final class Renomination {
    /** The highest counter we send: pion/ice reads the low 24 bits of the attribute only. */
    static final long MAX_VALUE = 0xFF_FFFF;

    /** What a check's nomination attributes mean to the controlled agent. */
    enum Nominates {
        /** No nomination, or one the agent does not follow (stale, or malformed). */
        NO,
        /** USE-CANDIDATE without NOMINATION (RFC 8445 section 7.3.1.5). */
        REGULAR,
        /** A NOMINATION above every one seen: the pair is nominated, the earlier nominations are superseded. */
        RENOMINATED
    }

    private final boolean offered;
    private boolean peerSupports;
    private long sent;
    private long highestSeen;

    Renomination(CoreConfig config) {
        this.offered = config.renomination();
    }

    /** The peer's description says whether it supports renomination ({@code ice-options}). */
    void peerSupports(boolean supports) {
        peerSupports = supports;
    }

    /** Both sides support it: the controlling agent's nominations carry NOMINATION and may move a selected pair. */
    boolean active() {
        return offered && peerSupports;
    }

    /** The counter for a new nomination: one more than the last, up to {@link #MAX_VALUE}; 0 (none) if not active. */
    long nextValue() {
        if (!active()) {
            return 0;
        }
        sent = Math.min(sent + 1, MAX_VALUE);
        return sent;
    }

    /** What the peer's check in {@code r} nominates, as the controlled agent; records a higher counter. */
    Nominates nominates(StunMessageReader r) {
        int i = offered ? r.indexOf(StunAttributeType.NOMINATION) : -1;
        if (i >= 0) {
            long value = r.valueLength(i) == 4 ? r.u32(i) & 0xFFFF_FFFFL : 0; // 0 is no nomination (libwebrtc)
            if (value > highestSeen) {
                highestSeen = value;
                return Nominates.RENOMINATED;
            }
            return Nominates.NO;
        }
        return r.indexOf(StunAttributeType.USE_CANDIDATE) >= 0 && highestSeen == 0 ? Nominates.REGULAR : Nominates.NO;
    }

    /**
     * ICE restarts (RFC 8445 section 9): the peer's counter may start over with its new session, so the
     * highest seen is forgotten; ours keeps counting, which a peer that does not start over follows too.
     */
    void restarted() {
        highestSeen = 0;
    }
}
