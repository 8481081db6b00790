package io.reactiveice.internal.turn;

import io.reactiveice.internal.turn.TurnTransaction.Kind;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.Set;

/**
 * The allocation's permissions (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-9">RFC 8656
 * section 9</a>) and channels (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-12">section
 * 12</a>): which CreatePermission and ChannelBind requests to send and when to refresh them, and what
 * their responses mean. Plain state owned by {@link TurnAllocation}, which sends the requests it asks
 * for and tells it their outcomes.
 */
final class PeerRequests {
    /** Sends a request of the allocation (with its credential, to its server). */
    @FunctionalInterface
    interface Sender {
        void send(Kind kind, InetSocketAddress peer, int channel, long now);
    }

    private final PeerBindings peers = new PeerBindings();
    private final Set<InetSocketAddress> deferredPermits = new LinkedHashSet<>();
    private final Queue<TurnEvent> events;
    private final Sender sender;

    PeerRequests(Queue<TurnEvent> events, Sender sender) {
        this.events = events;
        this.sender = sender;
    }

    /** A permission asked for before the allocation exists: created once it does. */
    void defer(InetSocketAddress peer) {
        deferredPermits.add(peer);
    }

    /** Notes that data goes to the peer: it gets a permission and a channel once the allocation exists. */
    void request(InetSocketAddress peer) {
        peers.request(peer);
    }

    /** The allocation now exists: the permissions and channels asked for before it did. */
    void allocated(long now) {
        deferredPermits.forEach(peer -> createPermission(now, peer));
        deferredPermits.clear();
        for (InetSocketAddress peer : peers.requestedPeers()) {
            createPermission(now, peer);
            bindChannel(now, peer);
        }
    }

    /**
     * RFC 8656 section 9.1: a CreatePermission for the peer's IP address, unless one is in flight; an
     * installed one is reported as {@link TurnEvent.PermissionCreated} again.
     */
    void createPermission(long now, InetSocketAddress peer) {
        PeerBindings.Permission p = peers.permission(peer);
        if (p.inFlight) {
            return;
        }
        if (p.installed) {
            events.add(new TurnEvent.PermissionCreated(peer.getAddress()));
            return;
        }
        p.inFlight = true;
        sender.send(Kind.CREATE_PERMISSION, peer, 0, now);
    }

    /** RFC 8656 section 12.1: a ChannelBind for the peer, unless it is bound, in flight, failed or out of numbers. */
    void bindChannel(long now, InetSocketAddress peer) {
        PeerBindings.Channel c = peers.channel(peer);
        if (c == null) {
            c = peers.newChannel(peer);
        }
        if (c == null || c.inFlight || c.bound || c.failed) {
            return;
        }
        c.inFlight = true;
        sender.send(Kind.CHANNEL_BIND, peer, c.number, now);
    }

    /** RFC 8656 sections 9 and 12: refreshes the permissions and channels whose time has come. */
    void refreshDue(long now) {
        for (InetAddress ip : peers.permissionsDue(now)) {
            PeerBindings.Permission p = peers.permission(ip);
            p.inFlight = true;
            sender.send(Kind.CREATE_PERMISSION, p.peer, 0, now);
        }
        for (InetSocketAddress peer : peers.channelsDue(now)) {
            PeerBindings.Channel c = peers.channel(peer);
            c.inFlight = true;
            sender.send(Kind.CHANNEL_BIND, peer, c.number, now);
        }
    }

    /** A CreatePermission or ChannelBind succeeded. */
    void succeeded(TurnTransaction t, long now) {
        if (t.kind == Kind.CREATE_PERMISSION) {
            peers.permissionInstalled(t.peer, now);
            events.add(new TurnEvent.PermissionCreated(t.peer.getAddress()));
        } else {
            peers.channelBound(t.peer, now);
            events.add(new TurnEvent.ChannelBound(t.peer, t.channel));
        }
    }

    /** A CreatePermission or ChannelBind was refused or timed out. */
    void failed(TurnTransaction t, TurnException cause) {
        if (t.kind == Kind.CREATE_PERMISSION) {
            peers.permissionFailed(t.peer.getAddress());
        } else {
            peers.channelFailed(t.peer);
        }
        events.add(new TurnEvent.PeerFailed(t.peer, cause));
    }

    /** The earliest refresh due. */
    long nextTimeout() {
        return peers.nextEvent();
    }

    /** The channels and peers now, for the data path. */
    ChannelTable snapshot() {
        return peers.snapshot();
    }
}
