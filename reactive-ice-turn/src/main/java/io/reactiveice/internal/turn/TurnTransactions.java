package io.reactiveice.internal.turn;

import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.internal.turn.TurnTransaction.Kind;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.turn.TurnTimeoutException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The allocation's outstanding requests
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>): each
 * encoded, sent and retransmitted on its {@link StunClientTransaction}, matched to its response by
 * transaction id, and timed out into a {@link TurnTimeoutException}. Plain state owned by
 * {@link TurnAllocation}; sends go to its transmit queue.
 */
final class TurnTransactions {
    private final Map<TransactionId, TurnTransaction> pending = new LinkedHashMap<>();
    private final TurnRequests requests;
    private final RandomGenerator random;
    private final RetransmissionSchedule schedule;
    private final Queue<Transmit> transmits;

    TurnTransactions(TurnRequests requests, RandomGenerator random, RetransmissionSchedule schedule,
            Queue<Transmit> transmits) {
        this.requests = requests;
        this.random = random;
        this.schedule = schedule;
        this.transmits = transmits;
    }

    /** Encodes a new request with a fresh transaction id, sends it to {@code server} and awaits its response. */
    void send(Kind kind, InetSocketAddress peer, int channel, long lifetimeSeconds, LongTermAuth auth,
            InetSocketAddress server, long now) {
        TransactionId id = TransactionId.random(random);
        byte[] bytes = requests.encode(kind, id, peer, channel, lifetimeSeconds, auth);
        pending.put(id, new TurnTransaction(id, kind, bytes, server, peer, channel, lifetimeSeconds, auth != null,
                schedule, now));
        transmits.add(new Transmit(null, server, bytes));
    }

    /** The request this id answers, or {@code null}. */
    TurnTransaction get(TransactionId id) {
        return pending.get(id);
    }

    /** The request is answered: it is no longer awaited. */
    void remove(TurnTransaction t) {
        pending.remove(t.id());
        t.timing.complete();
    }

    /** No request is awaited any more. */
    void clear() {
        pending.values().forEach(t -> t.timing.complete());
        pending.clear();
    }

    /**
     * Retransmits what is due at {@code now} and removes what timed out, telling {@code onTimeout} at
     * once (it may clear the table: the requests it cleared are then not looked at).
     */
    void handleTimeout(long now, BiConsumer<TurnTransaction, TurnTimeoutException> onTimeout) {
        for (TurnTransaction t : new ArrayList<>(pending.values())) {
            if (pending.get(t.id()) != t) {
                continue;
            }
            switch (t.timing.handleTimeout(now)) {
                case RETRANSMIT -> transmits.add(new Transmit(null, t.server, t.request));
                case TIMED_OUT -> {
                    pending.remove(t.id());
                    onTimeout.accept(t, new TurnTimeoutException(t.server, t.kind.method.name(), t.timing.sends(),
                            Duration.ofNanos(now - t.timing.startedAt())));
                }
                case NONE -> {
                }
            }
        }
    }

    /** When {@link #handleTimeout} must run next, or {@link TurnTransaction#NEVER}. */
    long nextTimeout() {
        long next = TurnTransaction.NEVER;
        for (TurnTransaction t : pending.values()) {
            next = Math.min(next, t.timing.nextTimeout());
        }
        return next;
    }
}
