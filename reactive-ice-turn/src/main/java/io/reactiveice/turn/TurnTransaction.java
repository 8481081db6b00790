package io.reactiveice.turn;

import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;

/**
 * One outstanding TURN request and its retransmission timing
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>):
 * sent at creation, resent on the schedule, timed out after the final wait. Plain state owned by
 * {@link TurnAllocation}.
 */
final class TurnTransaction {
    /** What the request is for. */
    enum Kind {
        ALLOCATE(StunMethod.ALLOCATE), REFRESH(StunMethod.REFRESH),
        CREATE_PERMISSION(StunMethod.CREATE_PERMISSION), CHANNEL_BIND(StunMethod.CHANNEL_BIND);

        final StunMethod method;

        Kind(StunMethod method) {
            this.method = method;
        }
    }

    static final long NEVER = Long.MAX_VALUE;

    final TransactionId id;
    final Kind kind;
    final byte[] request;
    final InetSocketAddress server;
    final InetSocketAddress peer;
    final int channel;
    final long lifetimeSeconds; // for REFRESH: what was asked (0 deletes), -1 for none
    final boolean authenticated;
    final long started;
    private final RetransmissionSchedule schedule;
    int sends;
    long nextSendAt;
    long deadline;

    TurnTransaction(TransactionId id, Kind kind, byte[] request, InetSocketAddress server, InetSocketAddress peer,
            int channel, long lifetimeSeconds, boolean authenticated, RetransmissionSchedule schedule, long now) {
        this.id = id;
        this.kind = kind;
        this.request = request;
        this.server = server;
        this.peer = peer;
        this.channel = channel;
        this.lifetimeSeconds = lifetimeSeconds;
        this.authenticated = authenticated;
        this.schedule = schedule;
        this.started = now;
        sent(now);
    }

    /** Records a send at {@code now} and works out the next event. */
    void sent(long now) {
        sends++;
        if (sends < schedule.sends()) {
            nextSendAt = now + schedule.gapBefore(sends).toNanos();
            deadline = NEVER;
        } else {
            nextSendAt = NEVER;
            deadline = now + schedule.finalWait().toNanos();
        }
    }

    /** The earliest instant this transaction needs attention. */
    long nextEvent() {
        return Math.min(nextSendAt, deadline);
    }
}
