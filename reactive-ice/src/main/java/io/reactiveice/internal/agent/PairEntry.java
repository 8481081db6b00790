package io.reactiveice.internal.agent;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.PairFailure;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The mutable state of one candidate pair inside the core: its checklist state and its check in
 * flight. Only the agent's serialized context touches it; applications see {@link CandidatePair}
 * snapshots. Each group of fields has one writer: the state, the valid and nominated flags, the
 * check in flight, {@code heard}, {@code held}, {@code retired} and {@code session} the
 * {@link Checklist} (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2.6">RFC 8445 section
 * 6.1.2.6</a>), as are the remote candidate, the foundation and the priority once the pair is formed
 * (a peer-reflexive remote candidate that signalling names later, RFC 8838 section 11); {@code awaited}
 * the {@link TransactionTable}; the early-series fields the {@link EarlyCheckSeries};
 * {@code lastConsentAt} and {@code lastProbeAt} the {@link ConsentFreshness} (RFC 7675);
 * {@code peerPriority} the {@link Rebinding}; the {@code counters} whichever part sends or takes the
 * STUN message they count.
 */
final class PairEntry {
    final LocalCandidate local;
    /** The peer's candidate: peer-reflexive until signalling names one on {@link #remoteAddress}. */
    IceCandidate remote;
    final InetSocketAddress remoteAddress;
    String foundation;
    /** The credentials this pair is checked with: the session it was formed in. */
    SessionCredentials session;
    /** The selected pair of an ICE session that was restarted: it carries data until a new pair is selected. */
    boolean retired;
    /**
     * The pair is in the checklist. Cleared once, when it leaves (a restart, the pair limit, the
     * retired path giving way): an answer that arrives for it afterwards changes nothing.
     */
    boolean held = true;
    long priority;
    PairState state = PairState.FROZEN;
    /** Why the pair last entered FAILED ({@link Checklist}); meaningful only while it is FAILED. */
    PairFailure.Cause failure;
    /** The state and nomination last reported by the {@link ProtocolTrace}, which alone writes them. */
    PairState tracedState;
    boolean tracedNominated;

    /**
     * The check in flight: the retransmission timing of the newest transaction of its series, which
     * keeps the timeout of the series' first ({@link StunClientTransaction#replacing}); or {@code null}.
     */
    StunClientTransaction transaction;
    /** The check in flight carries USE-CANDIDATE (section 8.1.1). */
    boolean transactionNominates;
    /**
     * The transactions of the check in flight that are still awaited, oldest first: the newest and
     * the ones the early checks replaced, at most {@link EarlyCheckSeries#awaitedPerPair()} (section
     * 7.3.1.4). Allocated with the first check.
     */
    ArrayDeque<TransactionId> awaited;
    /** Early checks started in the current series ({@link EarlyCheckSeries}). */
    int hurries;
    /** When the next early check is due, or {@code Long.MAX_VALUE}. */
    long hurryAt = Long.MAX_VALUE;
    /** The peer's nomination has had its early series: a repeated USE-CANDIDATE does not start another. */
    boolean peerSeriesArmed;
    /** When the last recovery check went to this pair as a backup while DISCONNECTED (RFC 7675). */
    long lastProbeAt = Long.MIN_VALUE;
    /** An authenticated check from the peer arrived on this pair: the peer may send data on it (section 12.2). */
    boolean heard;
    /**
     * The PRIORITY of the peer's last check on this pair, or {@code -1}: what a
     * check from the same socket of the peer, through a new NAT mapping, carries ({@link Rebinding}).
     */
    long peerPriority = -1;

    /** A check on this pair succeeded: it is in the valid list (RFC 8445 section 7.2.5.3.2). */
    boolean valid;
    /** The pair was nominated: by our USE-CANDIDATE (controlling) or the peer's (controlled). */
    boolean nominated;
    /** The peer sent USE-CANDIDATE before our own check succeeded (section 7.3.1.5). */
    boolean nominateOnSuccess;
    /**
     * The latest round trip measured on this pair, in nanoseconds, by the check that made it valid
     * and then by each consent response (RFC 7675), so that waits scaled by it (the probe of a silent
     * selected pair) follow the path as it is now rather than as a cold first check found it; {@code -1} before.
     */
    long rtt = -1;
    /** The last time a response or an authenticated request proved the peer still consents (RFC 7675). */
    long lastConsentAt = Long.MIN_VALUE;
    /** What was sent and received on this pair, for the statistics ({@link Statistics}). */
    final PairCounters counters = new PairCounters();

    PairEntry(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress, IceRole role) {
        this.local = local;
        this.remote = remote;
        this.remoteAddress = remoteAddress;
        this.foundation = foundation(local, remote);
        computePriority(role);
    }

    private static String foundation(LocalCandidate local, IceCandidate remote) {
        return local.candidate().foundation() + ":" + remote.foundation();
    }

    /**
     * The peer's candidate on this pair's remote address, learned as peer-reflexive, was signalled
     * ({@link Checklist#remoteSignalled}): the pair takes it, with its foundation and priority; its
     * state, validity, nomination and check in flight stay.
     */
    void remoteSignalled(IceCandidate signalled, IceRole role) {
        remote = signalled;
        foundation = foundation(local, signalled);
        computePriority(role);
    }

    void computePriority(IceRole role) {
        long ours = local.candidate().priority();
        long theirs = remote.priority();
        priority = role == IceRole.CONTROLLING ? CandidatePriority.pair(ours, theirs) : CandidatePriority.pair(theirs, ours);
    }

    boolean sameRoute(InetSocketAddress base, InetSocketAddress remote) {
        return local.base().equals(base) && remoteAddress.equals(remote);
    }

    CandidatePair snapshot() {
        return new CandidatePair(local.candidate(), local.base(), remote, remoteAddress, priority);
    }

    @Override
    public String toString() {
        return local.base() + "->" + remoteAddress + " " + state + (valid ? " valid" : "") + (nominated ? " nominated" : "");
    }
}
