package io.reactiveice;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceFailureKind;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceState;
import io.reactiveice.internal.agent.CheckTotals;
import io.reactiveice.internal.agent.IceAgentCore;
import io.reactiveice.internal.agent.IceEvent;
import java.time.Duration;

/**
 * What one session tells its {@link IceMetrics}: the state changes, the first connection and
 * selection with their times, the selected pair's changes and why it failed (the short name of its
 * {@link IceFailureReason}, {@link IceFailureKind#codeOf}), from the core's events
 * on the session's worker (one writer: plain fields), and its counts, read by the recorder on any
 * thread from the core's {@link CheckTotals} and the data path's {@link SessionTraffic}. Made only for
 * a session whose agent has metrics; a session without has none, and nothing of this runs.
 */
final class SessionMeters implements IceMetrics.SessionCounters {
    private final IceMetrics metrics;
    private final CheckTotals checks;
    private final SessionTraffic traffic;
    private final boolean lite;
    private final long startedAt;
    private IceState state = IceState.NEW;
    private boolean connected;
    private CandidatePair selected;
    private boolean closed;

    /**
     * @param metrics where to report
     * @param core the session's core, whose check totals are read
     * @param traffic the session's application datagrams
     * @param lite whether the agent is ICE-lite (its consent is the peer's checks)
     * @param now the session's clock at its start, in nanoseconds
     */
    SessionMeters(IceMetrics metrics, IceAgentCore core, SessionTraffic traffic, boolean lite, long now) {
        this.metrics = metrics;
        this.checks = core.checkTotals();
        this.traffic = traffic;
        this.lite = lite;
        this.startedAt = now;
        metrics.sessionStarted(this);
    }

    /** On the worker: one of the core's events, as it reaches the subscribers, at {@code now}. */
    void event(IceEvent e, long now) {
        if (e instanceof IceEvent.StateChanged s) {
            stateChanged(s.state(), s.reason(), now);
        } else if (e instanceof IceEvent.SelectedPairChanged p) {
            CandidatePair before = selected;
            selected = p.pair();
            if (before == null) {
                metrics.firstPairSelected(since(now));
            }
            if (before == null || !samePath(before, p.pair())) { // not the same path with its signalled candidate
                metrics.selectedPairChanged();
            }
        }
    }

    private void stateChanged(IceState next, IceFailureReason reason, long now) {
        IceState before = state;
        if (next == before || before == IceState.CLOSED) {
            return;
        }
        state = next;
        metrics.sessionStateChanged(before, next);
        if (!connected && (next == IceState.CONNECTED || next == IceState.COMPLETED)) {
            connected = true;
            metrics.sessionConnected(since(now));
        }
        if (next == IceState.FAILED) {
            metrics.sessionFailed(IceFailureKind.codeOf(reason)); // the one map to short names
            if (reason instanceof IceFailureReason.ConsentLost) {
                metrics.consentLost(lite ? "peer-silent" : "timeout");
            }
        }
    }

    /** On the worker, once, after CLOSED went out: the final counts. */
    void closed() {
        if (!closed) {
            closed = true;
            metrics.sessionClosed(this);
        }
    }

    private Duration since(long now) {
        return Duration.ofNanos(now - startedAt);
    }

    private static boolean samePath(CandidatePair a, CandidatePair b) {
        return a.base().equals(b.base()) && a.remoteAddress().equals(b.remoteAddress());
    }

    // ---- the counts, any thread

    @Override
    public long checksSent() {
        return checks.checksSent();
    }

    @Override
    public long checkRetransmissions() {
        return checks.retransmissionsSent();
    }

    @Override
    public long consentChecksSent() {
        return checks.consentChecksSent();
    }

    @Override
    public long checksAnswered() {
        return checks.checksAnswered();
    }

    @Override
    public long checksReceived() {
        return checks.checksReceived();
    }

    @Override
    public long datagramsSent() {
        return traffic.totals(SessionTraffic.Total.PACKETS_SENT);
    }

    @Override
    public long bytesSent() {
        return traffic.totals(SessionTraffic.Total.BYTES_SENT);
    }

    @Override
    public long datagramsReceived() {
        return traffic.totals(SessionTraffic.Total.PACKETS_RECEIVED);
    }

    @Override
    public long bytesReceived() {
        return traffic.totals(SessionTraffic.Total.BYTES_RECEIVED);
    }
}
