package io.reactiveice.internal.turn;

import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;

/**
 * One outstanding TURN request: what it is for (kind, peer, channel, lifetime asked), its bytes and
 * the server it went to. Its timing is the one STUN client transaction engine,
 * {@link StunClientTransaction} (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC
 * 8489 section 6.2.1</a>). Plain state owned by {@link TurnTransactions}.
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

    final Kind kind;
    final byte[] request;
    final InetSocketAddress server;
    final InetSocketAddress peer;
    final int channel;
    final long lifetimeSeconds; // for REFRESH: what was asked (0 deletes), -1 for none
    final boolean authenticated;
    final StunClientTransaction timing; // its id is the request's

    /** The request's transaction id. */
    TransactionId id() {
        return timing.id();
    }

    TurnTransaction(TransactionId id, Kind kind, byte[] request, InetSocketAddress server, InetSocketAddress peer,
            int channel, long lifetimeSeconds, boolean authenticated, RetransmissionSchedule schedule, long now) {
        this.kind = kind;
        this.request = request;
        this.server = server;
        this.peer = peer;
        this.channel = channel;
        this.lifetimeSeconds = lifetimeSeconds;
        this.authenticated = authenticated;
        this.timing = StunClientTransaction.start(id, schedule, now);
    }
}
