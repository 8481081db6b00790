package io.reactiveice.turn;

import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunDecodeException;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.turn.TurnTransaction.Kind;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One TURN allocation as a deterministic state machine
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7">RFC 8656 sections 7 to 12</a>): no
 * sockets, no clock, no threads. Time comes in as nanoseconds; messages from the server come in as
 * bytes ({@link #handleInput}); what must be sent comes out of {@link #pollTransmit()}, what
 * happened out of {@link #pollEvent()}, and {@link #nextTimeout()} says when to call
 * {@link #handleTimeout} next: the {@link ProtocolMachine} contract, as the ICE agent's core. Not thread-safe: one serialized context drives it.
 *
 * <p>It sends the Allocate with REQUESTED-TRANSPORT UDP, answers the 401 challenge with the
 * long-term credential (SHA-256 when PASSWORD-ALGORITHMS offers it, else MD5), retries a 438 Stale
 * Nonce with the new nonce, follows one 300 ALTERNATE-SERVER, asks for an IPv6 relay with
 * REQUESTED-ADDRESS-FAMILY and for DONT-FRAGMENT when configured (retrying without DONT-FRAGMENT
 * when the server answers 420 for it), sends USERHASH when the nonce cookie asks for it, refreshes the allocation 60 s before
 * its lifetime ends (or at 80% of a short one), keeps permissions and channels refreshed, and
 * deletes the allocation with a Refresh of LIFETIME 0. Responses that are malformed, unmatched or
 * fail MESSAGE-INTEGRITY are dropped and counted.
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

    private static final int MAX_STALE_NONCE_RETRIES = 3;
    private static final long DEFAULT_LIFETIME_SECONDS = 600;

    private final TurnAllocationConfig config;
    private final RandomGenerator random;
    private final StunMessageReader reader = new StunMessageReader();
    private final TurnRequests requests;
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<TurnEvent> events = new ArrayDeque<>();
    private final Map<TransactionId, TurnTransaction> pending = new LinkedHashMap<>();
    private final PeerBindings peers = new PeerBindings();
    private final Set<InetSocketAddress> deferredPermits = new LinkedHashSet<>();
    private InetSocketAddress server;
    private boolean redirected;
    private LongTermAuth auth;
    private int staleNonceRetries;
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
        this.random = Objects.requireNonNull(random, "random");
        this.server = config.server();
        this.requests = new TurnRequests(config);
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
            deferredPermits.add(peer);
        } else if (state == State.ALLOCATED) {
            createPermission(peer, now);
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
            createPermission(peer, now);
            bindChannel(peer, now);
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
        TurnException cause = new TurnProtocolException(server,
                "the connection closed, and with it the allocation (RFC 8656 section 3.1)");
        switch (state) {
            case IDLE, ALLOCATING -> {
                pending.clear();
                state = State.FAILED;
                events.add(new TurnEvent.AllocationFailed(cause));
            }
            case ALLOCATED -> {
                pending.clear();
                state = State.FAILED;
                events.add(new TurnEvent.AllocationLost(cause));
            }
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
        boolean authentic = t.authenticated && auth != null && auth.verifies(reader);
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
        for (TurnTransaction t : new ArrayList<>(pending.values())) {
            if (pending.get(t.id) != t) {
                continue;
            }
            if (t.deadline <= now) {
                pending.remove(t.id);
                failed(t, new TurnTimeoutException(t.server, t.kind.method.name(), t.sends,
                        Duration.ofNanos(now - t.started)));
            } else if (t.nextSendAt <= now) {
                transmits.add(new Transmit(null, t.server, t.request));
                t.sent(now);
            }
        }
        if (state != State.ALLOCATED) {
            return;
        }
        if (refreshAt <= now) {
            refreshAt = TurnTransaction.NEVER;
            send(Kind.REFRESH, null, 0, config.lifetime() == null ? -1 : config.lifetime().toSeconds(), now);
        }
        for (var ip : peers.permissionsDue(now)) {
            PeerBindings.Permission p = peers.permission(ip);
            p.inFlight = true;
            send(Kind.CREATE_PERMISSION, p.peer, 0, -1, now);
        }
        for (InetSocketAddress peer : peers.channelsDue(now)) {
            PeerBindings.Channel c = peers.channel(peer);
            c.inFlight = true;
            send(Kind.CHANNEL_BIND, peer, c.number, -1, now);
        }
    }

    /** When {@link #handleTimeout} must run next, in nanoseconds; {@link Long#MAX_VALUE} if never. */
    @Override
    public long nextTimeout() {
        long next = TurnTransaction.NEVER;
        for (TurnTransaction t : pending.values()) {
            next = Math.min(next, t.nextEvent());
        }
        if (state == State.ALLOCATED) {
            next = Math.min(next, Math.min(refreshAt, peers.nextEvent()));
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
        return server;
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

    // ---- responses ------------------------------------------------------------------------------

    private void onSuccess(TurnTransaction t, long now) {
        switch (t.kind) {
            case ALLOCATE -> {
                int r = reader.indexOf(StunAttributeType.XOR_RELAYED_ADDRESS);
                if (r < 0) {
                    pending.remove(t.id);
                    failed(t, new TurnProtocolException(server, "Allocate success without XOR-RELAYED-ADDRESS"));
                    return;
                }
                InetSocketAddress relayedAddress = reader.xorAddress(r);
                if (!familyMatches(relayedAddress)) {
                    pending.remove(t.id);
                    failed(t, new TurnProtocolException(server, "asked for an " + config.addressFamily()
                            + " relay with REQUESTED-ADDRESS-FAMILY but got " + relayedAddress));
                    return;
                }
                int m = reader.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS);
                InetSocketAddress mappedAddress = m < 0 ? relayedAddress : reader.xorAddress(m);
                long lifetime = lifetimeOf(DEFAULT_LIFETIME_SECONDS);
                pending.remove(t.id);
                relayed = relayedAddress;
                mapped = mappedAddress;
                state = State.ALLOCATED;
                staleNonceRetries = 0;
                scheduleRefresh(lifetime, now);
                events.add(new TurnEvent.Allocated(relayed, mapped, Duration.ofSeconds(lifetime)));
                deferredPermits.forEach(peer -> createPermission(peer, now));
                deferredPermits.clear();
                for (InetSocketAddress peer : peers.requestedPeers()) {
                    createPermission(peer, now);
                    bindChannel(peer, now);
                }
            }
            case REFRESH -> {
                long lifetime = lifetimeOf(t.lifetimeSeconds < 0 ? lifetimeSeconds : t.lifetimeSeconds);
                pending.remove(t.id);
                staleNonceRetries = 0;
                if (t.lifetimeSeconds == 0 || state == State.DEALLOCATING) {
                    closed();
                } else {
                    scheduleRefresh(lifetime, now);
                    events.add(new TurnEvent.Refreshed(Duration.ofSeconds(lifetime)));
                }
            }
            case CREATE_PERMISSION -> {
                pending.remove(t.id);
                staleNonceRetries = 0;
                peers.permissionInstalled(t.peer, now);
                events.add(new TurnEvent.PermissionCreated(t.peer.getAddress()));
            }
            case CHANNEL_BIND -> {
                pending.remove(t.id);
                staleNonceRetries = 0;
                peers.channelBound(t.peer, now);
                events.add(new TurnEvent.ChannelBound(t.peer, t.channel));
            }
        }
    }

    private void onError(TurnTransaction t, int code, long now) {
        LongTermAuth renewed;
        if (code == 401 && !t.authenticated) {
            pending.remove(t.id);
            try {
                auth = LongTermAuth.fromChallenge(reader, server, config.username(), config.password());
            } catch (TurnException unusable) {
                failed(t, unusable);
                return;
            }
            send(t.kind, t.peer, t.channel, t.lifetimeSeconds, now);
        } else if (code == 438 && auth != null && staleNonceRetries < MAX_STALE_NONCE_RETRIES
                && (renewed = auth.afterStaleNonce(reader)) != null) {
            auth = renewed;
            staleNonceRetries++;
            pending.remove(t.id);
            send(t.kind, t.peer, t.channel, t.lifetimeSeconds, now);
        } else if (code == 300 && t.kind == Kind.ALLOCATE) {
            redirect(t, now);
        } else if (code == 420 && t.kind == Kind.ALLOCATE && requests.dontFragment() && unknown(StunAttributeType.DONT_FRAGMENT.code())) {
            // RFC 8656 section 7.3: the server cannot set DF; the client may retry without asking for it
            pending.remove(t.id);
            requests.withoutDontFragment();
            send(Kind.ALLOCATE, null, 0, -1, now);
        } else {
            pending.remove(t.id);
            String reason = reasonPhrase();
            failed(t, code == 401 || code == 441
                    ? new TurnAuthenticationException(server, config.username(), code, reason)
                    : new TurnRefusedException(server, t.kind.method.name(), code, reason));
        }
    }

    /** RFC 8656 section 7.3 (and RFC 8489 section 10): follow one ALTERNATE-SERVER. */
    private void redirect(TurnTransaction t, long now) {
        int index = reader.indexOf(StunAttributeType.ALTERNATE_SERVER);
        pending.remove(t.id);
        if (index < 0 || redirected) {
            failed(t, new TurnProtocolException(server, index < 0 ? "300 without ALTERNATE-SERVER"
                    : "redirected a second time, to " + reader.address(index)));
            return;
        }
        InetSocketAddress alternate = reader.address(index);
        String refused = refusedAlternate(alternate);
        if (refused != null) {
            failed(t, new TurnProtocolException(server, "300 names an ALTERNATE-SERVER that " + refused));
            return;
        }
        redirected = true;
        server = alternate;
        auth = null;
        send(Kind.ALLOCATE, null, 0, -1, now);
    }

    /**
     * Why an ALTERNATE-SERVER is not followed, or {@code null}: it must be a unicast address and port
     * (a 300 is not authenticated before the first 401, so anyone on the path could otherwise aim our
     * Allocate at a broadcast or multicast group), of the family of the server it replaces (RFC 8489
     * section 14.15).
     */
    private String refusedAlternate(InetSocketAddress alternate) {
        UnicastAddress.Refusal refusal = UnicastAddress.refusal(alternate);
        if (refusal != null) {
            return "is not a unicast peer (" + refusal.reason() + ")";
        }
        if ((alternate.getAddress() instanceof Inet6Address) != (server.getAddress() instanceof Inet6Address)) {
            return "is of another address family than the server";
        }
        return null;
    }

    private void failed(TurnTransaction t, TurnException cause) {
        switch (t.kind) {
            case ALLOCATE -> {
                pending.clear();
                state = State.FAILED;
                events.add(new TurnEvent.AllocationFailed(cause));
            }
            case REFRESH -> {
                if (t.lifetimeSeconds == 0 || state == State.DEALLOCATING) {
                    closed();
                } else {
                    pending.clear();
                    state = State.FAILED;
                    events.add(new TurnEvent.AllocationLost(cause));
                }
            }
            case CREATE_PERMISSION -> {
                peers.permissionFailed(t.peer.getAddress());
                events.add(new TurnEvent.PeerFailed(t.peer, cause));
            }
            case CHANNEL_BIND -> {
                peers.channelFailed(t.peer);
                events.add(new TurnEvent.PeerFailed(t.peer, cause));
            }
        }
    }

    private void closed() {
        pending.clear();
        state = State.CLOSED;
        events.add(new TurnEvent.Deallocated());
    }

    // ---- requests -------------------------------------------------------------------------------

    private void createPermission(InetSocketAddress peer, long now) {
        PeerBindings.Permission p = peers.permission(peer);
        if (p.inFlight) {
            return;
        }
        if (p.installed) {
            events.add(new TurnEvent.PermissionCreated(peer.getAddress()));
            return;
        }
        p.inFlight = true;
        send(Kind.CREATE_PERMISSION, peer, 0, -1, now);
    }

    private void bindChannel(InetSocketAddress peer, long now) {
        PeerBindings.Channel c = peers.channel(peer);
        if (c == null) {
            c = peers.newChannel(peer);
        }
        if (c == null || c.inFlight || c.bound || c.failed) {
            return;
        }
        c.inFlight = true;
        send(Kind.CHANNEL_BIND, peer, c.number, -1, now);
    }

    /** RFC 8656 section 8: refresh 60 s before the lifetime ends, or at 80% of a lifetime under 300 s. */
    private void scheduleRefresh(long seconds, long now) {
        lifetimeSeconds = seconds;
        long lifetime = Duration.ofSeconds(seconds).toNanos();
        refreshAt = now + lifetime - Math.min(Duration.ofSeconds(60).toNanos(), lifetime / 5);
    }

    private void send(Kind kind, InetSocketAddress peer, int channel, long lifetimeSeconds, long now) {
        TransactionId id = TransactionId.random(random);
        boolean authenticated = auth != null;
        byte[] bytes = requests.encode(kind, id, peer, channel, lifetimeSeconds, auth);
        pending.put(id, new TurnTransaction(id, kind, bytes, server, peer, channel, lifetimeSeconds, authenticated,
                config.schedule(), now));
        transmits.add(new Transmit(null, server, bytes));
    }

    private long lifetimeOf(long fallback) {
        int i = reader.indexOf(StunAttributeType.LIFETIME);
        return i < 0 ? fallback : Integer.toUnsignedLong(reader.u32(i));
    }

    /** Whether the error response's UNKNOWN-ATTRIBUTES names this attribute type. */
    private boolean unknown(int type) {
        int i = reader.indexOf(StunAttributeType.UNKNOWN_ATTRIBUTES);
        return i >= 0 && reader.attribute(i) instanceof StunAttribute.UnknownAttributes u && u.types().contains(type);
    }

    private boolean familyMatches(InetSocketAddress address) {
        if (config.addressFamily() == null) {
            return true;
        }
        boolean v6 = address.getAddress() instanceof Inet6Address;
        return v6 == (config.addressFamily() == StandardProtocolFamily.INET6);
    }

    private String reasonPhrase() {
        int i = reader.indexOf(StunAttributeType.ERROR_CODE);
        return i >= 0 && reader.attribute(i) instanceof StunAttribute.ErrorCode e ? e.reason() : "";
    }

    @Override
    public String toString() {
        return "TurnAllocation[" + state + ", server " + server + ", relayed " + relayed + "]";
    }
}
