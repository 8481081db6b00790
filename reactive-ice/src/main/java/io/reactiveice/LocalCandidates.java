package io.reactiveice;

import io.reactiveice.candidate.IceCandidate;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A session's local candidates as signalled to the peer, one generation per ICE restart (RFC 8445
 * section 9, RFC 8838 end-of-candidates): each generation replays to late subscribers and completes
 * when gathering is, and a restart's new generation is the same set again, on the same sockets.
 * Written on the session's worker only; subscribed to from any thread.
 *
 * <p>A replay sink exists only while a generation is still gathering and someone subscribed to it;
 * a complete generation is replayed from the list of candidates itself. An idle session's heap
 * counts, and most sessions are idle long after gathering completed.
 */
final class LocalCandidates {
    /**
     * The chunk size of a generation's replay buffer: a session has a handful of candidates, and
     * Reactor's default chunk (256 slots) would be most of an idle lite session's heap.
     */
    private static final int CANDIDATE_BATCH = 8;

    private final List<IceCandidate> gathered = new ArrayList<>(2); // guarded by this, as are the rest
    private boolean complete;
    private boolean closed;
    /** The current generation's subscribers while it gathers, or {@code null}. */
    private Sinks.Many<IceCandidate> live;

    /** The current generation. */
    Flux<IceCandidate> flux() {
        return Flux.defer(this::join);
    }

    private synchronized Flux<IceCandidate> join() {
        if (complete || closed) {
            return Flux.fromIterable(List.copyOf(gathered));
        }
        if (live == null) {
            live = Sinks.many().replay().all(CANDIDATE_BATCH);
            gathered.forEach(live::tryEmitNext);
        }
        return live.asFlux();
    }

    /** A candidate gathered, as the peer sees it. */
    synchronized void gathered(IceCandidate signalled) {
        gathered.add(signalled);
        if (live != null) {
            live.tryEmitNext(signalled);
        }
    }

    /** Gathering is complete: end-of-candidates. */
    synchronized void complete() {
        complete = true;
        endGeneration();
    }

    /** After a restart: the old generation completes and a new one replays what was gathered. */
    synchronized void nextGeneration() {
        endGeneration();
    }

    /** The session closed: the current generation completes. */
    synchronized void close() {
        closed = true;
        endGeneration();
    }

    private void endGeneration() {
        if (live != null) {
            live.tryEmitComplete();
            live = null;
        }
    }
}
