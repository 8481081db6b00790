package io.reactiveice.internal.agent;

import io.reactiveice.agent.PairFailure;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.StunClientTransaction;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The checklist of one data stream (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2">RFC
 * 8445 section 6.1.2</a>): pairs ordered by priority, redundant pairs pruned, the size limited, the
 * frozen/waiting rules by foundation (section 6.1.2.6, with the trickle rules of RFC 8838 section
 * 11), and the triggered-check queue (section 6.1.4.1).
 *
 * <p>It owns the pairs' states and their transitions (section 6.1.2.6: Frozen, Waiting, In-Progress,
 * Succeeded, Failed), the valid list (section 7.2.5.3.2), the nominated flag (section 8.1) and the
 * check in flight: {@link PairEntry}'s fields of these are written here only. The caller decides
 * when a transition happens; the transition itself, and what goes with it (the check in flight
 * cleared, the pairs of the foundation unfrozen), happens here.
 */
final class Checklist {
    private static final Comparator<PairEntry> BY_PRIORITY =
            (a, b) -> Long.compareUnsigned(b.priority, a.priority);

    private final List<PairEntry> pairs = new ArrayList<>(2); // grows by half when it must; an idle agent's heap counts
    private final ArrayDeque<PairEntry> triggered = new ArrayDeque<>(2); // grows when it must
    private final int maxPairs;

    Checklist(int maxPairs) {
        this.maxPairs = maxPairs;
    }

    List<PairEntry> pairs() {
        return pairs;
    }

    /**
     * Adds the pair of {@code local} and {@code remote} unless an equal route exists (section
     * 6.1.2.4). The caller then keeps the limit with {@link #evictOverLimit()}.
     *
     * @return the new pair, or {@code null} if it was redundant
     */
    PairEntry add(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress, IceRole role,
            SessionCredentials session) {
        PairEntry existing = find(local.base(), remoteAddress);
        if (existing != null) {
            return null;
        }
        PairEntry pair = new PairEntry(local, remote, remoteAddress, role);
        pair.session = session;
        pair.state = initialState(pair.foundation);
        pairs.add(pair);
        pairs.sort(BY_PRIORITY);
        return pair;
    }

    /**
     * Keeps at most {@code maxPairs} (section 6.1.2.5) by dropping the lowest-priority pair that is not
     * in use, never a nominated one.
     *
     * @return the pair that left, marked as no longer held, or {@code null} if the list was within the limit
     */
    PairEntry evictOverLimit() {
        if (pairs.size() <= maxPairs) {
            return null;
        }
        PairEntry victim = lowestDisposable();
        pairs.remove(victim);
        triggered.remove(victim);
        victim.held = false;
        return victim;
    }

    private PairEntry lowestDisposable() {
        for (int i = pairs.size() - 1; i >= 0; i--) {
            PairEntry p = pairs.get(i);
            if (p.state == PairState.FROZEN || p.state == PairState.WAITING || p.state == PairState.FAILED) {
                return p;
            }
        }
        for (int i = pairs.size() - 1; i >= 0; i--) {
            if (!pairs.get(i).nominated) {
                return pairs.get(i); // a new pair is never nominated, so one is found
            }
        }
        return pairs.get(pairs.size() - 1);
    }

    /** RFC 8838 section 11: a new pair waits if its foundation has succeeded or is idle, else stays frozen. */
    private PairState initialState(String foundation) {
        boolean busy = false;
        for (PairEntry p : pairs) {
            if (p.foundation.equals(foundation)) {
                if (p.state == PairState.SUCCEEDED) {
                    return PairState.WAITING;
                }
                busy |= p.state == PairState.WAITING || p.state == PairState.IN_PROGRESS;
            }
        }
        return busy ? PairState.FROZEN : PairState.WAITING;
    }

    /** The pair of the current session on this route; a retired pair (before a restart) never counts. */
    PairEntry find(InetSocketAddress base, InetSocketAddress remoteAddress) {
        for (PairEntry p : pairs) {
            if (!p.retired && p.sameRoute(base, remoteAddress)) {
                return p;
            }
        }
        return null;
    }

    /** Queues a triggered check (section 7.3.1.4); the pair is checked before any ordinary one. */
    void trigger(PairEntry pair) {
        if (!triggered.contains(pair)) {
            triggered.addLast(pair);
        }
    }

    /** The next pair to check, triggered first, then the best waiting one, unfreezing if none waits (6.1.4.2). */
    PairEntry next() {
        while (!triggered.isEmpty()) {
            PairEntry p = triggered.pollFirst();
            if (p.held && p.state == PairState.WAITING) { // one that succeeded or failed meanwhile needs none
                return p;
            }
        }
        for (PairEntry p : pairs) {
            if (p.state == PairState.WAITING) {
                return p;
            }
        }
        for (PairEntry p : pairs) {
            if (p.state == PairState.FROZEN && !foundationActive(p.foundation)) {
                p.state = PairState.WAITING;
                return p;
            }
        }
        return null;
    }

