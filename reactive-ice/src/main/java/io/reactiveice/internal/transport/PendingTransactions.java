package io.reactiveice.internal.transport;

import io.reactiveice.stun.TransactionId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * The client transactions of one socket that wait for a response, by transaction id: a response is
 * matched to its request by that id alone, and one that matches none is not ours
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.3">RFC 8489 section 6.3</a>). Each
 * entry lives exactly as long as its transaction's {@code Mono}: from subscription until it
 * answers, fails or is cancelled. Safe for any thread: the receive path looks up, the transactions
 * add and remove.
 *
 * @param <P> what the receive path needs to complete a transaction (e.g. its sink and key)
 */
public final class PendingTransactions<P> {
    /**
     * How many finished transactions are remembered, so that a late answer to one (the answer to a
     * retransmission, RFC 8489 section 6.2.1) is told apart from an answer that was never ours.
     */
    static final int FINISHED_REMEMBERED = 32;

    private final Map<TransactionId, P> pending = new ConcurrentHashMap<>();
    private final boolean remembers; // only a table whose owner asks finishedRecently keeps the ring
    private TransactionId[] finished; // a ring, made with the first finished transaction; under this object's lock
    private int nextFinished;

    /** A table that forgets a transaction when it finishes. */
    public PendingTransactions() {
        this(false);
    }

    private PendingTransactions(boolean remembers) {
        this.remembers = remembers;
    }

    /**
     * A table that also remembers its last {@value #FINISHED_REMEMBERED} finished transactions, for
     * {@link #finishedRecently}.
     */
    public static <P> PendingTransactions<P> rememberingFinished() {
        return new PendingTransactions<>(true);
    }

    /**
     * The transaction, with {@code waiting} registered under {@code id} while it runs: from before
     * {@code transaction} is subscribed (so before its first send) until it terminates or is cancelled.
     *
     * @param <T> the response type
     * @param id the request's transaction id
     * @param waiting what {@link #get} returns for a response with this id
     * @param transaction the transaction, e.g. {@link StunTransaction#run}
     * @return the transaction
     */
    public <T> Mono<T> track(TransactionId id, P waiting, Mono<T> transaction) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(waiting, "waiting");
        Objects.requireNonNull(transaction, "transaction");
        return Mono.defer(() -> {
            pending.put(id, waiting);
            return transaction.doFinally(signal -> {
                pending.remove(id, waiting);
                if (remembers) {
                    remember(id);
                }
            });
        });
    }

    private synchronized void remember(TransactionId id) {
        if (finished == null) { // most tables never see a transaction finish: an idle session's heap counts
            finished = new TransactionId[FINISHED_REMEMBERED];
        }
        finished[nextFinished] = id;
        nextFinished = (nextFinished + 1) % finished.length;
    }

    /**
     * Whether {@code id} is one of the last {@value #FINISHED_REMEMBERED} transactions that finished
     * here (always {@code false} for a table made without {@link #rememberingFinished()}): a response with it is a late duplicate (the server answered a retransmission too), not a
     * stranger's.
     */
    public synchronized boolean finishedRecently(TransactionId id) {
        if (finished != null) {
            for (TransactionId f : finished) {
                if (id.equals(f)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What waits for a response with this id, or {@code null} if nothing does. */
    public P get(TransactionId id) {
        return pending.get(id);
    }

    /** Whether no transaction waits (checked first, to skip decoding on a socket that is done with STUN). */
    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** How many transactions wait. */
    public int size() {
        return pending.size();
    }
}
