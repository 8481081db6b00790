package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.PairFailure;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.TransactionId;
import java.time.Duration;
import java.util.Collection;
import java.util.Queue;
import java.util.random.RandomGenerator;

/**
 * The agent's own Binding requests (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.4">RFC
 * 8445 section 7.2.4</a>): connectivity checks, each retransmitted by one {@link StunClientTransaction}
 * with the RTO of section 14.3, their early checks ({@link EarlyCheckSeries}), and consent checks
 * (RFC 7675 section 5.1), sent once each; and the {@link TransactionTable} an answer is matched
 * against. It writes the requests into the agent's transmit queue and the pair's check into the
 * {@link Checklist}; when a check starts, the caller decides.
 */
final class OutgoingChecks {
    private static final PairFailure.Cause UNREACHABLE = new PairFailure.Unreachable();
    private static final PairFailure.Cause CONNECTION_CLOSED = new PairFailure.ConnectionClosed();
    private final CoreConfig config;
    private final RandomGenerator random;
    private final Checklist checklist;
    private final EarlyCheckSeries series;
    private final TransactionTable transactions;
    private final Pacing pacing;
    private final Nomination nomination;
    private final Queue<Transmit> transmits;
    // made by totals(), for a metrics recorder: a session without metrics has none (an idle session's heap counts)
    private CheckTotals totals;
    private ProtocolTrace trace; // ProtocolTrace.OFF until the trace is first turned on (tracing)

    OutgoingChecks(CoreConfig config, RandomGenerator random, Checklist checklist,
            Pacing pacing, Nomination nomination, Queue<Transmit> transmits, ProtocolTrace trace) {
        this.trace = trace;
        this.pacing = pacing;
        this.nomination = nomination;
        this.config = config;
        this.random = random;
        this.checklist = checklist;
        this.series = new EarlyCheckSeries(config);
        this.transactions = new TransactionTable(series.awaitedPerPair());
        this.transmits = transmits;
    }

    /**
     * Starts a check (section 7.2.4), with USE-CANDIDATE when nominating (section 8.1.1): a new series.
     * A check the peer's check cancelled ({@link Checklist#triggeredByPeer}) is replaced: its
     * transactions stay awaited and the new one keeps its timeout, so a peer that keeps checking
     * cannot keep a pair that never answers us from failing.
     */
    void start(long now, PairEntry pair, boolean nominate, IceRole role) {
        if (pair.transaction != null && pair.state == PairState.WAITING) {
            // the same check goes on: its early series too, of which this is the next early check if one is due
            send(now, pair, nominate || pair.transactionNominates, true, role);
            if (series.due(pair, now)) {
                series.earlyCheckStarted(pair, now);
            }
            return;
        }
        transactions.forgetChecks(pair);
        series.checkStarted(pair, now, nominate);
        send(now, pair, nominate, false, role);
    }

    /**
     * Starts an early check: it replaces the check in flight because a nomination waits on it
     * ({@link EarlyCheckSeries}), as a triggered check replaces one in progress (section 7.3.1.4):
     * the replaced transaction is no longer retransmitted but its response is still awaited, the check
     * keeps the timeout of its first transaction, and every such check takes a Ta slot,
     * so the RTO of each transaction stays at least 500 ms (section 14.3).
     */
    private void startEarly(long now, PairEntry pair, IceRole role) {
        send(now, pair, pair.transactionNominates, true, role);
        series.earlyCheckStarted(pair, now);
    }

    private void send(long now, PairEntry pair, boolean nominate, boolean replacing, IceRole role) {
        TransactionId id = TransactionId.random(random);
        long active = checklist.activeWith(pair);
        long rto = Math.max(config.checkSchedule().rto().toNanos(), config.pacing().toNanos() * active); // 14.3
        // a check that replaces one keeps the timeout of the first transaction (RFC 8489 section 6.2.1)
        StunClientTransaction t = replacing ? StunClientTransaction.replacing(pair.transaction, id, rto, now)
                : StunClientTransaction.start(id, schedule(pair, rto), rto, now);
        checklist.checkStarted(pair, t, nominate);
        transactions.check(id, pair, nominate, now);
        request(now, pair, id, nominate, role, PairCounters.Request.CHECK);
    }

