package io.reactiveice.internal.agent;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.GatheringError;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStats;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The ICE agent as a deterministic state machine (<a href="https://www.rfc-editor.org/rfc/rfc8445">RFC
 * 8445</a> with consent freshness, <a href="https://www.rfc-editor.org/rfc/rfc7675">RFC 7675</a>), for
 * one data stream with one component.
 *
 * <p>It never touches a socket, a clock or a thread: time comes in as nanoseconds with every input,
 * received datagrams come in as bytes with the local base they arrived on, and what must be sent
 * comes out of {@link #pollTransmit()}; what happened comes out of {@link #pollEvent()}. The caller
 * calls {@link #handleTimeout(long)} at {@link #nextTimeout()}. All inputs must come from one
 * serialized context. Its tests step two of these through a simulated network with no sleeps.
 *
 * <p>It coordinates the parts, each one RFC concern (see the package description), owns the
 * credentials and the restart (section 9), and applies the outcomes the parts return; its state, role
 * and counts are in {@link AgentStatus}. When no valid pair is left and none is coming it may ask for a
 * restart ({@link IceEvent.RestartNeeded}, decided by {@link Recovery}), which the caller performs.
 *
 * <p>As an ICE-lite agent ({@link CoreConfig#lite()}) it sends nothing of its own: it answers checks,
 * treats a pair as valid once an authentic check arrives on it, selects the pair a check with
 * USE-CANDIDATE arrives on, and reports DISCONNECTED and then FAILED when the peer's checks stop.
 */
public final class IceAgentCore implements ProtocolMachine<Datagram, IceEvent> {
    /**
     * The reader of the datagram being handled: valid only during {@link #handleInput}, which the
     * request and response handling run inside, so one per thread serves every agent (with its
     * scratch arrays, it would be a large part of an idle session's heap).
     */
    private static final ThreadLocal<StunMessageReader> READER = ThreadLocal.withInitial(StunMessageReader::new);

    private final CoreConfig config;
    private final Candidates candidates;
    private final Checklist checklist;
    private final Pacing pacing;
    private final OutgoingChecks checks;
    private final Pairing pairing;
    private final RequestHandling requests;
    private final ResponseHandling responses;
    private final Renomination renomination;
    private final Nomination nomination;
    private final ConsentFreshness consent;
    private final Selection selection;
    private final Rebinding rebinding = new Rebinding();
    private final AgentStatus status;
    // made when first needed (a gathering error, a full agent without a pair, a failure): an idle lite agent has none
    private FailureDiagnosis diagnosis;
    private ProtocolTrace trace; // ProtocolTrace.OFF until someone first turns it on (an idle agent's heap counts)
    // drained after every input, so they rarely hold more than a few (they grow when they must)
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>(2);
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>(2);

    private SessionCredentials credentials;
    private final Recovery recovery; // when to ask for a restart of our own (issue 13)

    /**
     * An agent core.
     *
     * @param config the protocol settings
     * @param localCredentials our ufrag and password
     * @param random the source of transaction ids and consent jitter (seeded in tests)
     */
    public IceAgentCore(CoreConfig config, IceCredentials localCredentials, RandomGenerator random) {
        this(config, RecoveryConfig.OFF, localCredentials, random);
    }

    /**
     * An agent core that may ask for ICE restarts of its own ({@link IceEvent.RestartNeeded}, see
     * {@link Recovery}).
     *
     * @param config the protocol settings
     * @param recoveryConfig whether and how often the agent asks for a restart
     * @param localCredentials our ufrag and password
     * @param random the source of transaction ids and consent jitter (seeded in tests)
     */
    public IceAgentCore(CoreConfig config, RecoveryConfig recoveryConfig, IceCredentials localCredentials,
            RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(random, "random");
        this.credentials = new SessionCredentials(Objects.requireNonNull(localCredentials, "localCredentials"));
        this.status = new AgentStatus(config.role(), events);
        this.candidates = new Candidates(config.maxRemoteCandidates());
        this.checklist = new Checklist(config.maxPairs());
        this.pacing = new Pacing(config);
        this.renomination = new Renomination(config);
        this.nomination = new Nomination(config, renomination);
        this.trace = ProtocolTrace.OFF;
        this.checks = new OutgoingChecks(config, random, checklist, pacing, nomination, transmits, trace);
        this.pairing = new Pairing(candidates, checklist, checks, nomination, events);
        this.requests = new RequestHandling(config, checklist, checks, renomination, events);
        this.consent = new ConsentFreshness(config, random, checklist, checks, pacing);
        this.responses = new ResponseHandling(candidates, checklist, checks, nomination, consent, events);
        this.selection = new Selection(config, checklist, pairing, consent, events);
        this.recovery = new Recovery(Objects.requireNonNull(recoveryConfig, "recoveryConfig"), checklist, candidates,
                renomination);
    }

    // ---- inputs -----------------------------------------------------------------------------

    /** Adds one of our candidates (trickled as gathered) and pairs it with every remote candidate. */
    public void addLocalCandidate(long now, LocalCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (status.state() != IceState.CLOSED && pairing.addLocal(candidate, status.role(), credentials)) {
            trace.candidateAdded(now, candidate.candidate(), true);
            recovery.localGathered(now);
            handleTimeout(now);
        }
    }

    /**
     * One of our candidates can no longer be used: its TURN allocation was lost, or the local address
     * it is based on disappeared (host, and the server-reflexive candidates of that base). Its pairs
     * fail at once. If the selected pair was one of them, the agent moves to the best remaining valid
     * pair at once, without waiting for consent to run out ({@link Selection#moveOffLost}); with no valid
     * pair left it reports DISCONNECTED and moves as soon as a pair becomes valid (a backup's recovery
     * check, or a pair of a candidate gathered later), until consent runs out (RFC 7675); with
     * {@link RecoveryConfig#restart()} on, it may ask for an ICE restart instead ({@link Recovery}).
     */
    public void localCandidateLost(long now, InetSocketAddress base) {
        Objects.requireNonNull(base, "base");
        trace.localLost(now, candidates.locals(), base);
        pairing.localLost(base);
        moveOffLost(now);
    }

    /**
     * A request of ours from {@code base} to {@code remote} could not leave: the send failed because
     * the destination is unreachable from there (no route: it went with a local address). As after a
     * hard ICMP error (RFC 8445 section 7.2.5.2.2) the pair fails at once and leaves the valid list,
     * without waiting for the check's timeout or consent's; if it was the selected pair, the agent moves
     * off it as when its local candidate is lost ({@link #localCandidateLost}). After an address
     * disappears the valid pairs left can include one that only worked through the lost route (a
     * cross pair between two links), which this takes out the moment its first check fails to leave.
     */
    public void unreachable(long now, InetSocketAddress base, InetSocketAddress remote) {
        PairEntry pair = checklist.find(Objects.requireNonNull(base, "base"), Objects.requireNonNull(remote, "remote"));
        if (pair == null || status.over()) {
            return;
        }
        checks.unreachable(pair);
        moveOffLost(now);
    }

    /**
     * If the selected pair was lost: moved off it, or DISCONNECTED with no valid pair left. The
     * controlled agent, which cannot nominate, checks its new pair at once: the peer learns from that
     * check that we moved ({@link ConsentFreshness#peerCheckedBackup}).
     */
    private void moveOffLost(long now) {
        if (selection.lost() && !status.over()) {
            if (selection.moveOffLost(now, status)) {
                announceMove(now);
            } else if (status.state() == IceState.CONNECTED || status.state() == IceState.COMPLETED) {
                status.set(IceState.DISCONNECTED);
                consent.startRecovery(now, selection.pair(), status.role());
            }
        }
        handleTimeout(now);
    }

    /**
     * Application data arrived on {@code base} from {@code source}, which is the peer of no pair, and
     * was dropped: perhaps the peer's NAT mapped the peer's socket anew ({@link Rebinding}). On the
     * selected pair's base, a pair to the source is formed and checked in the next Ta slot, at most one
     * such probe per {@value Rebinding#SUSPECT_MILLIS} ms; the data path moves only once it succeeds.
     */
    public void unknownDataSource(long now, InetSocketAddress base, InetSocketAddress source) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(source, "source");
        PairEntry selected = selection.pair();
        if (config.lite() || status.over() || !rebinding.dataFrom(now, base, source, selected, selection.settled())) {
            return;
        }
        PairEntry probe = pairing.pairOfProbe(base, source, selected.peerPriority, status.role(), credentials);
        if (probe != null) {
            rebinding.probing(now, probe);
            checklist.triggeredByPeer(probe);
            handleTimeout(now);
        }
    }

    /** Our gathering finished (RFC 8838 end-of-candidates). */
    public void localGatheringComplete(long now) {
        status.localEnd();
        status.completeIfDone(selection.pair() != null);
        handleTimeout(now);
    }

    /**
     * Sets the peer's credentials. New credentials after earlier ones mean the peer restarted ICE
     * (RFC 8445 section 9): its old candidates are dropped, checks start over, and
     * {@link IceEvent.PeerRestarted} says that the peer's new session needs our credentials and
     * candidates again.
     */
    public void setRemoteCredentials(long now, IceCredentials remote) {
        Objects.requireNonNull(remote, "remote");
        if (credentials.remote != null && !credentials.remote.equals(remote)) {
            restartWith(credentials.local);
            events.add(new IceEvent.PeerRestarted());
        }
        credentials.remote(remote);
        handleTimeout(now);
    }

    /**
     * The peer is an ICE-lite agent (its description carries {@code a=ice-lite}): a full agent then
     * takes the controlling role and nominates (RFC 8445 section 6.1.1). A lite agent facing another
     * lite agent cannot connect; nothing changes then.
     */
    public void setRemoteLite(long now) {
        if (!config.lite() && status.role() == IceRole.CONTROLLED) {
            checklist.reprioritize(status.switchRole());
        }
        handleTimeout(now);
    }

    /**
     * Whether the peer supports renomination (its {@code ice-options} carry {@code renomination}); with
     * {@link CoreConfig#renomination()} on too, our nominations carry NOMINATION and may move a selected
     * pair ({@link Renomination}). A new description of the peer's may change it.
     */
    public void setRemoteRenomination(long now, boolean supported) {
        renomination.peerSupports(supported);
        handleTimeout(now);
    }

    /**
     * Renominates {@code pair}, a valid pair that is not the selected one, as the controlling agent with
     * renomination on both sides ({@link Renomination}); both sides select it once its check succeeds.
     *
     * @return whether its check started: not when renomination is not active, we are controlled, the
     *     pair is not valid or is selected, or a nomination or a check on it is in flight
     */
    public boolean renominate(long now, CandidatePair pair) {
        PairEntry p = checklist.find(Objects.requireNonNull(pair, "pair").base(), pair.remoteAddress());
        boolean start = !status.over() && nomination.requested(p, selection.pair(), status.role());
        if (start) {
            checks.start(now, p, true, status.role());
        }
        handleTimeout(now);
        return start;
    }

    /**
     * Adds a remote candidate, before or after checks started (trickle). Only UDP with an IP address
     * is used; one whose address is not a unicast peer ({@link UnicastAddress}: port 0, unspecified,
     * multicast, broadcast) is dropped and counted in {@link AgentStatus#refusedNonUnicast()}. One on
     * the address of a peer-reflexive candidate that a check taught the agent first takes its place in
     * its pairs (RFC 8838 section 11); if the selected pair is one, it is reported again.
     */
    public void addRemoteCandidate(long now, IceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (candidate.hasIpAddress() && UnicastAddress.refusal(candidate) != null) {
            status.refusedNonUnicast++;
            return;
        }
        if (status.state() != IceState.CLOSED && pairing.addRemote(candidate, status.role(), credentials)) {
            trace.candidateAdded(now, candidate, false);
            selection.remoteSignalled(candidate);
            handleTimeout(now);
        }
    }

    /** The peer finished gathering (RFC 8838 end-of-candidates). */
    public void remoteEndOfCandidates(long now) {
        status.remoteEnd();
        status.completeIfDone(selection.pair() != null);
        handleTimeout(now);
    }

    /**
     * ICE restart with new local credentials (RFC 8445 section 9): the checklist starts over; the old
     * selected pair keeps carrying data, with its consent checks, until a new pair is selected.
     */
    public void restart(long now, IceCredentials newLocal) {
        Objects.requireNonNull(newLocal, "newLocal");
        restartWith(newLocal);
        handleTimeout(now);
    }

    private void restartWith(IceCredentials newLocal) {
        PairEntry selected = selection.pair();
        for (PairEntry p : checklist.clear()) {
            if (p != selected) {
                pairing.left(p); // its checks are abandoned here: a late answer finds nothing (section 9)
            }
        }
        selection.restarting(credentials); // keeps consent running on the old path
        credentials = new SessionCredentials(newLocal);
        candidates.clearRemotes();
        nomination.reset();
        rebinding.reset();
        pacing.reset();
        status.restarted(selected != null);
        recovery.restarted();
        if (diagnosis != null) {
            diagnosis.restarted();
        }
    }

    /** Closes the agent: nothing is sent any more (CLOSED is final). */
    public void close() {
        status.set(IceState.CLOSED);
        checklist.clear();
        checks.clear();
        transmits.clear();
        consent.close();
    }

    /**
     * Handles a datagram that arrived on the socket bound to {@code input.local()}.
     *
     * @return {@code true} if it was a STUN message (consumed here), {@code false} if it is application data
     */
    @Override
    public boolean handleInput(long now, Datagram input) {
        StunMessageReader reader = READER.get();
        switch (StunScreen.screen(reader, input, status)) {
            case APPLICATION_DATA -> {
                return false;
            }
            case DROPPED -> {
                return true;
            }
            case REQUEST -> onRequest(now, reader, input.local(), input.source());
            case RESPONSE -> onResponse(now, reader, input.local(), input.source());
            case INDICATION -> { }
        }
        handleTimeout(now);
        return true;
    }

    /** A check of the peer (section 7.3): answered; then it may teach a candidate, a pair, a nomination. */
    private void onRequest(long now, StunMessageReader reader, InetSocketAddress base, InetSocketAddress source) {
        RequestHandling.Answer answer = requests.answer(reader, source, credentials, selection.previous(), status.role());
        if (answer.switchRole()) {
            checklist.reprioritize(status.switchRole());
        }
        transmits.add(new Transmit(base, source, answer.response()));
        PairEntry pair = answer.onCurrentSession() ? pairing.pairOfCheck(reader, base, source, status.role(), credentials) : null;
        if (pair == null) {
            return;
        }
        checks.answered(pair);
        if (config.lite()) {
            consent.proved(pair, now);
            applyPeerCheck(now, pair, requests.liteChecked(now, reader, pair, selection.pair(), status.state()));
        } else {
            boolean firstHeard = !pair.heard;
            applyPeerCheck(now, pair, requests.peerChecked(now, reader, pair, status.role(), !selection.settled()));
            if (rebinding.checkArrived(now, pair, firstHeard, RequestHandling.priority(reader), selection.pair(),
                    selection.settled())) {
                checklist.triggeredByPeer(pair); // a new mapping of the peer's, perhaps (Rebinding)
            }
            // valid or not yet: a loss soon after connecting comes before we checked every backup
            if (pair != selection.pair() && selection.settled() && status.role() == IceRole.CONTROLLING) {
                consent.peerCheckedBackup(now, pair, selection.pair(), status.state(), status.role());
            }
        }
    }

    private void applyPeerCheck(long now, PairEntry pair, RequestHandling.PeerCheck outcome) {
        switch (outcome) {
            case SELECT -> selection.select(now, pair, status);
            case RECONNECTED -> status.reconnected();
            case CHECKING -> status.set(IceState.CHECKING);
            case NONE -> { }
        }
    }

    /** A response to one of our requests (section 7.2.5), if ours and authentic. */
    private void onResponse(long now, StunMessageReader reader, InetSocketAddress base, InetSocketAddress source) {
        TransactionTable.Outstanding o = checks.take(now, reader);
        if (o == null) {
            return; // unknown, late, or not authentic: changes nothing (RFC 8445 section 7.2.5.1)
        }
        switch (responses.handle(now, reader, o, base, source)) {
            case LATE -> status.lateResponses++;
            case SWITCH_ROLE -> checklist.reprioritize(status.switchRole());
            case CONSENT -> consentRenewed(now, o.pair());
            case NOMINATED -> {
                selection.select(now, o.pair(), status);
                maybeNominate(now);
            }
            case SUCCEEDED -> maybeNominate(now);
            case NONE -> { }
        }
    }

    private void consentRenewed(long now, PairEntry pair) {
        switch (consent.renewed(now, pair, selection.pair(), status.state(), status.role())) {
            case RECONNECTED -> status.reconnected();
            case RENOMINATE -> {
                if (nomination.renominate(pair)) {
                    checks.start(now, pair, true, status.role());
                }
            }
            case NONE -> { }
        }
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * Runs whatever is due at {@code now}: retransmissions, the next paced check, nomination, consent,
     * failure; then the {@link #trace} reports what changed.
     */
    @Override
    public void handleTimeout(long now) {
        runTimers(now);
        trace.sweep(now, checklist.pairs());
    }

    private void runTimers(long now) {
        checks.forgetConsentSentUpTo(now - config.consentTimeout().toNanos()); // a consent timeout old
        if (status.over()) {
            return;
        }
        checks.run(now, status.role(), usableSelection());
        if (!config.lite() && credentials.remote != null && pacing.paced(now)) {
            PairEntry next = checklist.hasWork() ? checklist.next() : null;
            if (next != null) {
                checks.start(now, next, false, status.role());
                pacing.tookSlot(now);
                if (status.state() == IceState.NEW) {
                    status.set(IceState.CHECKING);
                }
            }
        }
        maybeNominate(now);
        switch (consent.run(now, selection.pair(), status.state(), status.role())) {
            case LOST -> consentLost(now); // no data may be sent (RFC 7675 section 5.1)
            case DISCONNECTED -> status.set(IceState.DISCONNECTED);
            case NONE -> { }
        }
        if (selection.pair() == null && status.remoteEnded() && checklist.allFailed()) {
            status.fail(diagnosis().checksFailed(checklist));
        }
        if (selection.pair() == null && !config.lite() && !status.over()) {
            IceFailureReason missing = diagnosis().neverHad(now, status.localEnded() && status.remoteEnded(), candidates,
                    checklist, credentials.remote == null);
            if (missing != null) {
                status.fail(missing);
            }
        }
        if (recovery.due(now, status.state(), selection.pair())) {
            events.add(new IceEvent.RestartNeeded());
        }
    }

    /** When {@link #handleTimeout(long)} should next be called, or {@code Long.MAX_VALUE}. */
    @Override
    public long nextTimeout() {
        if (status.over()) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (!config.lite() && credentials.remote != null && checklist.hasWork()) {
            next = pacing.nextSlot();
        }
        next = Math.min(next, checks.nextTimeout(usableSelection()));
        next = Math.min(next, nomination.nextTimeout(status.role(), selection.settled(), checklist));
        next = Math.min(next, recovery.restartAt(status.state(), selection.pair()));
        if (selection.pair() == null && !config.lite() && diagnosis != null) {
            next = Math.min(next, diagnosis.nextTimeout());
        }
        return Math.min(next, consent.nextTimeout(selection.pair(), status.state()));
    }

    private FailureDiagnosis diagnosis() {
        if (diagnosis == null) {
            diagnosis = new FailureDiagnosis(config);
        }
        return diagnosis;
    }

    private void consentLost(long now) {
        IceFailureReason.ConsentLost reason = FailureDiagnosis.consentLost(now, selection.pair(), config.consentTimeout());
        trace.consentLost(now, selection.pair(), reason.after());
        status.fail(reason);
    }

    /** We moved off a lost pair; as the controlled agent, which cannot nominate, the new pair is checked at once. */
    private void announceMove(long now) {
        if (status.role() == IceRole.CONTROLLED && !config.lite()) {
            checks.consentCheck(now, selection.pair(), true, status.role());
        }
    }

    private void maybeNominate(long now) {
        if (selection.lost() && !status.over() && selection.moveOffLost(now, status)) {
            announceMove(now); // a pair became valid after the selected one's candidate was lost
        }
        PairEntry rebound = status.over() ? null : rebinding.due(selection.pair(), selection.settled());
        if (rebound != null) {
            selection.select(now, rebound, status); // the peer's NAT mapped it anew (Rebinding)
        }
        PairEntry unnominated = nomination.unnominated(status.role(), selection.settled(), selection.pair());
        if (unnominated != null && !config.lite()) {
            checks.start(now, unnominated, true, status.role());
        }
        PairEntry best = nomination.due(now, status.role(), selection.settled(), selection.pair(), checklist);
        if (best != null) {
            checks.start(now, best, true, status.role());
        }
    }

    /** The selected pair carries data and is not silent: no nomination of the peer's needs hurrying. */
    private boolean usableSelection() {
        return selection.settled() && status.state() != IceState.DISCONNECTED;
    }

    // ---- outputs ----------------------------------------------------------------------------

    /** The next datagram to send, or {@code null}. */
    @Override
    public Transmit pollTransmit() {
        return transmits.pollFirst();
    }

    /** The next event, or {@code null}. */
    @Override
    public IceEvent pollEvent() {
        IceEvent e = events.pollFirst();
        if (trace.on()) {
            trace.discovered(e); // a peer-reflexive candidate learned: reported next
        }
        return e;
    }

    // ---- diagnostics ------------------------------------------------------------------------

    /**
     * Gathering from a STUN or TURN server failed: kept (the first few) for the reason the agent may
     * fail with ({@link io.reactiveice.agent.IceFailureReason#gatheringErrors()}).
     */
    public void gatheringError(long now, GatheringError error) {
        diagnosis().gatheringError(Objects.requireNonNull(error, "error"));
        handleTimeout(now);
    }

    /**
     * Turns the protocol trace ({@link IceEvent.Traced}) on or off: on while someone subscribes to it;
     * off, no trace event is built.
     */
    public void trace(long now, boolean on) {
        if (trace == ProtocolTrace.OFF && on) {
            trace = new ProtocolTrace(events);
            checks.tracing(trace);
        }
        if (trace != ProtocolTrace.OFF) {
            trace.on(on);
        }
        handleTimeout(now);
    }

    /** How many trace events were built so far ({@link ProtocolTrace#built()}). */
    public long traceEventsBuilt() {
        return trace.built();
    }

    /**
     * The remote addresses the shell's data path needs (RFC 8445 section 12.2): into {@code valid}
     * those of the valid pairs (section 7.2.5.3.2), the old selected pair during a restart included;
     * into {@code heard} those of pairs an authenticated check of the peer arrived on that are neither
     * valid nor failed, whose data may wait for our own check. Adds, without clearing; an address may
     * come more than once. Allocates nothing of its own.
     */
    public void remoteAddresses(Collection<InetSocketAddress> valid, Collection<InetSocketAddress> heard) {
        checklist.remoteAddresses(valid, heard);
    }

    /** The selected pair, or {@code null} before one is selected. */
    public CandidatePair selectedPair() {
        return selection.pair() == null ? null : selection.pair().snapshot();
    }

    /**
     * The statistics now, shaped after W3C webrtc-stats: every pair of the checklist with its STUN
     * counts and round-trip times (kept here), the data counts of its path from {@code traffic} (kept
     * by the caller's data path), the candidates, the role, state and selected pair.
     *
     * @param now the agent's clock, the snapshot's timestamp
     * @param traffic the application datagrams of each path
     * @param relays the TURN allocations of our relayed candidates, which the core does not see
     */
    public IceStats stats(long now, PathCounters.Source traffic, List<RelayAllocationStats> relays) {
        return stats(now, 0, traffic, relays);
    }

    /**
     * The statistics now ({@link #stats(long, PathCounters.Source, List)}), their timestamps moved by
     * {@code epochOffsetMillis}.
     *
     * @param now the agent's clock, the snapshot's timestamp
     * @param epochOffsetMillis added to the clock's milliseconds for the timestamps (the epoch's, as W3C has them)
     * @param traffic the application datagrams of each path
     * @param relays the TURN allocations of our relayed candidates, which the core does not see
     */
    public IceStats stats(long now, long epochOffsetMillis, PathCounters.Source traffic,
            List<RelayAllocationStats> relays) {
        return Statistics.snapshot(now, epochOffsetMillis, new Statistics.Parts(credentials.local.ufrag(), status.role(),
                status.state(), checklist, candidates, selection.pair(), selection.changes()), Objects.requireNonNull(traffic, "traffic"),
                Objects.requireNonNull(relays, "relays"));
    }

    /**
     * The session's STUN counts, summed over its pairs; readable from any thread. Made by the first
     * call (a session whose metrics are off has none) and counted from then on: call it before the first
     * input, as a session does when it is built with metrics.
     */
    public CheckTotals checkTotals() {
        return checks.totals();
    }

    /** Whether we offer renomination ({@link CoreConfig#renomination()}): our {@code ice-options} say so. */
    public boolean renominationOffered() {
        return config.renomination();
    }

    /** The agent's state, role and counts. */
    public AgentStatus status() {
        return status;
    }

    /** The current state. */
    public IceState state() {
        return status.state();
    }

    /** The current role. */
    public IceRole role() {
        return status.role();
    }

    /** Our current credentials. */
    public IceCredentials credentials() {
        return credentials.local;
    }

    /** A snapshot of the checklist, best pair first, for diagnostics. */
    public List<String> describeChecklist() {
        return checklist.describe();
    }

    // ---- for the tests of the bounds (package-private) ----------------------------------------

    /** The STUN transactions of ours in flight (a view). */
    Collection<TransactionTable.Outstanding> transactionsInFlight() {
        return checks.inFlight();
    }

    /** How many remote candidates are held, signalled and peer-reflexive. */
    int remoteCandidateCount() {
        return candidates.remoteCount();
    }

    Checklist checklist() {
        return checklist;
    }

    PairEntry selectedEntry() {
        return selection.pair();
    }
}
