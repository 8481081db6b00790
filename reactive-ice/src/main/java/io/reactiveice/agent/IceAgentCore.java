package io.reactiveice.agent;

import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * <p>As an ICE-lite agent ({@link CoreConfig#lite()}) it sends nothing of its own: it answers checks,
 * treats a pair as valid once an authentic check arrives on it, selects the pair a check with
 * USE-CANDIDATE arrives on, and reports DISCONNECTED and then FAILED when the peer's checks stop.
 */
public final class IceAgentCore implements ProtocolMachine<Datagram, IceEvent> {
    private final CoreConfig config;
    private final RandomGenerator random;
    private final CheckMessages messages;
    /**
     * The reader of the datagram being handled: valid only during {@link #handleReceive}, which the
     * request and response handling run inside, so one per thread serves every agent (with its
     * scratch arrays, it would be a large part of an idle session's heap).
     */
    private static final ThreadLocal<StunMessageReader> READER = ThreadLocal.withInitial(StunMessageReader::new);
    private final Checklist checklist;
    private final List<LocalCandidate> locals = new ArrayList<>();
    private final List<IceCandidate> remotes = new ArrayList<>();
    private final List<InetSocketAddress> remoteAddresses = new ArrayList<>(); // remotes' addresses, parsed once
    private final EarlyCheckSeries series;
    private final TransactionTable transactions;
    // drained after every input, so they rarely hold more than a few (they grow when they must)
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>(2);
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>(2);

    private IceRole role;
    private SessionCredentials credentials;
    private SessionCredentials previous; // kept for the old selected pair during a restart (RFC 8445 section 9)
    private IceState state = IceState.NEW;
    private PairEntry selected;
    private PairEntry nominating;
    private long lastCheckAt = Long.MIN_VALUE;
    private long firstValidAt = Long.MIN_VALUE;
    private long nextConsentAt = Long.MAX_VALUE;
    private long nextRecoveryAt = Long.MAX_VALUE; // the next recovery round while DISCONNECTED (RFC 7675)
    private long recoveryInterval;
    private boolean localEnd;
    private boolean remoteEnd;
    private int prflxCount;
    private long dropped;
    private long refusedNonUnicast;
    private long lateResponses;
    private static final int BINDING = 0x001;

    /**
     * An agent core.
     *
     * @param config the protocol settings
     * @param localCredentials our ufrag and password
     * @param random the source of transaction ids and consent jitter (seeded in tests)
     */
    public IceAgentCore(CoreConfig config, IceCredentials localCredentials, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.credentials = new SessionCredentials(Objects.requireNonNull(localCredentials, "localCredentials"));
        this.role = config.role();
        this.messages = new CheckMessages(config.software());
        this.checklist = new Checklist(config.maxPairs());
        this.series = new EarlyCheckSeries(config);
        this.transactions = new TransactionTable(series.awaitedPerPair());
    }

    // ---- inputs -----------------------------------------------------------------------------

    /** Adds one of our candidates (trickled as gathered) and pairs it with every remote candidate. */
    public void addLocalCandidate(long now, LocalCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (state == IceState.CLOSED || locals.contains(candidate)) {
            return;
        }
        locals.add(candidate);
        for (int i = 0; i < remotes.size(); i++) {
            pair(candidate, remotes.get(i), remoteAddresses.get(i));
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
        locals.removeIf(l -> l.base().equals(base));
        for (PairEntry p : checklist.pairs()) {
            if (p.local.base().equals(base)) {
                forgetChecks(p);
                p.transaction = null;
                nominationEnded(p);
                p.state = PairState.FAILED;
                p.valid = false;
            }
        }
        if (selected != null && selected.local.base().equals(base)
                && (state == IceState.CONNECTED || state == IceState.COMPLETED)) {
            new ConsentFreshness(this).disconnected(now, selected);
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
                || candidate.componentId() != 1 || remotes.size() >= config.maxRemoteCandidates()) {
            return;
        }
        InetSocketAddress address = candidate.socketAddress();
        if (knownRemote(address) != null) {
            return;
        }
        remotes.add(candidate);
        remoteAddresses.add(address);
        for (LocalCandidate local : locals) {
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
            selected.retired = true;
            selected.held = true;
            checklist.pairs().add(selected); // keeps consent running on the old path
        }
        remotes.clear();
        remoteAddresses.clear();
        nominating = null;
        firstValidAt = Long.MIN_VALUE;
        remoteEnd = false;
        localEnd = false;
        lastCheckAt = Long.MIN_VALUE;
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
        transactions.clear();
        transmits.clear();
        nextConsentAt = Long.MAX_VALUE;
        nextRecoveryAt = Long.MAX_VALUE;
    }

    /**
     * Handles a datagram that arrived on the socket bound to {@code input.local()}.
     *
     * @return {@code true} if it was a STUN message (consumed here), {@code false} if it is application data
     */
    @Override
    public boolean handleInput(long now, Datagram input) {
        InetSocketAddress base = input.local();
        InetSocketAddress source = input.source();
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
        if (!UnicastAddress.isUnicast(source)) {
            refusedNonUnicast++; // never answered, never a peer-reflexive candidate (RFC 8445 section 5.1.1)
            return true;
        }
        StunClass cls = reader.messageClass();
        if (reader.methodCode() != BINDING) {
            dropped++; // e.g. Chrome's GOOG-PING, which it sends only to peers that announce it: ignored quietly
            return true;
        }
        if (cls == StunClass.REQUEST) {
            new RequestHandling(this).handle(now, base, source);
        } else if (cls.isResponse()) {
            new ResponseHandling(this).handle(now, base, source);
        }
        handleTimeout(now);
        return true;
    }

    // ---- timers -----------------------------------------------------------------------------

    /** Runs whatever is due at {@code now}: retransmissions, the next paced check, nomination, consent. */
    @Override
    public void handleTimeout(long now) {
        transactions.forgetConsentSentUpTo(now - config.consentTimeout().toNanos()); // a consent timeout old
        if (state == IceState.CLOSED || state == IceState.FAILED) {
            return;
        }
        retransmit(now);
        if (!config.lite() && credentials.remote != null
                && (lastCheckAt == Long.MIN_VALUE || now - lastCheckAt >= config.pacing().toNanos())) {
            PairEntry next = checklist.hasWork() ? checklist.next() : null;
            if (next != null) {
                startCheck(now, next, false);
                lastCheckAt = now;
                setState(state == IceState.NEW ? IceState.CHECKING : state);
            }
        }
        maybeNominate(now);
        new ConsentFreshness(this).run(now);
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
            next = lastCheckAt == Long.MIN_VALUE ? Long.MIN_VALUE : lastCheckAt + config.pacing().toNanos();
        }
        for (PairEntry p : checklist.pairs()) {
            if (p.transaction != null) {
                next = Math.min(next, p.transaction.nextTimeout());
                if (p.hurryAt != Long.MAX_VALUE && awaitsNomination(p)) {
                    next = Math.min(next, Math.max(p.hurryAt, lastCheckAt + config.pacing().toNanos()));
                }
            }
        }
        if (role == IceRole.CONTROLLING && (selected == null || previous != null) && nominating == null
                && checklist.bestValid() != null) {
            next = Math.min(next, firstValidAt + config.nominationDelay().toNanos());
        }
        if (selected != null) {
            next = Math.min(next, state == IceState.DISCONNECTED
                    ? Math.min(nextRecoveryAt, new ConsentFreshness(this).nextBackupProbeAt(selected)) : nextConsentAt);
            if (state == IceState.CONNECTED || state == IceState.COMPLETED) {
                next = Math.min(next, selected.lastConsentAt + config.disconnectedTimeout().toNanos());
            }
            next = Math.min(next, selected.lastConsentAt + config.consentTimeout().toNanos());
        }
        return next;
    }

    private void retransmit(long now) {
        for (PairEntry p : checklist.pairs()) {
            StunClientTransaction t = p.transaction;
            if (t == null) {
                continue;
            }
            if (now >= t.timeoutAt()) { // the check's last transaction timed out (sections 7.2.5.2, 14.3)
                forgetChecks(p);
                p.transaction = null;
                p.state = PairState.FAILED;
                if (p == nominating) {
                    nominating = null;
                }
            } else if (series.due(p, now) && awaitsNomination(p) && paced(now)) {
                startCheck(now, p, p.transactionNominates, true);
                series.earlyCheckStarted(p, now);
                lastCheckAt = now;
            } else if (t.handleTimeout(now) == StunClientTransaction.Tick.RETRANSMIT) {
                sendCheck(p, t.id(), p.transactionNominates);
            }
        }
    }

    // ---- checks -----------------------------------------------------------------------------

    /** Starts a check (section 7.2.4), with USE-CANDIDATE when nominating (section 8.1.1). */
    void startCheck(long now, PairEntry pair, boolean nominate) {
        startCheck(now, pair, nominate, false);
    }

    /**
     * Starts a check; {@code early} when it replaces the check in flight because a nomination waits on
     * it ({@link EarlyCheckSeries}), as a triggered check replaces one in progress (section 7.3.1.4):
     * the replaced transaction is no longer retransmitted but its response is still awaited, the check
     * keeps the timeout of its first transaction, and every such check takes a Ta slot, so the RTO of
     * each transaction stays at least 500 ms (section 14.3). A check that is not early starts a new
     * series: the earlier check's transactions are forgotten.
     */
    private void startCheck(long now, PairEntry pair, boolean nominate, boolean early) {
        if (!early) {
            transactions.forgetChecks(pair);
            series.checkStarted(pair, now, nominate);
        }
        TransactionId id = TransactionId.random(random);
        pair.state = PairState.IN_PROGRESS;
        long active = checklist.count(PairState.WAITING) + checklist.count(PairState.IN_PROGRESS);
        long rto = Math.max(config.checkSchedule().rto().toNanos(), config.pacing().toNanos() * active); // 14.3
        // an early check keeps the timeout of the series' first transaction (RFC 8489 section 6.2.1)
        pair.transaction = early ? StunClientTransaction.replacing(pair.transaction, id, rto, now)
                : StunClientTransaction.start(id, config.checkSchedule(), rto, now);
        pair.transactionNominates = nominate;
        transactions.check(id, pair, nominate, now);
        sendCheck(pair, id, nominate);
    }

    /**
     * Sends a consent check on a pair (RFC 7675 section 5.1): a plain Binding request, not
     * retransmitted; with USE-CANDIDATE only if {@code selectedPair} and configured so
     * ({@link CoreConfig#useCandidateOnConsent()}), never on a backup.
     */
    void sendConsentCheck(long now, PairEntry pair, boolean selectedPair) {
        if (pair.session.remoteKey == null) {
            return;
        }
        TransactionId id = TransactionId.random(random);
        boolean nominate = selectedPair && config.useCandidateOnConsent() && role == IceRole.CONTROLLING;
        transactions.consent(id, pair, now);
        sendCheck(pair, id, nominate);
    }

    private void sendCheck(PairEntry pair, TransactionId id, boolean nominate) {
        IceCandidate local = pair.local.candidate();
        long prflxPriority = CandidatePriority.of(CandidateType.PEER_REFLEXIVE.typePreference(),
                (int) ((local.priority() >>> 8) & 0xFFFF), local.componentId());
        byte[] bytes = messages.request(id, pair.session.outgoingUsername(), prflxPriority, role, config.tieBreaker(),
                nominate, pair.session.remoteKey);
        transmits.add(new Transmit(pair.local.base(), pair.remoteAddress, bytes));
    }

    /**
     * Whether a nomination waits on this pair's check: ours, as the controlling agent, or the peer's
     * USE-CANDIDATE (section 7.3.1.5) while we have no usable selected pair. Its check is then started
     * again early, so that one lost datagram does not leave one side usable and the other waiting for
     * a retransmission at the doubling RTO.
     */
    private boolean awaitsNomination(PairEntry p) {
        return p == nominating || p.nominateOnSuccess && !p.valid
                && (selected == null || previous != null || state == IceState.DISCONNECTED);
    }

    /** At most one new check per Ta, triggered, ordinary, early or a recovery check on a backup (section 14.2). */
    boolean paced(long now) {
        return lastCheckAt == Long.MIN_VALUE || now - lastCheckAt >= config.pacing().toNanos();
    }

    /** When the last Ta slot was taken, or {@code Long.MIN_VALUE}. */
    long lastCheckAt() {
        return lastCheckAt;
    }

    /** A request went out at {@code now}: the next Ta slot is Ta later. */
    void tookSlot(long now) {
        lastCheckAt = now;
    }

    /** Forgets every check of ours in flight on {@code pair} (not its consent checks); its early series ends. */
    void forgetChecks(PairEntry pair) {
        transactions.forgetChecks(pair);
        series.ended(pair);
    }

    /** {@code pair} left the checklist: nothing of its check is awaited any more. */
    private void pairLeft(PairEntry pair) {
        pair.held = false;
        forgetChecks(pair);
        pair.transaction = null;
        nominationEnded(pair);
    }

    /** Takes the transaction a response answers, if it is ours and authentic; otherwise {@code null}. */
    TransactionTable.Outstanding takeOutstanding() {
        StunMessageReader reader = READER.get();
        TransactionTable.Outstanding o = transactions.get(reader.transactionId());
        if (o == null || o.pair().session.remoteKey == null || !reader.integrityMatches(o.pair().session.remoteKey)) {
            return null; // unknown, late, or not authentic: changes nothing (RFC 8445 section 7.2.5.1)
        }
        transactions.remove(reader.transactionId(), o);
        return o;
    }

    /** An authentic answer arrived for a pair that left the checklist: ignored, counted. */
    void lateResponse() {
        lateResponses++;
    }

    /** A check on {@code pair} succeeded (sections 7.2.5.3.2 to 7.2.5.3.4). */
    void checkSucceeded(long now, PairEntry pair, boolean nominated) {
        forgetChecks(pair); // the checks it replaced, if it was started early
        pair.transaction = null;
        pair.state = PairState.SUCCEEDED;
        if (!pair.valid) {
            pair.valid = true;
            events.add(new IceEvent.PairValidated(pair.snapshot()));
        }
        checklist.unfreeze(pair.foundation);
        if (firstValidAt == Long.MIN_VALUE) {
            firstValidAt = now;
        }
        if (nominated || pair.nominateOnSuccess) {
            pair.nominated = true;
            nominating = null;
            select(now, pair);
        }
        maybeNominate(now);
    }

    /** A nomination in flight on {@code pair} ended without success. */
    void nominationEnded(PairEntry pair) {
        if (pair == nominating) {
            nominating = null;
        }
    }

    /** Whether an address is one of our own candidates' (section 7.2.5.3.1). */
    boolean isLocalAddress(InetSocketAddress mapped) {
        for (LocalCandidate l : locals) {
            if (l.candidate().hasIpAddress() && l.candidate().socketAddress().equals(mapped)) {
                return true;
            }
        }
        return false;
    }

    String nextPeerReflexiveFoundation(String prefix) {
        return prefix + (++prflxCount);
    }

    // ---- nomination and selection -------------------------------------------------------------

    /**
     * Regular nomination (section 8.1.1): the controlling agent nominates the best valid pair once no
     * better pair can still succeed, or when the nomination delay after the first valid pair ends.
     */
    private void maybeNominate(long now) {
        if (role != IceRole.CONTROLLING || selected != null && previous == null || nominating != null) {
            return;
        }
        PairEntry best = checklist.bestValid();
        if (best == null || best == selected) {
            return;
        }
        if (best == checklist.bestPending() || now >= firstValidAt + config.nominationDelay().toNanos()) {
            nominating = best;
            startCheck(now, best, true);
        }
    }

    /** Nominates another valid pair after the selected one lost consent, unless a nomination is in flight. */
    void renominate(long now, PairEntry pair) {
        if (nominating == null && pair.transaction == null) {
            nominating = pair;
            startCheck(now, pair, true);
        }
    }

    /** Selects a pair: the data path moves to it, consent starts on it (RFC 7675). */
    void select(long now, PairEntry pair) {
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
            if (pair.lastConsentAt == Long.MIN_VALUE) {
                pair.lastConsentAt = now;
            }
            // Unlike RFC 8445 section 8.1.2, the remaining pairs keep being checked at the Ta pace after
            // nomination, as browsers do: they become the valid backups that consent failover moves to.
            events.add(new IceEvent.SelectedPairChanged(pair.snapshot()));
        }
        nextConsentAt = config.lite() ? Long.MAX_VALUE // a lite agent sends no checks, consent included
                : now + ConsentFreshness.jitter(config.consentInterval().toNanos(), random);
        nextRecoveryAt = Long.MAX_VALUE;
        setState(IceState.CONNECTED);
        updateCompleted();
    }

    void switchRole() {
        role = role.opposite();
        checklist.reprioritize(role);
        events.add(new IceEvent.RoleChanged(role));
    }

    private void updateCompleted() {
        if (selected != null && localEnd && remoteEnd && state == IceState.CONNECTED) {
            setState(IceState.COMPLETED);
        }
    }

    void setState(IceState next) {
        if (state != next && state != IceState.CLOSED) {
            state = next;
            events.add(new IceEvent.StateChanged(next));
        }
    }

    // ---- helpers shared with RequestHandling and ConsentFreshness ------------------------------

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
        PairEntry p = checklist.add(local, remote, remoteAddress, role);
        if (p == null) {
            return null;
        }
        p.session = credentials;
        PairEntry evicted = checklist.evictOverLimit();
        if (evicted != null) {
            pairLeft(evicted);
        }
        return evicted == p ? null : p;
    }

    IceCandidate knownRemote(InetSocketAddress address) {
        for (int i = 0; i < remoteAddresses.size(); i++) {
            if (remoteAddresses.get(i).equals(address)) {
                return remotes.get(i);
            }
        }
        return null;
    }

    LocalCandidate localByBase(InetSocketAddress base) {
        for (LocalCandidate l : locals) {
            if (l.base().equals(base) && l.candidate().type() != CandidateType.SERVER_REFLEXIVE) {
                return l;
            }
        }
        return null;
    }

    IceCandidate addPeerReflexiveRemote(InetSocketAddress source, long priority) {
        if (remotes.size() >= config.maxRemoteCandidates()) {
            return null;
        }
        IceCandidate prflx = IceCandidate.udp(nextPeerReflexiveFoundation("r"), 1, priority, source,
                CandidateType.PEER_REFLEXIVE);
        remotes.add(prflx);
        remoteAddresses.add(source);
        events.add(new IceEvent.RemoteCandidateDiscovered(prflx));
        return prflx;
    }

    PairEntry addPair(LocalCandidate local, IceCandidate remote, InetSocketAddress remoteAddress) {
        PairEntry existing = checklist.find(local.base(), remoteAddress);
        return existing != null ? existing : addToChecklist(local, remote, remoteAddress);
    }

    /** The reader holding the datagram {@link #handleReceive} is handling (this thread's). */
    StunMessageReader reader() {
        return READER.get();
    }

    CheckMessages messages() {
        return messages;
    }

    Checklist checklist() {
        return checklist;
    }

    CoreConfig config() {
        return config;
    }

    RandomGenerator random() {
        return random;
    }

    SessionCredentials session() {
        return credentials;
    }

    /** The session before a restart, while its selected pair still carries data; or {@code null}. */
    SessionCredentials previousSession() {
        return previous;
    }

    IceRole roleNow() {
        return role;
    }

    void transmit(Transmit t) {
        transmits.add(t);
    }

    void event(IceEvent e) {
        events.add(e);
    }

    PairEntry selectedEntry() {
        return selected;
    }

    long nextConsentAt() {
        return nextConsentAt;
    }

    void nextConsentAt(long at) {
        nextConsentAt = at;
    }

    long nextRecoveryAt() {
        return nextRecoveryAt;
    }

    void nextRecoveryAt(long at) {
        nextRecoveryAt = at;
    }

    long recoveryInterval() {
        return recoveryInterval;
    }

    void recoveryInterval(long nanos) {
        recoveryInterval = nanos;
    }

    /** Consent was lost: no consent check is awaited any more (RFC 7675 section 5.1). */
    void forgetConsentChecks() {
        transactions.forgetConsentSentUpTo(Long.MAX_VALUE);
    }

    EarlyCheckSeries series() {
        return series;
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
    public void remoteAddresses(java.util.Collection<InetSocketAddress> valid,
            java.util.Collection<InetSocketAddress> heard) {
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

    /** The STUN transactions of ours in flight (a view, for tests of the table's bounds). */
    java.util.Collection<TransactionTable.Outstanding> transactionsInFlight() {
        return transactions.view();
    }

    /** How many remote candidates are held, signalled and peer-reflexive (for tests of the limit). */
    int remoteCandidateCount() {
        return remotes.size();
    }

    /** A snapshot of the checklist, best pair first, for diagnostics. */
    public List<String> describeChecklist() {
        List<String> out = new ArrayList<>();
        for (PairEntry p : checklist.pairs()) {
            out.add(p.toString());
        }
        return out;
    }
}
