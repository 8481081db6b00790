package io.reactiveice.agent;

import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * What the agent does with a connectivity check it receives
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.3">RFC 8445 section 7.3</a>): authenticate
 * it, resolve a role conflict, answer it, learn a peer-reflexive candidate, queue a triggered check,
 * and honour USE-CANDIDATE. A request that fails authentication is answered with an error and
 * changes nothing.
 */
final class RequestHandling {
    private final IceAgentCore core;
    private final StunMessageReader r;

    RequestHandling(IceAgentCore core) {
        this.core = core;
        this.r = core.reader();
    }

    void handle(long now, InetSocketAddress base, InetSocketAddress source) {
        int username = r.indexOf(StunAttributeType.USERNAME);
        if (username < 0 || !r.hasIntegrity()) {
            answer(base, source, core.messages().error(r, 400, "Bad Request", null));
            return;
        }
        SessionCredentials session = sessionOf(username);
        if (session == null || !r.integrityMatches(session.localKey)) {
            answer(base, source, core.messages().error(r, 401, "Unauthenticated", null));
            return;
        }
        if (!resolveRoleConflict(session, base, source)) {
            return;
        }
        answer(base, source, core.messages().success(r, source, session.localKey));
        if (session != core.session()) {
            return; // a check on the path of a restarted session: answered, nothing to learn
        }
        learnAndTrigger(now, base, source);
    }

    /** The session whose local ufrag starts USERNAME ({@code local ":" remote}), current or pre-restart. */
    private SessionCredentials sessionOf(int usernameIndex) {
        String username = r.string(usernameIndex);
        for (SessionCredentials s : new SessionCredentials[] {core.session(), core.previousSession()}) {
            if (s != null && username.startsWith(s.local.ufrag() + ":")
                    && (s.remote == null || username.equals(s.local.ufrag() + ":" + s.remote.ufrag()))) {
                return s;
            }
        }
        return null;
    }

    /** Section 7.3.1.1. Returns {@code false} when the request was answered 487. */
    private boolean resolveRoleConflict(SessionCredentials session, InetSocketAddress base, InetSocketAddress source) {
        long ours = core.config().tieBreaker();
        IceRole role = core.roleNow();
        int controlling = r.indexOf(StunAttributeType.ICE_CONTROLLING);
        int controlled = r.indexOf(StunAttributeType.ICE_CONTROLLED);
        if (core.config().lite()) {
            if (controlled >= 0) { // a lite agent stays controlled: the full peer must take control
                answer(base, source, core.messages().error(r, 487, "Role Conflict", session.localKey));
                return false;
            }
            return true;
        }
        if (role == IceRole.CONTROLLING && controlling >= 0) {
            if (Long.compareUnsigned(ours, tieBreaker(controlling)) >= 0) {
                answer(base, source, core.messages().error(r, 487, "Role Conflict", session.localKey));
                return false;
            }
            core.switchRole();
        } else if (role == IceRole.CONTROLLED && controlled >= 0) {
            if (Long.compareUnsigned(ours, tieBreaker(controlled)) >= 0) {
                core.switchRole();
            } else {
                answer(base, source, core.messages().error(r, 487, "Role Conflict", session.localKey));
                return false;
            }
        }
        return true;
    }

    private long tieBreaker(int index) {
        return r.valueLength(index) == 8 ? r.u64(index) : 0;
    }

    /** Sections 7.3.1.3 to 7.3.1.5. */
    private void learnAndTrigger(long now, InetSocketAddress base, InetSocketAddress source) {
        LocalCandidate local = core.localByBase(base);
        if (local == null) {
            return;
        }
        IceCandidate remote = core.knownRemote(source);
        if (remote == null) {
            int priority = r.indexOf(StunAttributeType.PRIORITY);
            if (priority < 0 || r.valueLength(priority) != 4 || r.u32(priority) == 0) {
                return;
            }
            remote = core.addPeerReflexiveRemote(source, r.u32(priority) & 0xFFFF_FFFFL);
            if (remote == null) {
                return; // the remote candidate limit is reached
            }
        }
        PairEntry pair = core.addPair(local, remote, source);
        if (pair == null) {
            return;
        }
        if (core.config().lite()) {
            liteCheck(now, pair);
            return;
        }
        if (!pair.heard) {
            pair.heard = true;
            core.event(new IceEvent.PeerChecked(pair.snapshot()));
        }
        boolean useCandidate = r.indexOf(StunAttributeType.USE_CANDIDATE) >= 0 && core.roleNow() == IceRole.CONTROLLED;
        if (pair.state == PairState.SUCCEEDED) {
            if (useCandidate) {
                pair.nominated = true;
                core.select(now, pair);
            }
            return;
        }
        if (useCandidate) {
            pair.nominateOnSuccess = true;
            if (pair.state == PairState.IN_PROGRESS) {
                // section 7.3.1.4: a new check on the pair at once, the one in flight still awaited;
                // once per pair, however often the peer repeats USE-CANDIDATE
                core.series().peerNominated(pair, now);
            }
        }
        if (pair.state != PairState.IN_PROGRESS && (core.selectedEntry() == null || core.previousSession() != null
                || useCandidate)) {
            pair.state = PairState.WAITING;
            core.checklist().trigger(pair);
        }
    }

    /**
     * A lite agent's view of a check (RFC 8445 sections 7.3.1.5 and 8.2): the pair works, since the
     * peer's check came over it and was answered; USE-CANDIDATE selects it unless the selected pair
     * has a higher priority and is still alive. Every check renews the pair's liveness.
     */
    private void liteCheck(long now, PairEntry pair) {
        pair.lastConsentAt = now;
        if (!pair.valid) {
            pair.valid = true;
            pair.state = PairState.SUCCEEDED;
            core.event(new IceEvent.PairValidated(pair.snapshot()));
        }
        PairEntry selected = core.selectedEntry();
        if (r.indexOf(StunAttributeType.USE_CANDIDATE) >= 0) {
            pair.nominated = true;
            boolean selectedAlive = selected != null
                    && now - selected.lastConsentAt < core.config().disconnectedTimeout().toNanos();
            if (selected == null || selected == pair || pair.priority >= selected.priority || !selectedAlive) {
                core.select(now, pair);
                return;
            }
        }
        if (pair == selected && core.state() == IceState.DISCONNECTED) {
            core.setState(IceState.CONNECTED);
        } else if (core.state() == IceState.NEW) {
            core.setState(IceState.CHECKING);
        }
    }

    private void answer(InetSocketAddress base, InetSocketAddress source, byte[] bytes) {
        core.transmit(new Transmit(base, source, bytes));
    }

}
