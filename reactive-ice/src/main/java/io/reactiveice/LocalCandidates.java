package io.reactiveice;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.candidate.CandidateChange;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
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
 *
 * <p>What changes after a generation completed (issue 13: a candidate gathered on a new address, one
 * withdrawn with its address) goes to the subscribers of {@link #changes()}, and into the list a new
 * generation replays; a sink for them exists only once someone subscribed.
 */
final class LocalCandidates {
    /**
     * The chunk size of a generation's replay buffer: a session has a handful of candidates, and
     * Reactor's default chunk (256 slots) would be most of an idle lite session's heap.
     */
    private static final int CANDIDATE_BATCH = 8;

    private final List<IceCandidate> gathered = new ArrayList<>(2); // guarded by this, as are the rest
    private final List<InetSocketAddress> bases = new ArrayList<>(2); // the base of each of gathered
    private boolean complete;
    private boolean closed;
    /** The current generation's subscribers while it gathers, or {@code null}. */
    private Sinks.Many<IceCandidate> live;
    /** The subscribers of {@link #changes()}, or {@code null} before the first. */
    private Sinks.Many<CandidateChange> changes;
    /** The subscribers of {@link #restarts()}, or {@code null} before the first. */
    private Sinks.Many<IceCredentials> restarts;

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

    /** The changes after a generation completed, from subscription on; completes when the session closes. */
    Flux<CandidateChange> changes() {
        return Flux.defer(this::joinChanges);
    }

    private synchronized Flux<CandidateChange> joinChanges() {
        if (closed) {
            return Flux.empty();
        }
        if (changes == null) {
            changes = Sinks.many().multicast().directBestEffort();
        }
        return changes.asFlux();
    }

    /** The credentials of each new generation, from subscription on; completes when the session closes. */
    Flux<IceCredentials> restarts() {
        return Flux.defer(this::joinRestarts);
    }

    private synchronized Flux<IceCredentials> joinRestarts() {
        if (closed) {
            return Flux.empty();
        }
        if (restarts == null) {
            restarts = Sinks.many().multicast().directBestEffort();
        }
        return restarts.asFlux();
    }

    /** Whether gathering has completed (the first generation ended with end-of-candidates). */
    synchronized boolean gatheringComplete() {
        return complete;
    }

    /**
     * A candidate gathered on {@code base}, as the peer sees it: part of the current generation while it
     * gathers, a {@link CandidateChange.Added} after it completed.
     */
    synchronized void gathered(IceCandidate signalled, InetSocketAddress base) {
        gathered.add(signalled);
        bases.add(base);
        if (live != null) {
            live.tryEmitNext(signalled);
        } else if (complete && changes != null) {
            changes.tryEmitNext(new CandidateChange.Added(signalled));
        }
    }

    /** The candidates on {@code base} can no longer be used: each is a {@link CandidateChange.Removed}. */
    synchronized void removed(InetSocketAddress base) {
        for (int i = gathered.size() - 1; i >= 0; i--) {
            if (bases.get(i).equals(base)) {
                IceCandidate c = gathered.remove(i);
                bases.remove(i);
                if (changes != null) {
                    changes.tryEmitNext(new CandidateChange.Removed(c));
                }
            }
        }
    }

    /** Gathering is complete: end-of-candidates. */
    synchronized void complete() {
        complete = true;
        endGeneration();
    }

    /**
     * After a restart (ours, or the peer's): the old generation completes, a new one replays what was
     * gathered, and the subscribers of {@link #restarts()} get {@code credentials}, ours for the new
     * ICE session, after which {@link #flux()} is the new generation.
     */
    void nextGeneration(IceCredentials credentials) {
        Sinks.Many<IceCredentials> listening;
        synchronized (this) {
            endGeneration();
            listening = restarts;
        }
        if (listening != null) {
            listening.tryEmitNext(credentials); // outside the lock: a subscriber joins the new generation
        }
    }

    /** The session closed: the current generation completes. */
    synchronized void close() {
        closed = true;
        endGeneration();
        if (changes != null) {
            changes.tryEmitComplete();
        }
        if (restarts != null) {
            restarts.tryEmitComplete();
        }
    }

    private void endGeneration() {
        if (live != null) {
            live.tryEmitComplete();
            live = null;
        }
    }
}
