package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.IceCandidate;
import java.util.Queue;

/**
 * The selected pair (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-8.1">RFC 8445 section
 * 8.1</a>), that the data path uses, and across an ICE restart (section 9) the session it was selected
 * in: the old pair keeps carrying data, retired in the checklist, until a pair of the new session is
 * selected. Selecting a pair starts consent freshness on it (RFC 7675).
 */
final class Selection {
    private final boolean lite;
    private final Checklist checklist;
    private final Pairing pairing;
    private final ConsentFreshness consent;
    private final Queue<IceEvent> events;
    private PairEntry selected;
    private SessionCredentials previous;
    /** How often the selected pair changed, the first selection included (W3C {@code selectedCandidatePairChanges}). */
    private long changes;

    Selection(CoreConfig config, Checklist checklist, Pairing pairing, ConsentFreshness consent,
            Queue<IceEvent> events) {
        this.lite = config.lite();
        this.checklist = checklist;
        this.pairing = pairing;
        this.consent = consent;
        this.events = events;
    }

    /** The selected pair, or {@code null}. */
    PairEntry pair() {
        return selected;
    }

    /** How often the selected pair changed, the first selection included. */
    long changes() {
        return changes;
    }

    /** The session before a restart, while its selected pair still carries data; or {@code null}. */
    SessionCredentials previous() {
        return previous;
    }

    /**
     * The selected pair's local candidate was lost ({@link Checklist#localLost}): no longer valid, it
     * carries nothing, and the agent moves to another valid pair as soon as there is one.
     */
    boolean lost() {
        return selected != null && !selected.valid;
    }

    /**
     * The selected pair's local candidate is gone ({@link #lost()}): the best valid pair is selected at
     * once, locally; the controlling agent then nominates it ({@link Nomination#unnominated}: with
     * NOMINATION when renomination is active, else with USE-CANDIDATE as consent failover does), the
     * controlled agent moves its data path and follows the peer's next nomination.
     *
     * @return whether there was a valid pair to move to
     */
    boolean moveOffLost(long now, AgentStatus status) {
        PairEntry best = checklist.bestValid();
        if (best == null) {
            return false;
        }
        select(now, best, status);
        return true;
    }

    /** A pair is selected and no restart is under way: regular nomination is over (section 8.1.1). */
    boolean settled() {
        return selected != null && previous == null;
    }

    /**
     * Selects {@code pair} at {@code now}: the data path moves to it, consent checks are due on it, and
     * a restart is over (the retired path leaves). A full agent's repeated selection of the same pair
     * (browsers put USE-CANDIDATE on every check) changes nothing: in particular it must not push the
     * next consent check back, or consent is never checked.
     *
     * A selection makes {@code status} CONNECTED, or COMPLETED if gathering is over on both sides; a
     * COMPLETED agent stays COMPLETED (RFC 8445 section 8.1.2).
     */
    void select(long now, PairEntry pair, AgentStatus status) {
        if (selected == pair && !lite) {
            return;
        }
        if (selected != pair) {
            if (previous != null) {
                for (PairEntry p : checklist.removeRetired()) { // the restart is over: the old path retires
                    pairing.left(p);
                }
                previous = null;
            }
            selected = pair;
            changes++;
            consent.selected(pair, now);
            // Unlike RFC 8445 section 8.1.2, the remaining pairs keep being checked at the Ta pace after
            // nomination, as browsers do: they become the valid backups that consent failover moves to.
            events.add(new IceEvent.SelectedPairChanged(pair.snapshot()));
        }
        consent.restartTimers(now);
        if (status.state() != IceState.COMPLETED) { // a nomination again (Chrome sends one per check) is no change
            status.set(IceState.CONNECTED);
        }
        status.completeIfDone(true);
    }

    /**
     * The peer signalled {@code remote}, and the selected pair, whose remote candidate was the
     * peer-reflexive one a check taught us on the same address, took it ({@link
     * Checklist#remoteSignalled}, RFC 8838 section 11): the selection is reported again, the same path
     * with the remote candidate's signalled type, priority and foundation. The data path and consent go
     * on as they were. The retired pair of a restart keeps the candidate of its own session.
     */
    void remoteSignalled(IceCandidate remote) {
        if (selected != null && !selected.retired && selected.remote == remote) {
            events.add(new IceEvent.SelectedPairChanged(selected.snapshot()));
        }
    }

    /**
     * ICE restarts (section 9) and the checklist was cleared: the selected pair, if any, is retired but
     * kept for its consent checks, with {@code current}, the session it was selected in.
     */
    void restarting(SessionCredentials current) {
        previous = selected != null ? current : null;
        if (selected != null) {
            checklist.retire(selected);
        }
    }
}
