package io.reactiveice;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceProtocolEvent;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStateChange;
import io.reactiveice.internal.agent.IceEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * What a session tells other threads about its core: the snapshots (state, selected pair, role) that
 * any thread reads, and the fan-out of the core's events to the states and selected pairs
 * subscribers. Both are written on the session's worker only, the snapshots before the drain's
 * datagrams go out and the events after, so that whoever reacts to an event sees the state that goes
 * with it.
 */
final class SessionEvents {
    private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

    private static final IceStateChange NEW = IceStateChange.of(IceState.NEW);
    private static final IceFailureReason CLOSED_REASON = new IceFailureReason.Closed();
    private final LatestValue<IceStateChange> states = new LatestValue<>(NEW);
    private final LatestValue<CandidatePair> selectedPairs = new LatestValue<>(null);
    private volatile CandidatePair selected;
    private volatile IceState state = IceState.NEW;
    private volatile IceRole role;
    private volatile IceFailureReason failureReason;
    private volatile ProtocolEvents protocol; // made by the first protocolEvents() call (an idle session's heap counts)

    SessionEvents(IceRole role) {
        this.role = role;
    }

    /** On the worker: the events of one drain and the core's role after it, before anything is sent. */
    void snapshot(List<IceEvent> events, IceRole roleNow) {
        for (IceEvent e : events) {
            if (e instanceof IceEvent.StateChanged s) {
                state = s.state();
                if (s.reason() != null) {
                    failureReason = s.reason();
                }
            } else if (e instanceof IceEvent.SelectedPairChanged p) {
                selected = p.pair();
            }
        }
        role = roleNow;
    }

    /**
     * On the worker: one event to the subscribers, after the drain's datagrams went out; {@code id} is
     * the session's, for the log (the session holds it: an idle session's heap counts).
     */
    void emit(IceEvent e, String id) {
        if (e instanceof IceEvent.Traced t) {
            ProtocolEvents p = protocol;
            if (p != null) {
                p.emit(t.event());
            }
        } else if (e instanceof IceEvent.StateChanged s) {
            if (s.reason() != null) {
                log.info("[{}] ICE state {}: {} ({})", id, s.state(), s.reason().code(), s.reason().message());
            } else {
                log.info("[{}] ICE state {}", id, s.state());
            }
            states.next(s.reason() != null ? IceStateChange.failed(s.reason()) : IceStateChange.of(s.state()));
            if (s.state() == IceState.FAILED || s.state() == IceState.CLOSED) {
                selectedPairs.complete();
                if (s.state() == IceState.CLOSED) {
                    states.complete();
                    closeProtocol();
                }
            }
        } else if (e instanceof IceEvent.SelectedPairChanged p) {
            log.info("[{}] selected pair {}", id, p.pair());
            selectedPairs.next(p.pair());
        } else if (log.isDebugEnabled()) {
            log.debug("[{}] {}", id, e);
        }
    }

    Flux<IceState> states() {
        return states.flux().map(IceStateChange::state);
    }

    Flux<IceStateChange> stateChanges() {
        return states.flux();
    }

    IceFailureReason failureReason() {
        return failureReason;
    }

    /**
     * The error for {@code context}, something that cannot be done now: with the reason the session
     * failed, or {@link IceFailureReason.Closed} once it is closed without one.
     */
    IceFailedException failed(String context) {
        IceFailureReason reason = failureReason;
        if (reason == null && state == IceState.CLOSED) {
            reason = CLOSED_REASON;
        }
        return reason == null ? new IceFailedException(context) : new IceFailedException(context, reason);
    }

    /** The protocol events; {@code trace} turns the core's trace on and off (on the worker). */
    Flux<IceProtocolEvent> protocolEvents(java.util.function.Consumer<Boolean> trace) {
        ProtocolEvents p = protocol;
        if (p == null) {
            synchronized (this) {
                p = protocol;
                if (p == null) {
                    p = new ProtocolEvents(trace);
                    protocol = p;
                    if (state == IceState.CLOSED) {
                        p.complete();
                    }
                }
            }
        }
        return p.flux();
    }

    private synchronized void closeProtocol() {
        if (protocol != null) {
            protocol.complete();
        }
    }

    Flux<CandidatePair> selectedPairs() {
        return selectedPairs.flux();
    }

    IceState state() {
        return state;
    }

    CandidatePair selected() {
        return selected;
    }

    IceRole role() {
        return role;
    }
}
