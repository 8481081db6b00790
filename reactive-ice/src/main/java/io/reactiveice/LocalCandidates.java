package io.reactiveice;

import io.reactiveice.candidate.IceCandidate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A session's local candidates as signalled to the peer, one generation per ICE restart (RFC 8445
 * section 9, RFC 8838 end-of-candidates): each generation replays to late subscribers and completes
 * when gathering is, and a restart's new generation is the same set again, on the same sockets.
 * Written on the session's worker only.
 */
final class LocalCandidates {
    /**
     * The chunk size of a generation's replay buffer: a session has a handful of candidates, and
     * Reactor's default chunk (256 slots) would be most of an idle lite session's heap.
     */
    private static final int CANDIDATE_BATCH = 8;

    private volatile Sinks.Many<IceCandidate> generation = Sinks.many().replay().all(CANDIDATE_BATCH);
    private final List<IceCandidate> gathered = new CopyOnWriteArrayList<>();
    private boolean complete;

    /** The current generation. */
    Flux<IceCandidate> flux() {
        return generation.asFlux();
    }

    /** A candidate gathered, as the peer sees it. */
    void gathered(IceCandidate signalled) {
        gathered.add(signalled);
        generation.tryEmitNext(signalled);
    }

    /** Gathering is complete: end-of-candidates. */
    void complete() {
        complete = true;
        generation.tryEmitComplete();
    }

    /** After a restart: the old generation completes and a new one replays what was gathered. */
    void nextGeneration() {
        Sinks.Many<IceCandidate> next = Sinks.many().replay().all(CANDIDATE_BATCH);
        Sinks.Many<IceCandidate> old = generation;
        generation = next;
        old.tryEmitComplete();
        gathered.forEach(next::tryEmitNext);
        if (complete) {
            next.tryEmitComplete();
        }
    }

    /** The session closed: the current generation completes. */
    void close() {
        generation.tryEmitComplete();
    }
}
