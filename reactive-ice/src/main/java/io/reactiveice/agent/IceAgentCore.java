package io.reactiveice.agent;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * <p>It coordinates the parts, each one RFC concern: the {@link Candidates}, the {@link Checklist}
 * with the pair states (section 6.1.2.6), our requests and their transactions ({@link OutgoingChecks},
 * section 7.2.4, with {@link Pacing}, section 14.2), the received checks ({@link RequestHandling},
 * section 7.3, with {@link RoleConflict}, section 7.3.1.1) and responses ({@link ResponseHandling},
 * section 7.2.5), {@link Nomination} (section 8.1.1) and {@link ConsentFreshness} (RFC 7675). It owns
 * the role, the credentials, the state, the selected pair (section 8.1) and the restart (section 9),
 * and applies the outcomes the handlers return.
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
    private static final int BINDING = 0x001;

    private final CoreConfig config;
    private final Candidates candidates;
    private final Checklist checklist;
    private final Pacing pacing;
    private final OutgoingChecks checks;
    private final RequestHandling requests;
    private final ResponseHandling responses;
    private final Nomination nomination;
    private final ConsentFreshness consent;
    // drained after every input, so they rarely hold more than a few (they grow when they must)
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>(2);
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>(2);

    private IceRole role;
    private SessionCredentials credentials;
    private SessionCredentials previous; // kept for the old selected pair during a restart (RFC 8445 section 9)
    private IceState state = IceState.NEW;
    private PairEntry selected;
    private boolean localEnd;
    private boolean remoteEnd;
    private long dropped;
    private long refusedNonUnicast;
    private long lateResponses;

    /**
     * An agent core.
     *
     * @param config the protocol settings
     * @param localCredentials our ufrag and password
     * @param random the source of transaction ids and consent jitter (seeded in tests)
     */
    public IceAgentCore(CoreConfig config, IceCredentials localCredentials, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(random, "random");
        this.credentials = new SessionCredentials(Objects.requireNonNull(localCredentials, "localCredentials"));
        this.role = config.role();
        CheckMessages messages = new CheckMessages(config.software());
        this.candidates = new Candidates(config.maxRemoteCandidates());
        this.checklist = new Checklist(config.maxPairs());
        this.pacing = new Pacing(config);
        this.checks = new OutgoingChecks(config, random, messages, checklist, transmits);
        this.requests = new RequestHandling(config, messages, checklist, checks, events);
        this.responses = new ResponseHandling(candidates, events);
        this.nomination = new Nomination(config);
        this.consent = new ConsentFreshness(config, random, checklist, checks, pacing);
    }

    // ---- inputs -----------------------------------------------------------------------------

    /** Adds one of our candidates (trickled as gathered) and pairs it with every remote candidate. */
    public void addLocalCandidate(long now, LocalCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (state == IceState.CLOSED || !candidates.addLocal(candidate)) {
            return;
        }
        for (int i = 0; i < candidates.remoteCount(); i++) {
            pair(candidate, candidates.remote(i), candidates.remoteAddress(i));
        }
        handleTimeout(now);
    }

    /**
     * One of our candidates can no longer be used, e.g. its TURN allocation was lost: its pairs fail
     * at once, and if the selected pair was one of them the agent reports DISCONNECTED and fails over
     * to another valid pair as after a consent loss, without waiting for consent to run out.
     */
    public void localCandidateLost(long now, InetSocketAddress base) {
        Objects.requireNonNull(base, "base");
        candidates.removeLocal(base);
        for (PairEntry p : checklist.pairs()) {
            if (p.local.base().equals(base)) {
                checks.forget(p);
                nomination.ended(p);
                checklist.localLost(p);
            }
        }
        if (selected != null && selected.local.base().equals(base)
                && (state == IceState.CONNECTED || state == IceState.COMPLETED)) {
            setState(IceState.DISCONNECTED);
            consent.startRecovery(now, selected, role);
        }
        handleTimeout(now);
    }

    /** Our gathering finished (RFC 8838 end-of-candidates). */
    public void localGatheringComplete(long now) {
        localEnd = true;
        updateCompleted();
        handleTimeout(now);
    }

    /**
     * Sets the peer's credentials. New credentials after earlier ones mean the peer restarted ICE
     * (RFC 8445 section 9): its old candidates are dropped and checks start over.
     */
    public void setRemoteCredentials(long now, IceCredentials remote) {
        Objects.requireNonNull(remote, "remote");
        if (credentials.remote != null && !credentials.remote.equals(remote)) {
            restartWith(credentials.local);
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
        if (!config.lite() && role == IceRole.CONTROLLED) {
            switchRole();
        }
        handleTimeout(now);
    }

    /**
     * Adds a remote candidate, before or after checks started (trickle). Only UDP with an IP address
     * is used; one whose address is not a unicast peer ({@link UnicastAddress}: port 0, unspecified,
     * multicast, broadcast) is dropped and counted in {@link #refusedNonUnicast()}.
     */
    public void addRemoteCandidate(long now, IceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (candidate.hasIpAddress() && UnicastAddress.refusal(candidate) != null) {
            refusedNonUnicast++;
            return;
        }
        if (state == IceState.CLOSED || candidate.transport() != TransportProtocol.UDP || !candidate.hasIpAddress()
                || candidate.componentId() != 1 || !candidates.remoteFits()) {
            return;
        }
        InetSocketAddress address = candidate.socketAddress();
        if (candidates.knownRemote(address) != null) {
            return;
        }
        candidates.addRemote(candidate, address);
        for (LocalCandidate local : candidates.locals()) {
            pair(local, candidate, address);
        }
        handleTimeout(now);
    }

    /** The peer finished gathering (RFC 8838 end-of-candidates). */
    public void remoteEndOfCandidates(long now) {
        remoteEnd = true;
        updateCompleted();
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
        previous = selected != null ? credentials : null;
        credentials = new SessionCredentials(newLocal);
        for (PairEntry p : checklist.clear()) {
            if (p != selected) {
                pairLeft(p); // its checks are abandoned here: a late answer finds nothing (section 9)
            }
        }
        if (selected != null) {
            checklist.retire(selected); // keeps consent running on the old path
        }
        candidates.clearRemotes();
        nomination.reset();
        remoteEnd = false;
        localEnd = false;
        pacing.reset();
        if (selected == null) {
            setState(IceState.NEW);
        } else if (state != IceState.DISCONNECTED) { // while the old path is silent, it stays so
            setState(IceState.CONNECTED);
        }
    }

    /** Closes the agent: nothing is sent any more. */
    public void close() {
        setState(IceState.CLOSED);
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
        ByteBuffer buffer = input.buffer();
        int offset = input.offset();
        int length = input.length();
        if (length == 0 || (buffer.get(offset) & 0xFF) > 3) {
            return false; // RFC 7983: not STUN (DTLS, RTP, application data)
        }
        StunMessageReader reader = READER.get();
        if (state == IceState.CLOSED || !reader.tryRead(buffer, offset, length)) {
            dropped++;
            return reader.rejection() == null || length >= StunMessageReader.HEADER_LENGTH;
        }
        if (!reader.hasFingerprint() || !reader.fingerprintMatches()) {
            dropped++;
            return true; // RFC 8445 section 7: checks carry FINGERPRINT
        }
        if (!UnicastAddress.isUnicast(input.source())) {
            refusedNonUnicast++; // never answered, never a peer-reflexive candidate (RFC 8445 section 5.1.1)
            return true;
        }
        StunClass cls = reader.messageClass();
        if (reader.methodCode() != BINDING) {
            dropped++; // e.g. Chrome's GOOG-PING, which it sends only to peers that announce it: ignored quietly
            return true;
        }
        if (cls == StunClass.REQUEST) {
            onRequest(now, reader, input.local(), input.source());
        } else if (cls.isResponse()) {
            onResponse(now, reader, input.local(), input.source());
        }
        handleTimeout(now);
        return true;
    }

    /** A check of the peer (section 7.3): answered; then it may teach a candidate, a pair, a nomination. */
    private void onRequest(long now, StunMessageReader reader, InetSocketAddress base, InetSocketAddress source) {
        RequestHandling.Answer answer = requests.answer(reader, source, credentials, previous, role);
        if (answer.switchRole()) {
            switchRole();
        }
        transmits.add(new Transmit(base, source, answer.response()));
        PairEntry pair = answer.onCurrentSession() ? pairOfCheck(reader, base, source) : null;
        if (pair == null) {
            return;
        }
        if (config.lite()) {
            consent.proved(pair, now);
            applyPeerCheck(now, pair, requests.liteChecked(now, reader, pair, selected, state));
        } else {
            applyPeerCheck(now, pair, requests.peerChecked(now, reader, pair, role, selected == null || previous != null));
        }
    }

    /** The pair a check arrived on, a peer-reflexive remote candidate learned if need be (section 7.3.1.3). */
    private PairEntry pairOfCheck(StunMessageReader reader, InetSocketAddress base, InetSocketAddress source) {
        LocalCandidate local = candidates.localByBase(base);
        if (local == null) {
            return null;
        }
        IceCandidate remote = candidates.knownRemote(source);
        if (remote == null) {
            long priority = RequestHandling.priority(reader);
            remote = priority < 0 ? null : candidates.addPeerReflexiveRemote(source, priority);
            if (remote == null) {
                return null; // no usable PRIORITY, or the remote candidate limit is reached
            }
            events.add(new IceEvent.RemoteCandidateDiscovered(remote));
        }
        PairEntry existing = checklist.find(local.base(), source);
        return existing != null ? existing : addToChecklist(local, remote, source);
    }

    private void applyPeerCheck(long now, PairEntry pair, RequestHandling.PeerCheck outcome) {
        switch (outcome) {
            case SELECT -> select(now, pair);
            case RECONNECTED -> setState(IceState.CONNECTED);
            case CHECKING -> setState(IceState.CHECKING);
            case NONE -> { }
        }
    }

    /** A response to one of our requests (section 7.2.5), if ours and authentic. */
    private void onResponse(long now, StunMessageReader reader, InetSocketAddress base, InetSocketAddress source) {
        TransactionTable.Outstanding o = checks.take(reader);
        if (o == null) {
            return; // unknown, late, or not authentic: changes nothing (RFC 8445 section 7.2.5.1)
        }
        PairEntry pair = o.pair();
        switch (responses.handle(reader, o, base, source)) {
            case LATE -> lateResponses++;
            case ROLE_CONFLICT -> {
                checks.forget(pair);
                nomination.ended(pair);
                switchRole();
                checklist.roleConflictRetry(pair);
            }
            case CHECK_FAILED -> checkFailed(pair);
            case CONSENT -> {
                consent.proved(pair, now);
                consentRenewed(now, pair);
            }
            case CHECK_SUCCEEDED -> {
                consent.proved(pair, now);
                checkSucceeded(now, pair, o.nominates());
            }
            case NONE -> { }
        }
    }

    private void consentRenewed(long now, PairEntry pair) {
        switch (consent.renewed(now, pair, selected, state, role)) {
            case RECONNECTED -> setState(IceState.CONNECTED);
            case RENOMINATE -> {
                if (nomination.renominate(pair)) {
                    checks.start(now, pair, true, role);
                }
            }
            case NONE -> { }
        }
    }

    /** A check on {@code pair} succeeded (sections 7.2.5.3.2 to 7.2.5.3.4). */
    private void checkSucceeded(long now, PairEntry pair, boolean nominated) {
        checks.forget(pair); // the checks it replaced, if it was started early
        if (checklist.checkSucceeded(pair)) {
            events.add(new IceEvent.PairValidated(pair.snapshot()));
        }
        nomination.validated(now);
        if (nominated || pair.nominateOnSuccess) {
            checklist.nominated(pair);
            nomination.succeeded();
            select(now, pair);
        }
        maybeNominate(now);
    }

    private void checkFailed(PairEntry pair) {
        checks.forget(pair);
        checklist.checkFailed(pair);
        nomination.ended(pair);
    }

    // ---- timers -----------------------------------------------------------------------------

    /** Runs whatever is due at {@code now}: retransmissions, the next paced check, nomination, consent. */
    @Override
    public void handleTimeout(long now) {
        checks.forgetConsentSentUpTo(now - config.consentTimeout().toNanos()); // a consent timeout old
        if (state == IceState.CLOSED || state == IceState.FAILED) {
            return;
        }
        retransmit(now);
        if (!config.lite() && credentials.remote != null && pacing.paced(now)) {
            PairEntry next = checklist.hasWork() ? checklist.next() : null;
            if (next != null) {
                checks.start(now, next, false, role);
                pacing.tookSlot(now);
                setState(state == IceState.NEW ? IceState.CHECKING : state);
            }
        }
        maybeNominate(now);
        switch (consent.run(now, selected, state, role)) {
            case LOST -> setState(IceState.FAILED); // consent lost: no data may be sent (RFC 7675 section 5.1)
            case DISCONNECTED -> setState(IceState.DISCONNECTED);
            case NONE -> { }
        }
        if (selected == null && remoteEnd && checklist.allFailed()) {
            setState(IceState.FAILED);
        }
    }

    /** When {@link #handleTimeout(long)} should next be called, or {@code Long.MAX_VALUE}. */
    @Override
    public long nextTimeout() {
        if (state == IceState.CLOSED || state == IceState.FAILED) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (!config.lite() && credentials.remote != null && checklist.hasWork()) {
            next = pacing.nextSlot();
        }
        boolean usable = usableSelection();
        for (PairEntry p : checklist.pairs()) {
            if (p.transaction != null) {
                next = Math.min(next, p.transaction.nextTimeout());
                if (p.hurryAt != Long.MAX_VALUE && nomination.awaits(p, usable)) {
                    next = Math.min(next, Math.max(p.hurryAt, pacing.nextSlot()));
                }
            }
        }
        next = Math.min(next, nomination.nextTimeout(role, settled(), checklist));
        return Math.min(next, consent.nextTimeout(selected, state));
    }

    /** Each check in flight: failed at its timeout, started again early, or retransmitted (sections 7.2.5.2, 14.3). */
    private void retransmit(long now) {
        boolean usable = usableSelection();
        for (PairEntry p : checklist.pairs()) {
            StunClientTransaction t = p.transaction;
            if (t == null) {
                continue;
            }
            if (now >= t.timeoutAt()) { // the check's last transaction timed out
                checkFailed(p);
            } else if (checks.earlyDue(p, now) && nomination.awaits(p, usable) && pacing.paced(now)) {
                checks.startEarly(now, p, role);
                pacing.tookSlot(now);
            } else if (t.handleTimeout(now) == StunClientTransaction.Tick.RETRANSMIT) {
                checks.retransmit(p, role);
            }
        }
    }

    private void maybeNominate(long now) {
        PairEntry best = nomination.due(now, role, settled(), selected, checklist);
        if (best != null) {
            checks.start(now, best, true, role);
        }
    }

    /** A pair is selected and no restart is under way: regular nomination is over (section 8.1.1). */
    private boolean settled() {
        return selected != null && previous == null;
    }

    /** The selected pair carries data and is not silent: no nomination of the peer's needs hurrying. */
    private boolean usableSelection() {
        return settled() && state != IceState.DISCONNECTED;
    }

    // ---- selection and state ------------------------------------------------------------------

    /** Selects a pair (section 8.1): the data path moves to it, consent starts on it (RFC 7675). */
    private void select(long now, PairEntry pair) {
        if (selected == pair && !config.lite()) {
            // a repeated nomination (browsers put USE-CANDIDATE on every check) changes nothing: in
            // particular it must not push the next consent check back, or consent is never checked
            return;
        }
        if (selected != pair) {
            if (previous != null) {
                for (PairEntry p : checklist.removeRetired()) { // the restart is over: the old path retires
                    pairLeft(p);
                }
                previous = null;
            }
            selected = pair;
            consent.selected(pair, now);
            // Unlike RFC 8445 section 8.1.2, the remaining pairs keep being checked at the Ta pace after
            // nomination, as browsers do: they become the valid backups that consent failover moves to.
            events.add(new IceEvent.SelectedPairChanged(pair.snapshot()));
        }
        consent.restartTimers(now);
        setState(IceState.CONNECTED);
        updateCompleted();
    }

    private void switchRole() {
        role = role.opposite();
        checklist.reprioritize(role);
        events.add(new IceEvent.RoleChanged(role));
    }

    private void updateCompleted() {
        if (selected != null && localEnd && remoteEnd && state == IceState.CONNECTED) {
            setState(IceState.COMPLETED);
        }
    }

    private void setState(IceState next) {
        if (state != next && state != IceState.CLOSED) {
            state = next;
            events.add(new IceEvent.StateChanged(next));
        }
    }

    // ---- pairs --------------------------------------------------------------------------------

    private void pair(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress) {
        IceCandidate lc = local.candidate();
        if (lc.type() == CandidateType.SERVER_REFLEXIVE || lc.transport() != TransportProtocol.UDP) {
            return; // section 6.1.2.4: a server-reflexive candidate is replaced by its base, already paired
        }
        if ((remoteAddress.getAddress().getAddress().length) != (local.base().getAddress().getAddress().length)) {
            return; // different address families never pair
        }
        addToChecklist(local, remote, remoteAddress);
    }

    /** Adds a pair (or {@code null} if redundant or it did not fit); a pair pushed out by the limit leaves. */
    private PairEntry addToChecklist(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress) {
        PairEntry p = checklist.add(local, remote, remoteAddress, role, credentials);
        if (p == null) {
            return null;
        }
        PairEntry evicted = checklist.evictOverLimit();
        if (evicted != null) {
            pairLeft(evicted);
        }
        return evicted == p ? null : p;
    }

    /** {@code pair} left the checklist: nothing of its check is awaited any more. */
    private void pairLeft(PairEntry pair) {
        checks.forget(pair);
        checklist.left(pair);
        nomination.ended(pair);
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
        return events.pollFirst();
    }

    /**
     * The remote addresses the shell's data path needs (RFC 8445 section 12.2): into {@code valid}
     * those of the valid pairs (section 7.2.5.3.2), the old selected pair during a restart included;
     * into {@code heard} those of pairs an authenticated check of the peer arrived on that are neither
     * valid nor failed, whose data may wait for our own check. Adds, without clearing; an address may
     * come more than once. Allocates nothing of its own.
     */
    public void remoteAddresses(Collection<InetSocketAddress> valid, Collection<InetSocketAddress> heard) {
        for (PairEntry p : checklist.pairs()) {
            if (p.valid) {
                valid.add(p.remoteAddress);
            } else if (p.heard && p.state != PairState.FAILED) {
                heard.add(p.remoteAddress);
            }
        }
    }

    /** The selected pair, or {@code null} before one is selected. */
    public CandidatePair selectedPair() {
        return selected == null ? null : selected.snapshot();
    }

    /**
     * STUN messages dropped without an answer: malformed, without a valid FINGERPRINT, or of a method
     * other than Binding.
     */
    public long dropped() {
        return dropped;
    }

    /**
     * Remote candidates and STUN messages refused because their address is not a unicast peer
     * ({@link UnicastAddress}): no pair, no peer-reflexive candidate and no answer came of them.
     */
    public long refusedNonUnicast() {
        return refusedNonUnicast;
    }

    /**
     * Authentic responses that arrived for a pair no longer in the checklist (after a restart, the pair
     * limit, or the retired path giving way): ignored.
     */
    public long lateResponses() {
        return lateResponses;
    }

    /** The current state. */
    public IceState state() {
        return state;
    }

    /** The current role. */
    public IceRole role() {
        return role;
    }

    /** Our current credentials. */
    public IceCredentials credentials() {
        return credentials.local;
    }

    /** A snapshot of the checklist, best pair first, for diagnostics. */
    public List<String> describeChecklist() {
        List<String> out = new ArrayList<>();
        for (PairEntry p : checklist.pairs()) {
            out.add(p.toString());
        }
        return out;
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
        return selected;
    }
}
