package io.reactiveice;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
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

    private final String id;
    private final LatestValue<IceState> states = new LatestValue<>(IceState.NEW);
    private final LatestValue<CandidatePair> selectedPairs = new LatestValue<>(null);
    private volatile CandidatePair selected;
    private volatile IceState state = IceState.NEW;
    private volatile IceRole role;

    SessionEvents(String id, IceRole role) {
        this.id = id;
        this.role = role;
    }

    /** On the worker: the events of one drain and the core's role after it, before anything is sent. */
    void snapshot(List<IceEvent> events, IceRole roleNow) {
        for (IceEvent e : events) {
            if (e instanceof IceEvent.StateChanged s) {
                state = s.state();
            } else if (e instanceof IceEvent.SelectedPairChanged p) {
                selected = p.pair();
            }
        }
        role = roleNow;
    }

    /** On the worker: one event to the subscribers, after the drain's datagrams went out. */
    void emit(IceEvent e) {
        if (e instanceof IceEvent.StateChanged s) {
            log.info("[{}] ICE state {}", id, s.state());
            states.next(s.state());
            if (s.state() == IceState.FAILED || s.state() == IceState.CLOSED) {
                selectedPairs.complete();
                if (s.state() == IceState.CLOSED) {
                    states.complete();
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
        return states.flux();
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
