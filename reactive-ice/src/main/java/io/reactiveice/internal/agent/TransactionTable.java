package io.reactiveice.internal.agent;

import io.reactiveice.stun.TransactionId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's STUN client transactions that are awaited (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.5">RFC 8445 section 7.2.5</a>, RFC 8489
 * section 6.2): a response is matched to one of these, or changes nothing.
 *
 * <p>The rule, the only one: a transaction is awaited until its answer arrives or
 * <ul>
 *   <li>a check's: until its check ends (succeeds, fails, or a new check replaces it) or its pair
 *       leaves the checklist; of one check's transactions (the newest and those its early checks
 *       replaced, {@link EarlyCheckSeries}) only the newest {@link EarlyCheckSeries#awaitedPerPair()}
 *       are kept;
 *   <li>a consent check's (sent once, never retransmitted): for the consent timeout after it was
 *       sent, since an answer to any consent check of the last 30 s renews consent and an older one
 *       cannot (RFC 7675 section 5.1). Its pair may have left the checklist meanwhile; the response
 *       handling then ignores the answer.
 * </ul>
 * Every transaction is forgotten at the moment one of these ends, by the caller that ends it, so
 * nothing scans the table: it holds at most {@code awaitedPerPair} checks per pair with a check in
 * flight plus the consent checks of one consent timeout, which their pacing bounds.
 */
final class TransactionTable {
    /** One STUN transaction of ours in flight. */
    record Outstanding(PairEntry pair, boolean nominates, boolean consent, long sentAt) {
    }

    // Each map is made by its first transaction: a lite agent sends neither, and the maps were a
    // large part of an idle lite session's heap.
    private Map<TransactionId, Outstanding> checks; // a few checks in flight at a time
    private LinkedHashMap<TransactionId, Outstanding> consent; // oldest first
    private final int awaitedPerPair;

    TransactionTable(int awaitedPerPair) {
        this.awaitedPerPair = awaitedPerPair;
    }

    /** A check transaction started on {@code pair}; beyond the cap, the pair's oldest is forgotten. */
    void check(TransactionId id, PairEntry pair, boolean nominates, long now) {
        if (pair.awaited == null) {
            pair.awaited = new ArrayDeque<>(4);
        }
        pair.awaited.addLast(id);
        if (checks == null) {
            checks = new HashMap<>(4);
        }
        checks.put(id, new Outstanding(pair, nominates, false, now));
        while (pair.awaited.size() > awaitedPerPair) {
            checks.remove(pair.awaited.pollFirst());
        }
    }

    /** A consent check sent on {@code pair}. */
    void consent(TransactionId id, PairEntry pair, long now) {
        if (consent == null) {
            consent = new LinkedHashMap<>();
        }
        consent.put(id, new Outstanding(pair, false, true, now));
    }

    /** The transaction {@code id}, or {@code null} if it is not awaited. */
    Outstanding get(TransactionId id) {
        Outstanding o = checks == null ? null : checks.get(id);
        return o != null || consent == null ? o : consent.get(id);
    }

    /** The transaction {@code id} was answered. */
    void remove(TransactionId id, Outstanding o) {
        if (o.consent()) {
            if (consent != null) { // null after clear()
                consent.remove(id);
            }
        } else if (checks != null) {
            checks.remove(id);
            o.pair().awaited.remove(id);
        }
    }

    /** The check of {@code pair} ended, or the pair left the checklist: none of its check transactions is awaited. */
    void forgetChecks(PairEntry pair) {
        if (pair.awaited != null && checks != null) {
            for (TransactionId id : pair.awaited) {
                checks.remove(id);
            }
            pair.awaited.clear();
        }
    }

    /** Forgets the consent checks sent at or before {@code sentAt}; the oldest come first, so this stops at the first younger one. */
    void forgetConsentSentUpTo(long sentAt) {
        if (consent == null) {
            return;
        }
        Iterator<Outstanding> it = consent.values().iterator();
        while (it.hasNext() && it.next().sentAt() <= sentAt) {
            it.remove();
        }
    }

    /** Forgets everything (the agent closed). */
    void clear() {
        checks = null;
        consent = null;
    }

    /** Every awaited transaction (a view, for tests of the bounds). */
    Collection<Outstanding> view() {
        List<Outstanding> all = new ArrayList<>(checks == null ? List.of() : checks.values());
        all.addAll(consent == null ? List.of() : consent.values());
        return Collections.unmodifiableList(all);
    }
}
