package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.util.Queue;

/**
 * What the agent does with a connectivity check it receives
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.3">RFC 8445 section 7.3</a>), in two steps
 * that take the request and the agent's current values as arguments and return what the agent must
 * do. {@link #answer} authenticates the request, resolves a role conflict ({@link RoleConflict}) and
 * builds the answer; a request that fails authentication is answered with an error and changes
 * nothing. {@link #peerChecked} and {@link #liteChecked} then take the check on its pair: the peer
 * was heard, a triggered check is queued, USE-CANDIDATE is honoured (sections 7.3.1.4 and 7.3.1.5),
 * and as the controlled agent NOMINATION ({@link Renomination}).
 */
final class RequestHandling {
    /** The answer to a request, and what else the agent must do. */
    record Answer(byte[] response, boolean switchRole, boolean onCurrentSession) {
    }

    /** What a check on its pair asks of the agent besides the pair's own transitions. */
    enum PeerCheck {
        NONE,
        /** Select the pair (the peer nominated it). */
        SELECT,
        /** The selected pair answers again: CONNECTED (a lite agent). */
        RECONNECTED,
        /** The first check: CHECKING (a lite agent). */
        CHECKING
    }

    private final CoreConfig config;
    private final Checklist checklist;
    private final OutgoingChecks checks;
    private final Renomination renomination;
    private final Queue<IceEvent> events;

    RequestHandling(CoreConfig config, Checklist checklist, OutgoingChecks checks, Renomination renomination,
            Queue<IceEvent> events) {
        this.config = config;
        this.checklist = checklist;
        this.checks = checks;
        this.renomination = renomination;
        this.events = events;
    }

    /**
     * Authenticates the request in {@code r} against the current session and the one before a restart
     * (sections 7.3 and 9), resolves a role conflict, and answers it.
     */
    Answer answer(StunMessageReader r, InetSocketAddress source, SessionCredentials current,
            SessionCredentials previous, IceRole role) {
        int username = r.indexOf(StunAttributeType.USERNAME);
        if (username < 0 || !r.hasIntegrity()) {
            return new Answer(CheckMessages.error(r, 400, "Bad Request", null), false, false);
        }
        String name = r.string(username);
        SessionCredentials session = matches(name, current) ? current : matches(name, previous) ? previous : null;
        if (session == null || !r.integrityMatches(session.localKey)) {
            return new Answer(CheckMessages.error(r, 401, "Unauthenticated", null), false, false);
        }
        int claim = r.indexOf(role == IceRole.CONTROLLING ? StunAttributeType.ICE_CONTROLLING
                : StunAttributeType.ICE_CONTROLLED);
        RoleConflict.Resolution resolution = RoleConflict.resolve(role, config.lite(), config.tieBreaker(),
                claim >= 0, claim >= 0 && r.valueLength(claim) == 8 ? r.u64(claim) : 0);
        if (resolution == RoleConflict.Resolution.REJECT) {
            return new Answer(CheckMessages.error(r, 487, "Role Conflict", session.localKey), false, false);
        }
        // a check on the path of a restarted session is answered, with nothing to learn
        return new Answer(CheckMessages.success(r, source, session.localKey),
                resolution == RoleConflict.Resolution.SWITCH, session == current);
    }

    /** Whether USERNAME ({@code local ":" remote}) names {@code s}'s local ufrag, and its remote one once known. */
    private static boolean matches(String username, SessionCredentials s) {
        return s != null && username.startsWith(s.local.ufrag() + ":")
                && (s.remote == null || username.equals(s.local.ufrag() + ":" + s.remote.ufrag()));
    }

    /** The PRIORITY of the request, for a peer-reflexive candidate (section 7.3.1.3); {@code -1} if none is usable. */
    static long priority(StunMessageReader r) {
        int priority = r.indexOf(StunAttributeType.PRIORITY);
        if (priority < 0 || r.valueLength(priority) != 4 || r.u32(priority) == 0) {
            return -1;
        }
        return r.u32(priority) & 0xFFFF_FFFFL;
    }

    /**
     * A full agent's view of a check on {@code pair} (sections 7.3.1.4 and 7.3.1.5).
     *
     * @param role our role, after a role conflict
     * @param awaitingSelection no pair is selected, or a restart is under way: every check triggers one
     */
    PeerCheck peerChecked(long now, StunMessageReader r, PairEntry pair, IceRole role, boolean awaitingSelection) {
        if (checklist.heard(pair)) {
            events.add(new IceEvent.PeerChecked(pair.snapshot()));
        }
        boolean useCandidate = role == IceRole.CONTROLLED && nominates(r, pair) != Renomination.Nominates.NO;
        if (pair.state == PairState.SUCCEEDED) {
            if (useCandidate) {
                checklist.nominated(pair);
                return PeerCheck.SELECT;
            }
            return PeerCheck.NONE;
        }
        if (useCandidate) {
            checklist.nominateOnSuccess(pair);
            if (pair.transaction != null) { // in progress, or cancelled and about to be replaced
                // section 7.3.1.4: a new check on the pair at once, the one in flight still awaited;
                // once per pair, however often the peer repeats USE-CANDIDATE
                checks.peerNominated(pair, now);
            }
        }
        // a check in progress is cancelled and triggered again only if it is a first check that has not
        // succeeded yet: with USE-CANDIDATE the early series above replaces it, and a check of ours that
        // nominates keeps its USE-CANDIDATE
        boolean inProgress = pair.state == PairState.IN_PROGRESS;
        if (inProgress ? awaitingSelection && !useCandidate && !pair.valid && !pair.transactionNominates
                : awaitingSelection || useCandidate) {
            checklist.triggeredByPeer(pair);
        }
        return PeerCheck.NONE;
    }

    /**
     * Whether the controlled agent's check {@code r} nominates {@code pair} ({@link Renomination}): a
     * renomination supersedes the nominations that wait for their pair's check to succeed.
     */
    private Renomination.Nominates nominates(StunMessageReader r, PairEntry pair) {
        Renomination.Nominates n = renomination.nominates(r);
        if (n == Renomination.Nominates.RENOMINATED) {
            checklist.renominated(pair);
        }
        return n;
    }

    /**
     * A lite agent's view of a check (RFC 8445 sections 7.3.1.5 and 8.2): the pair works, since the
     * peer's check came over it and was answered; USE-CANDIDATE selects it unless the selected pair
     * has a higher priority and is still alive; a renomination ({@link Renomination}) selects it
     * whatever its priority. Every check renews the pair's liveness (the caller's).
     */
    PeerCheck liteChecked(long now, StunMessageReader r, PairEntry pair, PairEntry selected, IceState state) {
        if (checklist.liteValidated(pair)) {
            events.add(new IceEvent.PairValidated(pair.snapshot()));
        }
        Renomination.Nominates n = nominates(r, pair);
        if (n != Renomination.Nominates.NO) {
            checklist.nominated(pair);
            boolean selectedAlive = selected != null
                    && now - selected.lastConsentAt < config.disconnectedTimeout().toNanos();
            if (n == Renomination.Nominates.RENOMINATED || selected == null || selected == pair
                    || pair.priority >= selected.priority || !selectedAlive) {
                return PeerCheck.SELECT;
            }
        }
        if (pair == selected && state == IceState.DISCONNECTED) {
            return PeerCheck.RECONNECTED;
        }
        return state == IceState.NEW ? PeerCheck.CHECKING : PeerCheck.NONE;
    }
}
