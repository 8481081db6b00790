package io.reactiveice;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A value that changes over a session's life, as a stream that gives each subscriber the latest value
 * and then every later one, and completes once the value is final: what {@code Sinks.many().replay().latest()}
 * does, without holding a sink while nobody listens. A session keeps two of these (its state and its
 * selected pair), and an idle session's heap counts: a replay sink costs about 150 bytes, so the sink
 * is made by the first subscriber and let go when the last one leaves.
 *
 * <p>Written on one thread (the session's worker); subscribed to from any. The lock is taken only when
 * the value changes or a subscriber comes or goes, never on the data path.
 *
 * @param <T> the value's type
 */
final class LatestValue<T> {
    private T value; // guarded by this, as are the rest
    private boolean done;
    private Sinks.Many<T> sink;
    private int subscribers;

    /** A stream that starts with {@code initial}, or with nothing while it is {@code null}. */
    LatestValue(T initial) {
        this.value = initial;
    }

    /** The value changed: subscribers get it now, later subscribers start with it. */
    synchronized void next(T next) {
        value = next;
        if (sink != null) {
            sink.tryEmitNext(next);
        }
    }

    /** The value is final: subscribers complete now, later subscribers get it and complete at once. */
    synchronized void complete() {
        if (done) {
            return;
        }
        done = true;
        if (sink != null) {
            sink.tryEmitComplete();
            sink = null;
        }
    }

    /** The stream: the latest value (if any), then each change, then completion once it is final. */
    Flux<T> flux() {
        return Flux.defer(this::join);
    }

    private synchronized Flux<T> join() {
        if (done) {
            return value == null ? Flux.empty() : Flux.just(value);
        }
        if (sink == null) {
            sink = Sinks.many().replay().latest();
            if (value != null) {
                sink.tryEmitNext(value);
            }
        }
        Sinks.Many<T> joined = sink;
        subscribers++;
        return joined.asFlux().doFinally(signal -> left(joined));
    }

    private synchronized void left(Sinks.Many<T> joined) {
        if (sink == joined && --subscribers == 0) {
            sink = null;
        }
    }

    /** Whether a sink is held now: some subscriber listens (tests). */
    synchronized boolean listened() {
        return sink != null;
    }
}
