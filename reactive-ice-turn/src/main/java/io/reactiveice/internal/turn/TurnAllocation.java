package io.reactiveice.internal.turn;

import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.internal.turn.TurnTransaction.Kind;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunDecodeException;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.turn.TurnAuthenticationException;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnException;
import io.reactiveice.turn.TurnProtocolException;
import io.reactiveice.turn.TurnRefusedException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One TURN allocation as a deterministic state machine
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7">RFC 8656 sections 7 to 12</a>): no
 * sockets, no clock, no threads. Time comes in as nanoseconds; messages from the server come in as
 * bytes ({@link #handleInput}); what must be sent comes out of {@link #pollTransmit()}, what
 * happened out of {@link #pollEvent()}, and {@link #nextTimeout()} says when to call
 * {@link #handleTimeout} next: the {@link ProtocolMachine} contract, as the ICE agent's core. Not
 * thread-safe: one serialized context drives it.
 *
 * <p>It sends the Allocate with REQUESTED-TRANSPORT UDP, answers the 401 challenge with the
 * long-term credential (SHA-256 when PASSWORD-ALGORITHMS offers it, else MD5), retries a 438 Stale
 * Nonce with the new nonce, follows one 300 ALTERNATE-SERVER ({@link ServerCredential}), asks for an
 * IPv6 relay with REQUESTED-ADDRESS-FAMILY and for DONT-FRAGMENT when configured (retrying without
 * DONT-FRAGMENT when the server answers 420 for it), sends USERHASH when the nonce cookie asks for it,
 * refreshes the allocation 60 s before its lifetime ends (or at 80% of a short one), keeps permissions
 * and channels refreshed ({@link PeerRequests}, sections 9 and 12), and deletes the allocation with a
 * Refresh of LIFETIME 0. Requests are timed by {@link TurnTransactions}. Responses that are malformed,
 * unmatched or fail MESSAGE-INTEGRITY are dropped and counted.
 */
public final class TurnAllocation implements ProtocolMachine<Datagram, TurnEvent> {
    /** Where the allocation stands. */
    public enum State {
        /** Not started. */
        IDLE,
        /** Allocate sent, no success yet. */
        ALLOCATING,
        /** The relayed address exists. */
        ALLOCATED,
        /** Refresh with LIFETIME 0 sent. */
        DEALLOCATING,
        /** Deleted, or given up after a failure. */
        CLOSED,
        /** Allocate refused or timed out, or a Refresh failed. */
        FAILED
    }

    private static final long DEFAULT_LIFETIME_SECONDS = 600;

    private final TurnAllocationConfig config;
    private final StunMessageReader reader = new StunMessageReader();
    private final TurnRequests requests;
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<TurnEvent> events = new ArrayDeque<>();
    private final TurnTransactions pending;
    private final PeerRequests peers = new PeerRequests(events, (kind, peer, ch, now) -> send(kind, peer, ch, -1, now));
    private final ServerCredential credential;
    private State state = State.IDLE;
    private InetSocketAddress relayed;
    private InetSocketAddress mapped;
    private long refreshAt = TurnTransaction.NEVER;
    private long lifetimeSeconds = DEFAULT_LIFETIME_SECONDS;
    private long dropped;

    /**
     * A new allocation, not started.
     *
     * @param config the server and credential
     * @param random the source of transaction ids (a {@code SecureRandom} in production)
     */
    public TurnAllocation(TurnAllocationConfig config, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.credential = new ServerCredential(config);
        this.requests = new TurnRequests(config);
        this.pending = new TurnTransactions(requests, Objects.requireNonNull(random, "random"), config.schedule(),
                transmits);
    }

    /** Sends the first, unauthenticated Allocate (RFC 8656 section 7.1). */
    public void start(long now) {
        if (state != State.IDLE) {
            throw new IllegalStateException("start() once, but the allocation is " + state);
        }
        state = State.ALLOCATING;
        send(Kind.ALLOCATE, null, 0, -1, now);
    }

    /**
     * Asks for a permission for a peer's IP address (RFC 8656 section 9), or reports the one that
     * exists as {@link TurnEvent.PermissionCreated}.
     */
    public void permit(long now, InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        if (state == State.ALLOCATING || state == State.IDLE) {
            peers.defer(peer);
        } else if (state == State.ALLOCATED) {
            peers.createPermission(now, peer);
        }
    }

    /**
     * Notes that data goes to a peer: a permission for it and a channel bound to it
     * (RFC 8656 section 12), both refreshed for as long as the allocation lives.
     */
    public void peerActive(long now, InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        peers.request(peer);
        if (state == State.ALLOCATED) {
            peers.createPermission(now, peer);
            peers.bindChannel(now, peer);
        }
    }

    /** Deletes the allocation: a Refresh with LIFETIME 0 (RFC 8656 section 8), or nothing if none exists. */
    public void deallocate(long now) {
        switch (state) {
            case ALLOCATED -> {
                pending.clear();
                state = State.DEALLOCATING;
                send(Kind.REFRESH, null, 0, 0, now);
            }
            case IDLE, ALLOCATING, FAILED -> closed();
            default -> {
            }
        }
    }

    /**
     * The TCP or TLS connection to the server closed. Over a stream the allocation lives only as
     * long as its connection (RFC 8656 section 3.1), so it is lost, or never made, or deleted.
     *
     * @param now the time in nanoseconds
     */
    public void transportClosed(long now) {
        TurnException cause = new TurnProtocolException(credential.server(),
                "the connection closed, and with it the allocation (RFC 8656 section 3.1)");
        switch (state) {
            case IDLE, ALLOCATING -> gaveUp(new TurnEvent.AllocationFailed(cause));
            case ALLOCATED -> gaveUp(new TurnEvent.AllocationLost(cause));
            case DEALLOCATING -> closed();
            default -> {
            }
        }
    }

    /**
     * A STUN message from the server: a response to one of our requests. Anything else, and any
     * response that is malformed, unmatched or not authentic, is dropped and counted.
     *
     * @param now the time in nanoseconds
     * @param input the message from the server's address (its bytes read, never kept)
     * @return whether it was a response to one of our requests; {@code false} when it was dropped
     */
    @Override
    public boolean handleInput(long now, Datagram input) {
        if (!reader.tryRead(input.buffer(), input.offset(), input.length()) || !reader.messageClass().isResponse()) {
            dropped++;
            return false;
        }
        TurnTransaction t = pending.get(reader.transactionId());
        if (t == null || reader.methodCode() != t.kind.method.code()
                || reader.hasFingerprint() && !reader.fingerprintMatches()) {
            dropped++;
            return false;
        }
        boolean authentic = t.authenticated && credential.verifies(reader);
        try {
            if (reader.messageClass() == StunClass.SUCCESS_RESPONSE) {
                if (t.authenticated && !authentic) {
                    dropped++;
                    return false;
                }
                onSuccess(t, now);
            } else {
                int code = reader.errorCode();
                if (t.authenticated && !authentic && code != 401 && code != 438) {
                    dropped++; // RFC 8489 section 9.2.5: only challenges may come unsigned
                    return false;
                }
                onError(t, code, now);
            }
        } catch (StunDecodeException | IllegalArgumentException malformed) {
            dropped++;
            return false;
        }
        return true;
    }

    /** Retransmits, times out and refreshes whatever is due at {@code now}. */
    @Override
    public void handleTimeout(long now) {
        pending.handleTimeout(now, this::failed);
        if (state != State.ALLOCATED) {
            return;
        }
        if (refreshAt <= now) {
            refreshAt = TurnTransaction.NEVER;
            send(Kind.REFRESH, null, 0, config.lifetime() == null ? -1 : config.lifetime().toSeconds(), now);
        }
        peers.refreshDue(now);
    }

    /** When {@link #handleTimeout} must run next, in nanoseconds; {@link Long#MAX_VALUE} if never. */
    @Override
    public long nextTimeout() {
        long next = pending.nextTimeout();
        if (state == State.ALLOCATED) {
            next = Math.min(next, Math.min(refreshAt, peers.nextTimeout()));
        }
        return next;
    }

    /** The next message to send, or {@code null}. */
    @Override
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    /** The next event, or {@code null}. */
    @Override
    public TurnEvent pollEvent() {
        return events.poll();
    }

    /** The channels and peers now, for the data path. */
    public ChannelTable channels() {
        return peers.snapshot();
    }

    /** Where the allocation stands. */
    public State state() {
        return state;
    }

    /** The server requests go to (changes once if redirected). */
    public InetSocketAddress server() {
        return credential.server();
    }

    /** The relayed address, or {@code null} before the allocation exists. */
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** XOR-MAPPED-ADDRESS of the Allocate response, or {@code null} before. */
    public InetSocketAddress mappedAddress() {
        return mapped;
    }

    /**
     * Whether the allocation was made with DONT-FRAGMENT, so that Send indications carry it too
     * (RFC 8656 sections 7.1 and 11.1): asked for in the configuration and understood by the server.
     */
    public boolean dontFragment() {
        return state == State.ALLOCATED && requests.dontFragment();
    }

    /** How many messages were dropped as malformed, unmatched or not authentic. */
    public long dropped() {
        return dropped;
    }

    /** A success response: read first, so that a malformed one is dropped with its request still awaited. */
    private void onSuccess(TurnTransaction t, long now) {
        switch (t.kind) {
            case ALLOCATE -> onAllocated(t, now);
            case REFRESH -> onRefreshed(t, now);
            case CREATE_PERMISSION, CHANNEL_BIND -> {
                pending.remove(t);
                credential.succeeded();
                peers.succeeded(t, now);
            }
        }
    }

    /** RFC 8656 section 7.3: the Allocate success response names the relayed and the mapped address. */
    private void onAllocated(TurnTransaction t, long now) {
        int r = reader.indexOf(StunAttributeType.XOR_RELAYED_ADDRESS);
        if (r < 0) {
            pending.remove(t);
            failed(t, new TurnProtocolException(credential.server(), "Allocate success without XOR-RELAYED-ADDRESS"));
            return;
        }
        InetSocketAddress relayedAddress = reader.xorAddress(r);
        if (!TurnResponses.familyMatches(relayedAddress, config.addressFamily())) {
            pending.remove(t);
            failed(t, new TurnProtocolException(credential.server(), "asked for an " + config.addressFamily()
                    + " relay with REQUESTED-ADDRESS-FAMILY but got " + relayedAddress));
            return;
        }
        int m = reader.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS);
        InetSocketAddress mappedAddress = m < 0 ? relayedAddress : reader.xorAddress(m);
        long lifetime = TurnResponses.lifetime(reader, DEFAULT_LIFETIME_SECONDS);
        pending.remove(t);
        relayed = relayedAddress;
        mapped = mappedAddress;
        state = State.ALLOCATED;
        credential.succeeded();
        scheduleRefresh(lifetime, now);
        events.add(new TurnEvent.Allocated(relayed, mapped, Duration.ofSeconds(lifetime)));
        peers.allocated(now);
    }

    /** RFC 8656 section 8: a Refresh success gives the new lifetime; a LIFETIME 0 one deleted the allocation. */
    private void onRefreshed(TurnTransaction t, long now) {
        long lifetime = TurnResponses.lifetime(reader, t.lifetimeSeconds < 0 ? lifetimeSeconds : t.lifetimeSeconds);
        pending.remove(t);
        credential.succeeded();
        if (t.lifetimeSeconds == 0 || state == State.DEALLOCATING) {
            closed();
        } else {
            scheduleRefresh(lifetime, now);
            events.add(new TurnEvent.Refreshed(Duration.ofSeconds(lifetime)));
        }
    }

    /** An error response: retried with a credential, a new nonce, another server or without DONT-FRAGMENT, or a failure. */
    private void onError(TurnTransaction t, int code, long now) {
        if (code == 401 && !t.authenticated) {
            pending.remove(t);
            try {
                credential.challenged(reader);
            } catch (TurnException unusable) {
                failed(t, unusable);
                return;
            }
            send(t.kind, t.peer, t.channel, t.lifetimeSeconds, now);
        } else if (code == 438 && credential.staleNonce(reader)) {
            pending.remove(t);
            send(t.kind, t.peer, t.channel, t.lifetimeSeconds, now);
        } else if (code == 300 && t.kind == Kind.ALLOCATE) {
            InetSocketAddress from = credential.server();
            String refused = credential.redirect(reader);
            pending.remove(t);
            if (refused != null) {
                failed(t, new TurnProtocolException(from, refused));
            } else {
                send(Kind.ALLOCATE, null, 0, -1, now);
            }
        } else if (code == 420 && t.kind == Kind.ALLOCATE && requests.dontFragment()
                && TurnResponses.unknown(reader, StunAttributeType.DONT_FRAGMENT.code())) {
            // RFC 8656 section 7.3: the server cannot set DF; the client may retry without asking for it
            pending.remove(t);
            requests.withoutDontFragment();
            send(Kind.ALLOCATE, null, 0, -1, now);
        } else {
            pending.remove(t);
            String reason = TurnResponses.reasonPhrase(reader);
            failed(t, code == 401 || code == 441
                    ? new TurnAuthenticationException(server(), config.username(), code, reason)
                    : new TurnRefusedException(server(), t.kind.method.name(), code, reason));
        }
    }

    private void failed(TurnTransaction t, TurnException cause) {
        switch (t.kind) {
            case ALLOCATE -> gaveUp(new TurnEvent.AllocationFailed(cause));
            case REFRESH -> {
                if (t.lifetimeSeconds == 0 || state == State.DEALLOCATING) {
                    closed();
                } else {
                    gaveUp(new TurnEvent.AllocationLost(cause));
                }
            }
            case CREATE_PERMISSION, CHANNEL_BIND -> peers.failed(t, cause);
        }
    }

    private void gaveUp(TurnEvent failure) {
        pending.clear();
        state = State.FAILED;
        events.add(failure);
    }

    private void closed() {
        pending.clear();
        state = State.CLOSED;
        events.add(new TurnEvent.Deallocated());
    }

    /** RFC 8656 section 8: refresh 60 s before the lifetime ends, or at 80% of a lifetime under 300 s. */
    private void scheduleRefresh(long seconds, long now) {
        lifetimeSeconds = seconds;
        long lifetime = Duration.ofSeconds(seconds).toNanos();
        refreshAt = now + lifetime - Math.min(Duration.ofSeconds(60).toNanos(), lifetime / 5);
    }

    private void send(Kind kind, InetSocketAddress peer, int channel, long lifetimeSeconds, long now) {
        pending.send(kind, peer, channel, lifetimeSeconds, credential.auth(), credential.server(), now);
    }

    @Override
    public String toString() {
        return "TurnAllocation[" + state + ", server " + credential.server() + ", relayed " + relayed + "]";
    }
}
