package io.reactiveice.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * Why one candidate pair failed (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.5">RFC 8445
 * section 7.2.5</a>): the pair and its {@link Cause}, recorded by the agent when the pair enters the
 * Failed state.
 *
 * @param pair the pair
 * @param cause what happened to it
 */
public record PairFailure(CandidatePair pair, Cause cause) {
    /** Checks the fields. */
    public PairFailure {
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(cause, "cause");
    }

    @Override
    public String toString() {
        return pair + ": " + cause.description();
    }

    /** What happened to a pair: a closed set, each with its {@link IceFailureKind}. */
    public sealed interface Cause {
        /** The kind, whose {@link IceFailureKind#code()} is the short name. */
        IceFailureKind kind();

        /** The short name, as {@link IceFailureKind#code()}. */
        default String code() {
            return kind().code();
        }

        /** A short phrase for a human, e.g. "no response after 7 checks" or "error 401". */
        String description();
    }

    /**
     * No response arrived to any of the check's transmissions (RFC 8445 section 14.3).
     *
     * @param checks how many requests were sent on the pair, retransmissions included
     */
    public record NoResponse(int checks) implements Cause {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.NO_RESPONSE;
        }

        @Override
        public String description() {
            return "no response after " + checks + (checks == 1 ? " check" : " checks");
        }
    }

    /**
     * The peer answered with an error response other than a role conflict (RFC 8445 section
     * 7.2.5.2.4), e.g. 400 or 401.
     *
     * @param errorCode the STUN error code (RFC 8489 section 14.8)
     * @param reasonPhrase the response's reason phrase, possibly empty
     */
    public record ErrorResponse(int errorCode, String reasonPhrase) implements Cause {
        /** Checks the fields. */
        public ErrorResponse {
            Objects.requireNonNull(reasonPhrase, "reasonPhrase");
        }

        @Override
        public IceFailureKind kind() {
            return IceFailureKind.ERROR_RESPONSE;
        }

        @Override
        public String description() {
            return "error " + errorCode;
        }
    }

    /**
     * A success response came from another address than the check went to (RFC 8445 section
     * 7.2.5.2.1).
     */
    public record NotSymmetric() implements Cause {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.NOT_SYMMETRIC;
        }

        @Override
        public String description() {
            return "response not symmetric";
        }
    }

    /** The pair's local candidate was removed: its interface went away or its relay allocation ended. */
    public record LocalCandidateLost() implements Cause {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.LOCAL_CANDIDATE_LOST;
        }

        @Override
        public String description() {
            return "local candidate lost";
        }
    }

    /** The pair's ICE-TCP connection closed or could not be opened (RFC 6544 section 7.2). */
    public record ConnectionClosed() implements Cause {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.CONNECTION_CLOSED;
        }

        @Override
        public String description() {
            return "connection closed";
        }
    }

    /** Sending to the remote address failed (no route, ICMP unreachable). */
    public record Unreachable() implements Cause {
        @Override
        public IceFailureKind kind() {
            return IceFailureKind.UNREACHABLE;
        }

        @Override
        public String description() {
            return "unreachable";
        }
    }

    /**
     * The pair was valid, then consent expired (RFC 7675 section 5.1).
     *
     * @param after how long the pair went without a consent response
     */
    public record ConsentLost(Duration after) implements Cause {
        /** Checks the fields. */
        public ConsentLost {
            Objects.requireNonNull(after, "after");
        }

        @Override
        public IceFailureKind kind() {
            return IceFailureKind.CONSENT_LOST;
        }

        @Override
        public String description() {
            return "consent lost after " + Durations.seconds(after);
        }
    }
}
