package io.reactiveice.internal.agent;

import io.reactiveice.candidate.CandidateType;
import java.net.InetSocketAddress;

/**
 * Following a NAT rebinding of the peer (issue 13): the peer's NAT gives the peer's socket a new
 * mapping, so the peer's checks and data for the selected pair start arriving from a new source
 * address while the old one goes silent. The peer sees nothing wrong (its pair, from its socket to
 * our address, still works, and our answers go back to the new source), so only we can notice, and
 * without this the session runs into consent loss: our consent checks and data go to the old mapping,
 * which the NAT no longer forwards.
 *
 * <p>The signs, both on the base of the selected pair, both from the IP address of its remote with a
 * new port (a NAT keeps the external address it gives a host, "paired" pooling, RFC 4787 REQ-2; the
 * port is what a rebinding changes), both while a pair is selected and no restart is under way:
 * <ul>
 *   <li>an authenticated check from a source no candidate was known for (a peer-reflexive candidate
 *       learned from it, RFC 8445 section 7.3.1.3) with the same PRIORITY as the peer's checks on the
 *       selected pair, so sent from a socket of the peer with the same preferences; or</li>
 *   <li>application data from a source that is not the peer of any pair ({@link #dataFrom}): after a
 *       rebinding the peer's data usually arrives long before its next consent check (4 to 6 s).</li>
 * </ul>
 * Either makes the source a suspect: a pair to it is formed (for data, with the remote priority of
 * the selected pair's peer checks, as if the same socket had sent a check), and a triggered check goes
 * out on it in the next Ta slot. Nothing is trusted before that check succeeds: neither the check,
 * which an observer can replay from an address of its own, nor the data, which proves nothing. When
 * the check succeeds and the selected pair has not proven consent since the suspect first appeared,
 * the suspect is selected, and the controlling agent nominates it ({@link Nomination#unnominated});
 * the controlled agent moves its data path and keeps following the peer's nominations. No ICE restart.
 *
 * <p>Bounds: one suspect at a time, a new one only once the last one's check ended or
 * {@link #SUSPECT_NANOS} passed, so a flood of data from spoofed sources makes at most one check per
 * {@value #SUSPECT_MILLIS} ms leave, one request per datagram at most, never more bytes than came in
 * (no amplification). A suspect that is an existing pair is never one: pairs the checklist already
 * holds are checked on their own schedule, and the old selected pair, when its path comes back, does
 * not pull the selection back (no flapping). An ICE-lite agent follows none of this: it sends no
 * checks, so it cannot validate a new source, and selecting on an unvalidated check would let a
 * replayed check take the data path.
 */
final class Rebinding {
    static final long SUSPECT_MILLIS = 500;
    static final long SUSPECT_NANOS = SUSPECT_MILLIS * 1_000_000L;

    private PairEntry suspect;
    private long since;

    /**
     * The peer's check arrived on {@code pair} and was answered. Records its PRIORITY on the pair, and says whether {@code pair}, first heard just now, is a rebinding
     * suspect whose triggered check the caller must queue.
     *
     * @param firstHeard no check of the peer arrived on {@code pair} before
     * @param priority the check's PRIORITY, or {@code -1}
     */
    boolean checkArrived(long now, PairEntry pair, boolean firstHeard, long priority, PairEntry selected,
            boolean settled) {
        pair.peerPriority = priority;
        if (pair == selected || !firstHeard || pair.valid || pair.remote.type() != CandidateType.PEER_REFLEXIVE
                || !settled || !sameHost(pair.local.base(), pair.remoteAddress, selected)
                || priority < 0 || priority != selected.peerPriority) {
            return false;
        }
        return suspect(now, pair);
    }

    /**
     * Whether application data from {@code source}, the peer of no pair, arriving on {@code base}, may
     * make a suspect now: a pair is selected on that base with a remote of the source's IP address, no
     * restart is under way, the selected pair's peer priority is known, and no other suspect is pending. The caller then forms the pair
     * ({@link Pairing#pairOfProbe}) and passes it to {@link #probing}.
     */
    boolean dataFrom(long now, InetSocketAddress base, InetSocketAddress source, PairEntry selected,
            boolean settled) {
        return settled && sameHost(base, source, selected) && selected.peerPriority >= 0 && !pending(now);
    }

    /** {@code pair} was formed for data from a new source ({@link #dataFrom}): it is the suspect. */
    void probing(long now, PairEntry pair) {
        suspect(now, pair);
    }

    private boolean suspect(long now, PairEntry pair) {
        if (pending(now)) {
            return false;
        }
        suspect = pair;
        since = now;
        return true;
    }

    private boolean pending(long now) {
        return suspect != null && suspect.held && suspect.state != PairState.FAILED && now - since < SUSPECT_NANOS;
    }

    /**
     * After a check succeeded: the suspect to select now, or {@code null}. It must be valid and still
     * in the checklist, and the {@code selected} pair must not have proven consent since the suspect
     * appeared (then the old path works, and nothing moves).
     */
    PairEntry due(PairEntry selected, boolean settled) {
        PairEntry s = suspect;
        if (s == null || !s.valid) {
            return null;
        }
        suspect = null;
        boolean oldSilent = selected != null && selected.lastConsentAt < since;
        return settled && s.held && !s.retired && oldSilent && selected != s ? s : null;
    }

    /** ICE restarted, or the agent closed: no suspect survives. */
    void reset() {
        suspect = null;
    }

    /** On the selected pair's base, from the IP address of its remote (a NAT keeps its address for a host, RFC 4787 REQ-2). */
    private static boolean sameHost(InetSocketAddress base, InetSocketAddress source, PairEntry selected) {
        return selected != null && selected.local.base().equals(base)
                && selected.remoteAddress.getAddress().equals(source.getAddress());
    }
}