    /**
     * The schedule of a check on {@code pair}: over UDP the configured one; over TCP a single send
     * (RFC 6544 section 7.1, RFC 8489 section 6.2.2: a reliable transport retransmits for us), awaited
     * as long as the UDP schedule with this RTO would wait, so that a TCP pair fails no later than a
     * UDP pair would.
     */
    private RetransmissionSchedule schedule(PairEntry pair, long rto) {
        RetransmissionSchedule udp = config.checkSchedule();
        if (udp.isReliable() || !overTcp(pair)) {
            return udp;
        }
        return new RetransmissionSchedule(udp.rto(), 1, 0, udp.withRto(Duration.ofNanos(rto)).total());
    }

    /** Over TCP nothing is lost on the way: a check's one request is answered, or its connection fails. */
    private static boolean overTcp(PairEntry pair) {
        return pair.local.candidate().transport() == TransportProtocol.TCP;
    }

    /**
     * Each check in flight at {@code now}: failed at its timeout (sections 7.2.5.2 and 14.3), started
     * again early if a nomination waits on it and a Ta slot is free, or retransmitted when its
     * transaction says so.
     *
     * @param usable the selected pair carries data and is not silent ({@link Nomination#awaits})
     */
    void run(long now, IceRole role, boolean usable) {
        for (PairEntry p : checklist.pairs()) {
            StunClientTransaction t = p.transaction;
            if (t == null) {
                continue;
            }
            if (now >= t.timeoutAt()) { // the check's last transaction timed out
                failed(p, new PairFailure.NoResponse((int) (p.counters.requestsSent + p.counters.retransmissionsSent)));
            } else if (p.state == PairState.WAITING) {
                continue; // cancelled by the peer's check (7.3.1.4): not retransmitted, replaced in a Ta slot
            } else if (!overTcp(p) && series.due(p, now) && nomination.awaits(p, usable) && pacing.paced(now)) {
                startEarly(now, p, role);
                pacing.tookSlot(now);
            } else if (t.handleTimeout(now) == StunClientTransaction.Tick.RETRANSMIT) {
                request(now, p, t.id(), p.transactionNominates, role, PairCounters.Request.RETRANSMISSION);
            }
        }
    }

    /** When {@link #run} next has something to do, or {@code Long.MAX_VALUE}. */
    long nextTimeout(boolean usable) {
        long next = Long.MAX_VALUE;
        for (PairEntry p : checklist.pairs()) {
            if (p.transaction != null) {
                next = Math.min(next, p.state == PairState.WAITING ? p.transaction.timeoutAt()
                        : p.transaction.nextTimeout());
                if (p.hurryAt != Long.MAX_VALUE && !overTcp(p) && nomination.awaits(p, usable)) {
                    next = Math.min(next, Math.max(p.hurryAt, pacing.nextSlot()));
                }
            }
        }
        return next;
    }

    /** A 487 answered the check on {@code pair} (section 7.2.5.1): it is checked again, triggered. */
    void roleConflict(PairEntry pair) {
        forget(pair);
        nomination.ended(pair);
        checklist.roleConflictRetry(pair);
    }

    /** The check on {@code pair} failed, for {@code cause}: its transactions are forgotten, a nomination on it ended. */
    void failed(PairEntry pair, PairFailure.Cause cause) {
        forget(pair);
        checklist.checkFailed(pair, cause);
        nomination.ended(pair);
    }

    /**
     * A request on {@code pair} could not leave: its destination is unreachable from its base (a hard
     * error, section 7.2.5.2.2). It fails and leaves the valid list as if its local candidate were
     * lost: its transactions are forgotten, a nomination on it ended. Over ICE-TCP that is its
     * connection closing (RFC 6544).
     */
    void unreachable(PairEntry pair) {
        forget(pair);
        nomination.ended(pair);
        checklist.localLost(pair, overTcp(pair) ? CONNECTION_CLOSED
                : UNREACHABLE);
    }