    /** Whether {@link #next()} would return a pair. */
    boolean hasWork() {
        for (PairEntry p : triggered) {
            if (p.state == PairState.WAITING && p.held) {
                return true;
            }
        }
        for (PairEntry p : pairs) {
            if (p.state == PairState.WAITING || (p.state == PairState.FROZEN && !foundationActive(p.foundation))) {
                return true;
            }
        }
        return false;
    }

    private boolean foundationActive(String foundation) {
        for (PairEntry p : pairs) {
            if (p.foundation.equals(foundation) && (p.state == PairState.WAITING || p.state == PairState.IN_PROGRESS)) {
                return true;
            }
        }
        return false;
    }

    /** Section 7.2.5.3.3: a success unfreezes the pairs of the same foundation. */
    void unfreeze(String foundation) {
        for (PairEntry p : pairs) {
            if (p.foundation.equals(foundation) && p.state == PairState.FROZEN) {
                p.state = PairState.WAITING;
            }
        }
    }

    /**
     * The peer signalled {@code remote} on the address of a peer-reflexive candidate a check taught us
     * first (section 7.3.1.3). As <a href="https://www.rfc-editor.org/rfc/rfc8838#section-11">RFC 8838
     * section 11</a> item 4.A has it, the pairs of the current session on that address keep their place
     * and take the signalled candidate's type, priority and foundation ({@link PairEntry#remoteSignalled});
     * the list is re-sorted, and one that succeeded unfreezes its new foundation (section 7.2.5.3.3).
     */
    void remoteSignalled(IceCandidate remote, InetSocketAddress address, IceRole role) {
        boolean any = false;
        for (PairEntry p : pairs) {
            if (!p.retired && p.remoteAddress.equals(address) && p.remote.type() == CandidateType.PEER_REFLEXIVE
                    && p.remote.transport() == remote.transport()) {
                p.remoteSignalled(remote, role);
                any = true;
                if (p.state == PairState.SUCCEEDED) {
                    unfreeze(p.foundation);
                }
            }
        }
        if (any) {
            pairs.sort(BY_PRIORITY);
        }
    }

    /** After a role switch, priorities change (section 7.2.5.1). */
    void reprioritize(IceRole role) {
        for (PairEntry p : pairs) {
            p.computePriority(role);
        }
        pairs.sort(BY_PRIORITY);
    }

    /** Whether every pair has failed (and there is at least one). */
    boolean allFailed() {
        if (pairs.isEmpty()) {
            return false;
        }
        for (PairEntry p : pairs) {
            if (p.state != PairState.FAILED) {
                return false;
            }
        }
        return true;
    }

    /** The best valid pair, or {@code null}. */
    PairEntry bestValid() {
        for (PairEntry p : pairs) {
            if (p.valid && !p.retired) {
                return p;
            }
        }
        return null;
    }

    /** The highest-priority pair that may still succeed, or {@code null}. */
    PairEntry bestPending() {
        for (PairEntry p : pairs) {
            if (p.state != PairState.FAILED && !p.retired) {
                return p;
            }
        }
        return null;
    }

    /** Removes every pair, marking each as no longer held, and returns them. */
    List<PairEntry> clear() {
        List<PairEntry> left = new ArrayList<>(pairs);
        for (PairEntry p : left) {
            p.held = false;
        }
        pairs.clear();
        triggered.clear();
        return left;
    }

    /** Removes the retired pairs (the restart is over), marking each as no longer held, and returns them. */
    List<PairEntry> removeRetired() {
        List<PairEntry> left = new ArrayList<>(1);
        pairs.removeIf(p -> {
            if (p.retired) {
                p.held = false;
                left.add(p);
            }
            return p.retired;
        });
        return left;
    }

    // ---- transitions (section 6.1.2.6) --------------------------------------------------------

    /** A check starts on {@code pair}: In-Progress with {@code transaction} in flight (section 7.2.4). */
    void checkStarted(PairEntry pair, StunClientTransaction transaction, boolean nominates) {
        pair.state = PairState.IN_PROGRESS;
        pair.transaction = transaction;
        pair.transactionNominates = nominates;
    }

    /**
     * The pairs active for the RTO of a check starting on {@code pair}: the Waiting and In-Progress
     * ones, {@code pair} included (section 14.3).
     */
    long activeWith(PairEntry pair) {
        long n = 0;
        for (PairEntry p : pairs) {
            n += p == pair || p.state == PairState.WAITING || p.state == PairState.IN_PROGRESS ? 1 : 0;
        }
        return n;
    }

