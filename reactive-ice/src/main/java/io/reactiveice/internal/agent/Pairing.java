package io.reactiveice.internal.agent;

import io.reactiveice.agent.PairFailure;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.tcp.TcpPairing;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.util.Queue;

/**
 * Forming candidate pairs (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.2">RFC 8445
 * section 6.1.2.2</a>) as candidates trickle in on either side (RFC 8838), pruned (section 6.1.2.4) and
 * limited (section 6.1.2.5) by the {@link Checklist}; the pair a received check arrived on, with the
 * peer-reflexive remote candidate it teaches (section 7.3.1.3); and pairs leaving: nothing of a pair
 * that left, or whose local candidate was lost, is awaited any more.
 */
final class Pairing {
    private final Candidates candidates;
    private final Checklist checklist;
    private final OutgoingChecks checks;
    private final Nomination nomination;
    private final Queue<IceEvent> events;

    Pairing(Candidates candidates, Checklist checklist, OutgoingChecks checks, Nomination nomination,
            Queue<IceEvent> events) {
        this.candidates = candidates;
        this.checklist = checklist;
        this.checks = checks;
        this.nomination = nomination;
        this.events = events;
    }

    /** Adds a local candidate and pairs it with every remote one; {@code false} if it was known. */
    boolean addLocal(LocalCandidate local, IceRole role, SessionCredentials session) {
        if (!candidates.addLocal(local)) {
            return false;
        }
        for (int i = 0; i < candidates.remoteCount(); i++) {
            pair(local, candidates.remote(i), candidates.remoteAddress(i), role, session);
        }
        return true;
    }

    /**
     * Adds a signalled remote candidate and pairs it with every local one; {@code false} if it is known,
     * over the limit, or not one the agent uses ({@link Candidates#addSignalledRemote}). If a check
     * taught it to us first, the pairs of the peer-reflexive candidate take it ({@link
     * Checklist#remoteSignalled}).
     */
    boolean addRemote(IceCandidate remote, IceRole role, SessionCredentials session) {
        InetSocketAddress address = candidates.addSignalledRemote(remote);
        if (address == null) {
            return false;
        }
        checklist.remoteSignalled(remote, address, role);
        for (LocalCandidate local : candidates.locals()) {
            pair(local, remote, address, role, session);
        }
        return true;
    }

    private void pair(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress, IceRole role,
            SessionCredentials session) {
        IceCandidate lc = local.candidate();
        if (lc.type() == CandidateType.SERVER_REFLEXIVE) {
            return; // section 6.1.2.4: a server-reflexive candidate is replaced by its base, already paired
        }
        if (lc.transport() != remote.transport() || lc.transport() == TransportProtocol.TCP && !tcpPairs(lc, remote)) {
            return;
        }
        if ((remoteAddress.getAddress().getAddress().length) != (local.base().getAddress().getAddress().length)) {
            return; // different address families never pair
        }
        add(local, remote, remoteAddress, role, session);
    }

    /**
     * Whether two TCP candidates form a pair we can check (RFC 6544 section 6.2, {@link TcpPairing}): our
     * active one with a passive one, never our passive one, which opens nothing: the peer's active side
     * connects to it, and that connection's checks come from a port of the operating system's choice,
     * which they teach as a peer-reflexive candidate ({@link #pairOfCheck}).
     */
    private static boolean tcpPairs(IceCandidate local, IceCandidate remote) {
        return local.tcpType() != null && remote.tcpType() != null && TcpPairing.opens(local.tcpType())
                && TcpPairing.pairs(local.tcpType(), remote.tcpType());
    }

    /** Adds a pair (or {@code null} if redundant or it did not fit); a pair pushed out by the limit leaves. */
    private PairEntry add(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress, IceRole role,
            SessionCredentials session) {
        PairEntry p = checklist.add(local, remote, remoteAddress, role, session);
        if (p == null) {
            return null;
        }
        PairEntry evicted = checklist.evictOverLimit();
        if (evicted != null) {
            left(evicted);
        }
        return evicted == p ? null : p;
    }

    /**
     * The pair a check in {@code reader} arrived on, from {@code source} to our {@code base}: found, or
     * formed, a peer-reflexive remote candidate learned if need be (section 7.3.1.3); {@code null} if
     * the check has no usable PRIORITY for one, or a limit is reached.
     */
    PairEntry pairOfCheck(StunMessageReader reader, InetSocketAddress base, InetSocketAddress source, IceRole role,
            SessionCredentials session) {
        LocalCandidate local = candidates.localByBase(base);
        if (local == null) {
            return null;
        }
        IceCandidate remote = candidates.knownRemote(source, local.candidate().transport());
        if (remote == null) {
            remote = learn(source, RequestHandling.priority(reader), local.candidate().transport());
            if (remote == null) {
                return null;
            }
        }
        PairEntry existing = checklist.find(local.base(), source);
        return existing != null ? existing : add(local, remote, source, role, session);
    }

    /**
     * The pair to probe {@code source}, from which data arrived on {@code base} though it is the peer
     * of no pair ({@link Rebinding}): formed with a peer-reflexive remote candidate of {@code priority};
     * {@code null} if the source is a known remote candidate, there is no candidate on the base, or a
     * limit is reached.
     */
    PairEntry pairOfProbe(InetSocketAddress base, InetSocketAddress source, long priority, IceRole role,
            SessionCredentials session) {
        LocalCandidate local = candidates.localByBase(base);
        if (local == null || candidates.knownRemote(source, local.candidate().transport()) != null) {
            return null;
        }
        IceCandidate remote = learn(source, priority, local.candidate().transport());
        return remote == null ? null : add(local, remote, source, role, session);
    }

    private IceCandidate learn(InetSocketAddress source, long priority, TransportProtocol transport) {
        IceCandidate remote = priority < 0 ? null : candidates.addPeerReflexiveRemote(source, priority, transport);
        if (remote != null) {
            events.add(new IceEvent.RemoteCandidateDiscovered(remote));
        }
        return remote;
    }

    /** {@code pair} left the checklist: nothing of its check is awaited any more. */
    void left(PairEntry pair) {
        checks.forget(pair);
        checklist.left(pair);
        nomination.ended(pair);
    }

    private static final PairFailure.Cause LOCAL_LOST = new PairFailure.LocalCandidateLost();

    /** Our candidate on {@code base} was lost (e.g. its TURN allocation): its pairs fail at once. */
    void localLost(InetSocketAddress base) {
        candidates.removeLocal(base);
        for (PairEntry p : checklist.pairs()) {
            if (p.local.base().equals(base)) {
                checks.forget(p);
                nomination.ended(p);
                checklist.localLost(p, LOCAL_LOST);
            }
        }
    }
}