    /**
     * Sends a consent check on a pair (RFC 7675 section 5.1): a plain Binding request, not
     * retransmitted; with USE-CANDIDATE only if {@code selectedPair} and configured so
     * ({@link CoreConfig#useCandidateOnConsent()}), never on a backup.
     */
    void consentCheck(long now, PairEntry pair, boolean selectedPair, IceRole role) {
        if (pair.session.remoteKey == null) {
            return;
        }
        TransactionId id = TransactionId.random(random);
        boolean nominate = selectedPair && config.useCandidateOnConsent() && role == IceRole.CONTROLLING;
        transactions.consent(id, pair, now);
        request(now, pair, id, nominate, role, PairCounters.Request.CONSENT);
    }

    private void request(long now, PairEntry pair, TransactionId id, boolean nominate, IceRole role,
            PairCounters.Request kind) {
        long prflxPriority = pair.local.peerReflexivePriority();
        byte[] bytes = CheckMessages.request(config.software(), id, pair.session.outgoingUsername(), prflxPriority, role, config.tieBreaker(),
                nominate, nominate ? nomination.valueFor(pair) : 0, pair.session.remoteKey);
        transmits.add(new Transmit(pair.local.base(), pair.remoteAddress, bytes));
        pair.counters.requestSent(kind);
        if (totals != null) {
            totals.requestSent(kind);
        }
        trace.checkSent(now, pair, kind, nominate);
    }

    /**
     * Takes the transaction a response answers, if it is ours and authentic; otherwise {@code null}
     * (7.2.5.1). One taken is counted on its pair, with its round trip from {@code now}.
     */
    TransactionTable.Outstanding take(long now, StunMessageReader reader) {
        TransactionTable.Outstanding o = transactions.get(reader.transactionId());
        if (o == null || o.pair().session.remoteKey == null || !reader.integrityMatches(o.pair().session.remoteKey)) {
            return null; // unknown, late, or not authentic: changes nothing
        }
        transactions.remove(reader.transactionId(), o);
        o.pair().counters.responseReceived(now - o.sentAt());
        if (totals != null) {
            totals.responseReceived();
        }
        if (trace.on()) {
            int error = reader.messageClass() == StunClass.ERROR_RESPONSE ? ResponseHandling.errorCode(reader) : 0;
            trace.responseReceived(now, o.pair(), error, now - o.sentAt());
        }
        return o;
    }

    /** The session's sums of what the pairs' counters count, from the first call on (which makes them). */
    CheckTotals totals() {
        if (totals == null) {
            totals = new CheckTotals();
        }
        return totals;
    }

    /** From now on the checks are reported to {@code trace}. */
    void tracing(ProtocolTrace trace) {
        this.trace = trace;
    }

    /** A check of the peer's arrived on {@code pair} and was answered: counted on it and in the totals. */
    void answered(PairEntry pair) {
        pair.counters.requestAnswered();
        if (totals != null) {
            totals.requestAnswered();
        }
    }

    /** Forgets every check of ours in flight on {@code pair} (not its consent checks); its early series ends. */
    void forget(PairEntry pair) {
        transactions.forgetChecks(pair);
        series.ended(pair);
    }

    /** The peer nominated {@code pair} while our check on it is in progress: its early series is armed (7.3.1.4). */
    void peerNominated(PairEntry pair, long now) {
        series.peerNominated(pair, now);
    }

    /** Forgets the consent checks sent at or before {@code sentAt}: they can no longer renew consent. */
    void forgetConsentSentUpTo(long sentAt) {
        transactions.forgetConsentSentUpTo(sentAt);
    }

    /** Forgets everything (the agent closed). */
    void clear() {
        transactions.clear();
    }

    /** The transactions in flight (a view, for tests of the table's bounds). */
    Collection<TransactionTable.Outstanding> inFlight() {
        return transactions.view();
    }
}