    /** The check on {@code pair} failed: timed out, an error, or not symmetric (sections 7.2.5.2, 14.3). */
    void checkFailed(PairEntry pair, PairFailure.Cause cause) {
        pair.transaction = null;
        pair.state = PairState.FAILED;
        pair.failure = cause;
    }

    /**
     * The check on {@code pair} succeeded (sections 7.2.5.3.2 and 7.2.5.3.3): Succeeded, valid, and the
     * pairs of its foundation unfrozen.
     *
     * @return whether the pair entered the valid list just now
     */
    boolean checkSucceeded(PairEntry pair) {
        pair.transaction = null;
        pair.state = PairState.SUCCEEDED;
        boolean added = !pair.valid;
        pair.valid = true;
        unfreeze(pair.foundation);
        return added;
    }

    /** A 487 answered the check on {@code pair}: it is checked again, triggered (section 7.2.5.1). */
    void roleConflictRetry(PairEntry pair) {
        pair.transaction = null;
        pair.state = PairState.WAITING;
        trigger(pair);
    }

    /**
     * The peer's check arrived on {@code pair}: Waiting, and a triggered check queued (section 7.3.1.4).
     * If our check on it was in progress, that check is thereby cancelled: no longer retransmitted, its
     * answer still awaited until its timeout, and replaced by the triggered one in the next Ta slot
     * ({@link OutgoingChecks#start}). Through a NAT that dropped our first check (it arrived before the
     * peer's own check opened the peer's side), the new check passes at once instead of waiting for a
     * retransmission (500 ms and more).
     */
    void triggeredByPeer(PairEntry pair) {
        pair.state = PairState.WAITING;
        trigger(pair);
    }

    /** Our candidate of {@code pair} was lost, or its remote address is unreachable: Failed and no longer valid. */
    void localLost(PairEntry pair, PairFailure.Cause cause) {
        pair.transaction = null;
        pair.state = PairState.FAILED;
        pair.valid = false;
        pair.failure = cause;
    }

    /** {@code pair} left the checklist, or is about to: no check of it is in flight any more. */
    void left(PairEntry pair) {
        pair.held = false;
        pair.transaction = null;
    }

    /** {@code pair} was nominated: by our USE-CANDIDATE's success, or the peer's (section 8.1). */
    void nominated(PairEntry pair) {
        pair.nominated = true;
    }

    /** The peer sent USE-CANDIDATE on {@code pair} before our check on it succeeded (section 7.3.1.5). */
    void nominateOnSuccess(PairEntry pair) {
        pair.nominateOnSuccess = true;
    }

    /**
     * The peer renominated {@code pair} ({@link Renomination}): the nominations of the other pairs that
     * waited for their own check to succeed (section 7.3.1.5) are superseded.
     */
    void renominated(PairEntry pair) {
        for (PairEntry p : pairs) {
            if (p != pair) {
                p.nominateOnSuccess = false;
            }
        }
    }

    /** An authenticated check of the peer arrived on {@code pair} (section 12.2); whether it is the first. */
    boolean heard(PairEntry pair) {
        boolean first = !pair.heard;
        pair.heard = true;
        return first;
    }

    /**
     * A lite agent answered the peer's check on {@code pair}: the pair works (section 7.3.1.5 for a lite
     * agent, which sends no checks of its own); whether it entered the valid list just now.
     */
    boolean liteValidated(PairEntry pair) {
        if (pair.valid) {
            return false;
        }
        pair.valid = true;
        pair.state = PairState.SUCCEEDED;
        return true;
    }

    /**
     * ICE restarted (section 9) while {@code selected} carries data: it is retired, kept in the list
     * for its consent checks until a new pair is selected.
     */
    void retire(PairEntry selected) {
        selected.retired = true;
        selected.held = true;
        pairs.add(selected);
    }

    /**
     * Adds the remote addresses of the valid pairs to {@code valid}, and those of the pairs the peer's
     * checks arrived on that are neither valid nor failed to {@code heard} (section 12.2).
     */
    void remoteAddresses(Collection<InetSocketAddress> valid, Collection<InetSocketAddress> heard) {
        for (PairEntry p : pairs) {
            if (p.valid) {
                valid.add(p.remoteAddress);
            } else if (p.heard && p.state != PairState.FAILED) {
                heard.add(p.remoteAddress);
            }
        }
    }

    /** Each pair described, best first, for diagnostics. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (PairEntry p : pairs) {
            out.add(p.toString());
        }
        return out;
    }
}
