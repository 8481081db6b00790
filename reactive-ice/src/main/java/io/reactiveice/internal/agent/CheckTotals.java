package io.reactiveice.internal.agent;

/**
 * The STUN traffic of a whole session, summed over its pairs as {@link PairCounters} counts it per
 * pair, and kept when pairs leave the checklist (a restart, the pair limit): what a metrics recorder
 * reads ({@code IceMetrics.SessionCounters}). Written on the agent's serialized context only, one
 * writer, so each increment is a plain read and a volatile write, no atomic operation; volatile so
 * that another thread reading it (a metrics scrape) sees it without a lock, perhaps a check late.
 */
public final class CheckTotals {
    // single writer (the agent's context): x = x + 1 on a volatile is safe here, no lost update
    private volatile long checksSent;
    private volatile long retransmissionsSent;
    private volatile long consentChecksSent;
    private volatile long checksAnswered;
    private volatile long checksReceived;

    CheckTotals() {
    }

    void requestSent(PairCounters.Request kind) {
        switch (kind) {
            case CHECK -> checksSent = checksSent + 1;
            case RETRANSMISSION -> retransmissionsSent = retransmissionsSent + 1;
            case CONSENT -> consentChecksSent = consentChecksSent + 1;
        }
    }

    void responseReceived() {
        checksAnswered = checksAnswered + 1;
    }

    void requestAnswered() {
        checksReceived = checksReceived + 1;
    }

    /** New check transactions sent (W3C {@code requestsSent}, summed). */
    public long checksSent() {
        return checksSent;
    }

    /** Retransmissions of them. */
    public long retransmissionsSent() {
        return retransmissionsSent;
    }

    /** Consent checks sent, recovery checks included. */
    public long consentChecksSent() {
        return consentChecksSent;
    }

    /** Authenticated responses to our checks and consent checks (W3C {@code responsesReceived}, summed). */
    public long checksAnswered() {
        return checksAnswered;
    }

    /** The peer's authenticated checks, each answered (W3C {@code requestsReceived}, summed). */
    public long checksReceived() {
        return checksReceived;
    }
}
