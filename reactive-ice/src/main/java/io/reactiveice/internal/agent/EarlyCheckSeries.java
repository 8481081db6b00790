package io.reactiveice.internal.agent;

/**
 * The early check series of a pair that a nomination waits on (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-7.3.1.4">RFC 8445 sections 7.3.1.4</a> and
 * 7.3.1.5): ours as the controlling agent, or the peer's USE-CANDIDATE before our own check on the
 * pair succeeded. Instead of waiting for the next retransmission at the doubling RTO, the check is
 * started again, each time as a new transaction in its own Ta slot (section 14.2): every Ta for one
 * RTO, then at doubling intervals up to the RTO, {@link #maxEarlyChecks()} times in all (about 4 s at
 * the defaults). After that the newest transaction is retransmitted on the ordinary schedule.
 *
 * <p>Bounds, whatever the peer sends:
 * <ul>
 *   <li>one series per nomination: each nomination of ours starts one; the peer's first USE-CANDIDATE
 *       on a pair arms one, and a repeated USE-CANDIDATE (browsers put it on every check) arms none;
 *   <li>the series is one check: it fails at the timeout of its first transaction (39.5 s at the
 *       defaults, RFC 8489 section 6.2.1), however many early transactions replaced it;
 *   <li>the replaced transactions stay awaited, since an answer to any of them shows that the pair
 *       works (section 7.3.1.4), but only the newest {@link #awaitedPerPair()}: those sent within one
 *       RTO, the longest round trip RFC 8489's schedule is designed for, of the newest at the default
 *       Ta. An answer to an older one would come after a round trip longer than the RTO, and by then
 *       a newer transaction of the same check has been answered too unless the path is lossy both
 *       ways; dropping it costs at most one more early check.
 * </ul>
 *
 * <p>The state lives in {@link PairEntry} (its early-series fields, written only here); this class
 * holds the schedule, computed once from the configuration. {@link OutgoingChecks} drives it.
 */
final class EarlyCheckSeries {
    /** The cap on the awaited transactions of one pair's check; see the class comment. */
    static final int MAX_AWAITED = 11;

    private final long ta;
    private final long rto;
    private final int fast;

    EarlyCheckSeries(CoreConfig config) {
        this.ta = config.pacing().toNanos();
        this.rto = Math.max(ta, config.checkSchedule().rto().toNanos());
        this.fast = (int) Math.max(1, Math.min(100, config.checkSchedule().rto().toNanos() / ta));
    }

    /**
     * A check that is not early starts on {@code pair} at {@code now}. With our nomination its series
     * begins, the first early check after Ta; so it does for the peer's nomination if this pair has had
     * no series for it yet; otherwise there is none.
     */
    void checkStarted(PairEntry pair, long now, boolean ourNomination) {
        if (ourNomination) {
            pair.hurries = 0;
            pair.hurryAt = now + interval(0);
        } else if (pair.nominateOnSuccess && !pair.peerSeriesArmed) {
            peerNominated(pair, now + interval(0));
        } else {
            ended(pair);
        }
    }

    /**
     * The peer nominated {@code pair} while our check on it is not yet successful: the series is armed
     * to start at {@code at}, unless this pair already had one for the peer's nomination.
     */
    void peerNominated(PairEntry pair, long at) {
        if (!pair.peerSeriesArmed) {
            pair.peerSeriesArmed = true;
            pair.hurries = 0;
            pair.hurryAt = at;
        }
    }

    /** An early check was started on {@code pair} at {@code now}: the next is due after the interval, if any is left. */
    void earlyCheckStarted(PairEntry pair, long now) {
        pair.hurries++;
        pair.hurryAt = pair.hurries < maxEarlyChecks() ? now + interval(pair.hurries) : Long.MAX_VALUE;
    }

    /** The series of {@code pair} ends: its check succeeded, failed or was forgotten. */
    void ended(PairEntry pair) {
        pair.hurryAt = Long.MAX_VALUE;
    }

    /** Whether an early check on {@code pair} is due at {@code now} (pacing is the caller's). */
    boolean due(PairEntry pair, long now) {
        return now >= pair.hurryAt;
    }

    /** Ta for as long as one RTO, then doubling up to the RTO. */
    long interval(int earlyChecks) {
        return earlyChecks < fast ? ta : Math.min(ta << Math.min(earlyChecks - fast + 1, 20), rto);
    }

    /** How many early checks a series starts: one RTO's worth at Ta, then eight more (about 4 s at the defaults). */
    int maxEarlyChecks() {
        return fast + 8;
    }

    /** How many transactions of one pair's check are awaited at most. */
    int awaitedPerPair() {
        return MAX_AWAITED;
    }
}
