package io.reactiveice.stun;

import java.time.Duration;
import java.util.Objects;

/**
 * The timing of one STUN client transaction, sans-IO
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>): the
 * request is sent when the transaction starts and again on its {@link RetransmissionSchedule}, and the
 * transaction times out after the last send's final wait, unless a response ends it first. The one
 * mechanism behind connectivity checks, gathering, TURN and the STUN client.
 *
 * <p>No clock, no I/O: the owner passes {@code now} (nanoseconds of its clock), sends the request
 * itself whenever {@link #handleTimeout} says {@link Tick#RETRANSMIT}, and asks {@link #nextTimeout()}
 * when to call again. The RTO may be larger than the schedule's, as a connectivity check's is when
 * many checks are active (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-14.3">RFC 8445
 * section 14.3</a>). Not thread-safe: one owner, one context.
 */
public final class StunClientTransaction {
    /** What {@link #handleTimeout} found due. */
    public enum Tick {
        /** Nothing is due. */
        NONE,
        /** Send the request again now. */
        RETRANSMIT,
        /** The transaction timed out: no response will be waited for any longer. */
        TIMED_OUT
    }

    private static final long NEVER = Long.MAX_VALUE;

    private final TransactionId id;
    private final RetransmissionSchedule schedule;
    private final long rto;
    private final long startedAt;
    private int sends = 1;
    private long nextSendAt;
    private long timeoutAt;
    private boolean done;

    private StunClientTransaction(TransactionId id, RetransmissionSchedule schedule, long rto, long now, long timeoutAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.rto = rto;
        this.startedAt = now;
        this.nextSendAt = sends < schedule.sends() ? now + rto : NEVER;
        this.timeoutAt = timeoutAt;
    }

    /**
     * A transaction whose first send is now (the caller sends it), on {@code schedule}.
     *
     * @param now the owner's clock, in nanoseconds
     */
    public static StunClientTransaction start(TransactionId id, RetransmissionSchedule schedule, long now) {
        return start(id, schedule, schedule.rto().toNanos(), now);
    }

    /**
     * A transaction whose first send is now, on {@code schedule} but with an initial RTO of
     * {@code rtoNanos} (RFC 8445 section 14.3 for connectivity checks): sends at 0, RTO, 3 RTO, 7 RTO
     * ... and a timeout after the last send's Rm RTO (or the reliable timeout, for TCP).
     */
    public static StunClientTransaction start(TransactionId id, RetransmissionSchedule schedule, long rtoNanos, long now) {
        if (rtoNanos <= 0) {
            throw new IllegalArgumentException("rtoNanos must be positive but was " + rtoNanos);
        }
        RetransmissionSchedule s = schedule.isReliable() || rtoNanos == schedule.rto().toNanos()
                ? schedule : schedule.withRto(Duration.ofNanos(rtoNanos));
        return new StunClientTransaction(id, schedule, rtoNanos, now, now + s.total().toNanos());
    }

    /**
     * A transaction that replaces {@code earlier} (same check, a new request now) but keeps its
     * timeout: a check's early or triggered retransmission, which must not extend the check's life.
     */
    public static StunClientTransaction replacing(StunClientTransaction earlier, TransactionId id, long rtoNanos, long now) {
        Objects.requireNonNull(earlier, "earlier");
        return new StunClientTransaction(id, earlier.schedule, rtoNanos, now, earlier.timeoutAt);
    }

    /**
     * Runs what is due at {@code now}: the timeout first, then a retransmission (which the caller must
     * send). At most one retransmission per call, however late the call.
     */
    public Tick handleTimeout(long now) {
        if (done) {
            return Tick.NONE;
        }
        if (now >= timeoutAt) {
            done = true;
            return Tick.TIMED_OUT;
        }
        if (now >= nextSendAt) {
            sends++;
            nextSendAt = sends < schedule.sends() ? now + rto * (1L << Math.min(sends - 1, 30)) : NEVER;
            return Tick.RETRANSMIT;
        }
        return Tick.NONE;
    }

    /** When {@link #handleTimeout} should next run, or {@code Long.MAX_VALUE} once it is done. */
    public long nextTimeout() {
        return done ? NEVER : Math.min(nextSendAt, timeoutAt);
    }

    /** No more retransmissions, but the response is still awaited until the timeout (a replaced check's). */
    public void stopRetransmitting() {
        nextSendAt = NEVER;
    }

    /** A response (or an error) ended the transaction: nothing more is due. */
    public void complete() {
        done = true;
    }

    /** Whether the transaction is over: answered, or timed out. */
    public boolean isDone() {
        return done;
    }

    /** The transaction id. */
    public TransactionId id() {
        return id;
    }

    /** How many times the request was sent so far (the first send counts). */
    public int sends() {
        return sends;
    }

    /** When the first send went, on the owner's clock. */
    public long startedAt() {
        return startedAt;
    }

    /** When the transaction times out if nothing answers, on the owner's clock. */
    public long timeoutAt() {
        return timeoutAt;
    }

    @Override
    public String toString() {
        return "StunClientTransaction[" + id + ", sends " + sends + (done ? ", done" : "") + "]";
    }
}
