package io.reactiveice.agent;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why an ICE session failed: a closed set of typed values, each with a stable short name
 * ({@link #code()}, from {@link IceFailureKind}) for metrics and logs, and a {@link #message()} for
 * humans. What the session never had ({@link NoRemoteCredentials}, {@link NoRemoteCandidates},
 * {@link NoLocalCandidates}, {@link GatheringFailed}), what happened to each pair
 * ({@link ChecksFailed}, RFC 8445 section 7.2.5), that consent expired on the selected pair
 * ({@link ConsentLost}, RFC 7675 section 5.1), or that the application closed it ({@link Closed}).
 */
public sealed interface IceFailureReason {

    /** The kind, whose {@link IceFailureKind#code()} is the short name. */
    IceFailureKind kind();

    /** The stable short lower-case name, e.g. {@code checks-failed}: as {@link IceFailureKind#code()}. */
    default String code() {
        return kind().code();
    }

    /** The pairs that failed and why, in checklist order; empty where pairs are not the reason. */
    default List<PairFailure> pairs() {
        return List.of();
    }

    /** Gathering errors per server URL, as far as they are known when the session failed. */
    default List<GatheringError> gatheringErrors() {
        return List.of();
    }

    /** One line for a human, e.g. "checks failed on 3 pairs: 2 no response after 7 checks, 1 error 401". */
    String message();

    /** The peer's ufrag and password never arrived (RFC 8445 section 5.3), so no check could be sent. */
    record NoRemoteCredentials() implements IceFailureReason {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.NO_REMOTE_CREDENTIALS;
        }

        @Override
        public String message() {
            return "no remote credentials";
        }
    }

    /** The peer ended its candidates (RFC 8838 section 4) without signalling one, and none checked us. */
    record NoRemoteCandidates() implements IceFailureReason {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.NO_REMOTE_CANDIDATES;
        }

        @Override
        public String message() {
            return "no remote candidates";
        }
    }

    /** Gathering ended without a local candidate and without an error (e.g. no usable interface). */
    record NoLocalCandidates() implements IceFailureReason {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.NO_LOCAL_CANDIDATES;
        }

        @Override
        public String message() {
            return "no local candidates";
        }
    }

    /**
     * Gathering ended without a local candidate, and the servers it asked failed (e.g. a relay-only
     * session whose TURN server refused the allocation).
     *
     * @param gatheringErrors per server URL, the cause
     */
    record GatheringFailed(List<GatheringError> gatheringErrors) implements IceFailureReason {
        /** Copies the list. */
        public GatheringFailed {
            gatheringErrors = List.copyOf(gatheringErrors);
        }

        @Override
        public IceFailureKind kind() {
            return IceFailureKind.GATHERING_FAILED;
        }

        @Override
        public String message() {
            return "no local candidates: gathering failed (" + join(gatheringErrors) + ")";
        }
    }

    /**
     * Every candidate pair failed (RFC 8445 section 7.2.5) and the peer has no more candidates to give.
     *
     * @param pairs each pair and what happened to it
     * @param gatheringErrors per server URL, the cause, for the candidates that could not be gathered
     */
    record ChecksFailed(List<PairFailure> pairs, List<GatheringError> gatheringErrors) implements IceFailureReason {
        /** Copies the lists. */
        public ChecksFailed {
            pairs = List.copyOf(pairs);
            gatheringErrors = List.copyOf(gatheringErrors);
        }

        @Override
        public IceFailureKind kind() {
            return IceFailureKind.CHECKS_FAILED;
        }

        /** E.g. "checks failed on 3 pairs: 2 no response after 7 checks, 1 error 401". */
        @Override
        public String message() {
            if (pairs.isEmpty()) {
                return "checks failed: no candidate pair could be formed (transport or address family)"
                        + (gatheringErrors.isEmpty() ? "" : "; gathering errors: " + join(gatheringErrors));
            }
            Map<String, Integer> byCause = new LinkedHashMap<>();
            for (PairFailure p : pairs) {
                byCause.merge(p.cause().description(), 1, Integer::sum);
            }
            StringBuilder s = new StringBuilder("checks failed on ").append(pairs.size())
                    .append(pairs.size() == 1 ? " pair" : " pairs");
            String sep = ": ";
            for (Map.Entry<String, Integer> e : byCause.entrySet()) {
                s.append(sep).append(e.getValue()).append(' ').append(e.getKey());
                sep = ", ";
            }
            if (!gatheringErrors.isEmpty()) {
                s.append("; gathering errors: ").append(join(gatheringErrors));
            }
            return s.toString();
        }
    }

    /**
     * Consent expired on the selected pair (RFC 7675 section 5.1) and no other valid pair answered.
     *
     * @param pair the selected pair that lost consent
     * @param after how long it went without a consent response
     */
    record ConsentLost(CandidatePair pair, Duration after) implements IceFailureReason {
        /** Checks the fields. */
        public ConsentLost {
            Objects.requireNonNull(pair, "pair");
            Objects.requireNonNull(after, "after");
        }

        @Override
        public IceFailureKind kind() {
            return IceFailureKind.CONSENT_LOST;
        }

        @Override
        public List<PairFailure> pairs() {
            return List.of(new PairFailure(pair, new PairFailure.ConsentLost(after)));
        }

        @Override
        public String message() {
            return "consent lost after " + Durations.seconds(after) + " on " + pair;
        }
    }

    /** The application closed the session before it could carry data. */
    record Closed() implements IceFailureReason {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.CLOSED;
        }

        @Override
        public String message() {
            return "closed";
        }
    }

    private static String join(List<GatheringError> errors) {
        StringBuilder s = new StringBuilder();
        for (GatheringError e : errors) {
            s.append(s.length() == 0 ? "" : ", ").append(e);
        }
        return s.toString();
    }
}
