package io.reactiveice;

import io.reactiveice.agent.IceProtocolEvent;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A session's stream of {@link IceProtocolEvent}s, for debugging tools: the core builds them only
 * while someone subscribes here. The first subscriber turns the core's trace on and the last one to
 * leave turns it off ({@code trace}, which runs on the session's worker); until then, and after, no
 * event is built and this holds no sink. The first subscriber gets every event from when the trace
 * was turned on, later ones from when they joined; up to {@value #BUFFER} wait for the slowest
 * subscriber's demand, and newer ones are dropped beyond that; the stream completes when the session
 * is closed.
 */
final class ProtocolEvents {
    static final int BUFFER = 4096;

    private final Consumer<Boolean> trace;
    private volatile Sinks.Many<IceProtocolEvent> sink; // written under this; read by the worker when it emits
    private int subscribers; // guarded by this
    private boolean done;

    ProtocolEvents(Consumer<Boolean> trace) {
        this.trace = trace;
    }

    Flux<IceProtocolEvent> flux() {
        return Flux.defer(this::join);
    }

    private synchronized Flux<IceProtocolEvent> join() {
        if (done) {
            return Flux.empty();
        }
        if (sink == null) {
            // buffers what the core reports before the first subscriber is in (its turning on may run
            // first, on the worker), and for the slowest subscriber; beyond BUFFER, events are dropped
            sink = Sinks.many().multicast().onBackpressureBuffer(BUFFER, false);
            trace.accept(true);
        }
        Sinks.Many<IceProtocolEvent> joined = sink;
        subscribers++;
        return joined.asFlux().doFinally(signal -> left(joined));
    }

    private synchronized void left(Sinks.Many<IceProtocolEvent> joined) {
        if (sink == joined && --subscribers == 0) {
            sink = null;
            if (!done) {
                trace.accept(false);
            }
        }
    }

    /** On the worker: one event to the subscribers. */
    void emit(IceProtocolEvent e) {
        Sinks.Many<IceProtocolEvent> s = sink;
        if (s != null) {
            s.tryEmitNext(e);
        }
    }

    /** The session closed: subscribers complete, later ones get nothing. */
    synchronized void complete() {
        done = true;
        if (sink != null) {
            sink.tryEmitComplete();
            sink = null;
        }
    }
}
