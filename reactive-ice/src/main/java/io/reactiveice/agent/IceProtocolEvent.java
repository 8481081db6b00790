package io.reactiveice.agent;

import io.reactiveice.candidate.IceCandidate;
import java.time.Duration;

/**
 * One step of a session's ICE protocol, for debugging tools (what chrome://webrtc-internals shows of
 * ICE): a check sent, a response received, a pair's state changed, a nomination, consent lost, a
 * candidate added or removed. Each carries {@link #timestampNanos()}, the session's scheduler clock
 * ({@code Scheduler.now(NANOSECONDS)}) when the agent handled it. Only built while someone subscribes.
 */
public sealed interface IceProtocolEvent {

    /** When it happened, in nanoseconds of the session's scheduler clock. */
    long timestampNanos();

    /** What kind of Binding request of ours went out. */
    enum RequestKind {
        /** The first transmission of a connectivity check (RFC 8445 section 7.2.4). */
        CHECK,
        /** A retransmission of one (RFC 8489 section 6.2.1). */
        RETRANSMISSION,
        /** A consent check, or a recovery check of the selected pair or a backup (RFC 7675 section 5.1). */
        CONSENT
    }

    /**
     * A Binding request of ours was sent on a pair.
     *
     * @param timestampNanos when
     * @param pair the pair
     * @param kind check, retransmission or consent check
     * @param nominating it carries USE-CANDIDATE (RFC 8445 section 8.1.1)
     */
    record CheckSent(long timestampNanos, CandidatePair pair, RequestKind kind, boolean nominating)
            implements IceProtocolEvent {
    }

    /**
     * An authentic response to one of our requests arrived (RFC 8445 section 7.2.5).
     *
     * @param timestampNanos when
     * @param pair the pair its request went out on
     * @param errorCode 0 for a success response, else the STUN error code (e.g. 487)
     * @param roundTrip since the request it answers was first sent
     */
    record ResponseReceived(long timestampNanos, CandidatePair pair, int errorCode, Duration roundTrip)
            implements IceProtocolEvent {
    }

    /**
     * A pair's checklist state changed (RFC 8445 section 6.1.2.6); when it failed, why.
     *
     * @param timestampNanos when
     * @param pair the pair
     * @param state its new state
     * @param failure why it failed, or {@code null} unless {@code state} is FAILED
     */
    record PairStateChanged(long timestampNanos, CandidatePair pair, CandidatePairState state,
            PairFailure.Cause failure) implements IceProtocolEvent {
    }

    /**
     * A pair was nominated, by our USE-CANDIDATE or the peer's (RFC 8445 section 8.1).
     *
     * @param timestampNanos when
     * @param pair the pair
     */
    record Nominated(long timestampNanos, CandidatePair pair) implements IceProtocolEvent {
    }

    /**
     * Consent expired on the selected pair (RFC 7675 section 5.1).
     *
     * @param timestampNanos when
     * @param pair the pair
     * @param after how long it went without a consent response
     */
    record ConsentLost(long timestampNanos, CandidatePair pair, Duration after) implements IceProtocolEvent {
    }

    /**
     * A candidate joined the agent: one of ours gathered or learned as peer-reflexive, or one of the
     * peer's signalled or learned from its check.
     *
     * @param timestampNanos when
     * @param candidate the candidate
     * @param local ours ({@code true}) or the peer's
     */
    record CandidateAdded(long timestampNanos, IceCandidate candidate, boolean local) implements IceProtocolEvent {
    }

    /**
     * One of our candidates was removed: its address disappeared or its relay allocation ended.
     *
     * @param timestampNanos when
     * @param candidate the candidate
     */
    record CandidateRemoved(long timestampNanos, IceCandidate candidate) implements IceProtocolEvent {
    }
}
