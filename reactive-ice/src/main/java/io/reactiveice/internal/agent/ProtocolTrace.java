package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceProtocolEvent;
import io.reactiveice.candidate.IceCandidate;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The agent's protocol steps as {@link IceProtocolEvent}s for debugging tools, into the event queue
 * as {@link IceEvent.Traced}, only while it is on: off (the default), every method returns at its
 * first line and nothing is built ({@link #built()} counts what was). Pair state changes and
 * nominations are found by comparing each pair with what was last reported ({@link #sweep}), so the
 * checklist's transitions need no hook; turned on, the first sweep reports every pair's state.
 */
final class ProtocolTrace {
    /**
     * The trace of every agent that nobody has traced yet, shared: always off, it builds nothing and
     * writes no field. An agent makes its own on the first {@code trace(now, true)}.
     */
    static final ProtocolTrace OFF = new ProtocolTrace(null);

    private final ArrayDeque<IceEvent> events;
    private boolean on;
    private long built;
    private long lastNow; // of the latest input, for the events the parts queue without a time

    ProtocolTrace(ArrayDeque<IceEvent> events) {
        this.events = events;
    }

    void on(boolean enabled) {
        if (this == OFF) {
            throw new IllegalStateException("the shared trace is always off");
        }
        on = enabled;
    }

    boolean on() {
        return on;
    }

    /** How many events were built: stays 0 while nobody turned the trace on. */
    long built() {
        return built;
    }

    void checkSent(long now, PairEntry pair, PairCounters.Request kind, boolean nominating) {
        if (on) {
            add(new IceProtocolEvent.CheckSent(now, pair.snapshot(), requestKind(kind), nominating));
        }
    }

    void responseReceived(long now, PairEntry pair, int errorCode, long rttNanos) {
        if (on) {
            add(new IceProtocolEvent.ResponseReceived(now, pair.snapshot(), errorCode, Duration.ofNanos(rttNanos)));
        }
    }

    void candidateAdded(long now, IceCandidate candidate, boolean local) {
        if (on) {
            add(new IceProtocolEvent.CandidateAdded(now, candidate, local));
        }
    }

    /** Our candidates on {@code base}, among {@code locals}, are about to be removed. */
    void localLost(long now, List<LocalCandidate> locals, InetSocketAddress base) {
        if (on) {
            for (LocalCandidate c : locals) {
                if (c.base().equals(base)) {
                    add(new IceProtocolEvent.CandidateRemoved(now, c.candidate()));
                }
            }
        }
    }

    /**
     * {@code polled}, just taken from the queue, taught the agent a peer-reflexive candidate: its
     * {@link IceProtocolEvent.CandidateAdded} is put first, to be polled next.
     */
    void discovered(IceEvent polled) {
        IceCandidate c = null;
        boolean local = false;
        if (polled instanceof IceEvent.RemoteCandidateDiscovered r) {
            c = r.candidate();
        } else if (polled instanceof IceEvent.LocalCandidateDiscovered l) {
            c = l.candidate();
            local = true;
        }
        if (on && c != null) {
            built++;
            events.addFirst(new IceEvent.Traced(new IceProtocolEvent.CandidateAdded(lastNow, c, local)));
        }
    }

    void consentLost(long now, PairEntry pair, Duration after) {
        if (on) {
            add(new IceProtocolEvent.ConsentLost(now, pair.snapshot(), after));
        }
    }

    /** Reports each pair whose state or nomination changed since it was last reported. */
    void sweep(long now, Iterable<PairEntry> pairs) {
        if (!on) {
            return; // the shared OFF's fields are never written
        }
        lastNow = now;
        for (PairEntry p : pairs) {
            if (p.tracedState != p.state) {
                p.tracedState = p.state;
                add(new IceProtocolEvent.PairStateChanged(now, p.snapshot(), Statistics.state(p.state),
                        p.state == PairState.FAILED ? p.failure : null));
            }
            if (p.nominated && !p.tracedNominated) {
                add(new IceProtocolEvent.Nominated(now, p.snapshot()));
            }
            p.tracedNominated = p.nominated;
        }
    }

    private void add(IceProtocolEvent e) {
        built++;
        events.add(new IceEvent.Traced(e));
    }

    private static IceProtocolEvent.RequestKind requestKind(PairCounters.Request kind) {
        return switch (kind) {
            case CHECK -> IceProtocolEvent.RequestKind.CHECK;
            case RETRANSMISSION -> IceProtocolEvent.RequestKind.RETRANSMISSION;
            case CONSENT -> IceProtocolEvent.RequestKind.CONSENT;
        };
    }
}
