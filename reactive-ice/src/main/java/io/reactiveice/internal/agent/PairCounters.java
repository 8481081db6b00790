package io.reactiveice.internal.agent;

/**
 * The STUN traffic of one candidate pair, as W3C webrtc-stats' {@code RTCIceCandidatePairStats}
 * counts it: the Binding requests we sent (new checks, their retransmissions and consent checks
 * apart, so that the three add up to every request on the wire), the peer's checks received and
 * answered, and the responses to ours with their round-trip times. Written by the core's parts that
 * send or take each message, on the agent's serialized context only; read by {@link Statistics}.
 */
final class PairCounters {
    /** New check transactions sent (a check, a triggered check, an early check), not retransmissions. */
    long requestsSent;
    /** Retransmissions of a check transaction (RFC 8489 section 6.2.1). */
    long retransmissionsSent;
    /** Consent checks sent (RFC 7675 section 5.1), recovery checks included. */
    long consentRequestsSent;
    /** Authenticated checks of the peer's that arrived on this pair. */
    long requestsReceived;
    /** Our answers to them. */
    long responsesSent;
    /** Authenticated responses to our requests on this pair, success or error. */
    long responsesReceived;
    /** The sum of their round-trip times, in nanoseconds. */
    long totalRoundTripNanos;
    /** The latest round-trip time, in nanoseconds; {@code -1} before the first response. */
    long currentRoundTripNanos = -1;

    /** What kind of Binding request of ours is sent. */
    enum Request {
        /** The first transmission of a check transaction. */
        CHECK,
        /** A retransmission of one. */
        RETRANSMISSION,
        /** A consent check. */
        CONSENT
    }

    void requestSent(Request kind) {
        switch (kind) {
            case CHECK -> requestsSent++;
            case RETRANSMISSION -> retransmissionsSent++;
            case CONSENT -> consentRequestsSent++;
        }
    }

    /** A check of the peer's arrived and was answered. */
    void requestAnswered() {
        requestsReceived++;
        responsesSent++;
    }

    /** A response to one of our requests, sent {@code rtt} nanoseconds before (its first transmission). */
    void responseReceived(long rtt) {
        responsesReceived++;
        totalRoundTripNanos += rtt;
        currentRoundTripNanos = rtt;
    }
}
