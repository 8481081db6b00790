package io.reactiveice.internal.turn;

import io.reactiveice.stun.ChannelData;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The permissions and channels of one allocation and when each must be refreshed
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-9">RFC 8656 sections 9</a> and
 * <a href="https://www.rfc-editor.org/rfc/rfc8656#section-12">12</a>): a permission lasts 300 s
 * and is refreshed 60 s before; a channel binding lasts 600 s and is refreshed 60 s before. Plain
 * state owned by {@link TurnAllocation}; iteration order is insertion order, so runs are
 * repeatable.
 */
final class PeerBindings {
    /** How long after installation a permission is refreshed: 300 s lifetime minus 60 s margin. */
    static final Duration PERMISSION_REFRESH = Duration.ofSeconds(240);
    /** How long after binding a channel is refreshed: 600 s lifetime minus 60 s margin. */
    static final Duration CHANNEL_REFRESH = Duration.ofSeconds(540);

    /** One permission, by peer IP address. */
    static final class Permission {
        final InetSocketAddress peer; // the address first asked for; XOR-PEER-ADDRESS of refreshes
        boolean installed;
        boolean inFlight;
        long refreshAt = TurnTransaction.NEVER;

        Permission(InetSocketAddress peer) {
            this.peer = peer;
        }
    }

    /** One channel, by peer transport address. */
    static final class Channel {
        final int number;
        boolean bound;
        boolean inFlight;
        boolean failed;
        long refreshAt = TurnTransaction.NEVER;

        Channel(int number) {
            this.number = number;
        }
    }

    private final Map<InetAddress, Permission> permissions = new LinkedHashMap<>();
    private final Map<InetSocketAddress, Channel> channels = new LinkedHashMap<>();
    private final LinkedHashSet<InetSocketAddress> requested = new LinkedHashSet<>();
    private int nextChannel = ChannelData.MIN_CHANNEL;
    private ChannelTable snapshot = ChannelTable.EMPTY;

    /** The permission of a peer's IP address, created (not installed) if new. */
    Permission permission(InetSocketAddress peer) {
        return permissions.computeIfAbsent(peer.getAddress(), k -> new Permission(peer));
    }

    /** The permission of an IP address, or {@code null}. */
    Permission permission(InetAddress ip) {
        return permissions.get(ip);
    }

    /** The channel of a peer, or {@code null} if none was asked for. */
    Channel channel(InetSocketAddress peer) {
        return channels.get(peer);
    }

    /** A new channel for a peer, or {@code null} when all 4096 numbers are used. */
    Channel newChannel(InetSocketAddress peer) {
        if (nextChannel > ChannelData.MAX_CHANNEL) {
            return null;
        }
        Channel c = new Channel(nextChannel++);
        channels.put(peer, c);
        snapshot = null; // its ChannelData may arrive before the success response
        return c;
    }

    /** Notes that a peer has been asked for; returns whether it is new. */
    boolean request(InetSocketAddress peer) {
        boolean added = requested.add(peer);
        if (added) {
            snapshot = null;
        }
        return added;
    }

    void permissionInstalled(InetSocketAddress peer, long now) {
        Permission p = permission(peer);
        p.installed = true;
        p.inFlight = false;
        p.refreshAt = now + PERMISSION_REFRESH.toNanos();
    }

    void permissionFailed(InetAddress ip) {
        permissions.remove(ip);
    }

    void channelBound(InetSocketAddress peer, long now) {
        Channel c = channels.get(peer);
        c.bound = true;
        c.inFlight = false;
        c.refreshAt = now + CHANNEL_REFRESH.toNanos();
        snapshot = null;
        // a ChannelBind installs or refreshes the permission too (RFC 8656 section 12.2)
        permissionInstalled(peer, now);
    }

    void channelFailed(InetSocketAddress peer) {
        Channel c = channels.get(peer);
        c.inFlight = false;
        c.failed = true;
        c.bound = false;
        c.refreshAt = TurnTransaction.NEVER;
        snapshot = null;
    }

    /** The permissions whose refresh is due and not yet sent. */
    List<InetAddress> permissionsDue(long now) {
        List<InetAddress> due = new ArrayList<>();
        permissions.forEach((ip, p) -> {
            if (p.installed && !p.inFlight && p.refreshAt <= now) {
                due.add(ip);
            }
        });
        return due;
    }

    /** The channels whose refresh is due and not yet sent. */
    List<InetSocketAddress> channelsDue(long now) {
        List<InetSocketAddress> due = new ArrayList<>();
        channels.forEach((peer, c) -> {
            if (c.bound && !c.inFlight && c.refreshAt <= now) {
                due.add(peer);
            }
        });
        return due;
    }

    /** The earliest refresh instant of any permission or channel. */
    long nextEvent() {
        long next = TurnTransaction.NEVER;
        for (Permission p : permissions.values()) {
            if (p.installed && !p.inFlight) {
                next = Math.min(next, p.refreshAt);
            }
        }
        for (Channel c : channels.values()) {
            if (c.bound && !c.inFlight) {
                next = Math.min(next, c.refreshAt);
            }
        }
        return next;
    }

    /** The peers asked for before the allocation existed, in order. */
    List<InetSocketAddress> requestedPeers() {
        return new ArrayList<>(requested);
    }

    /**
     * The current snapshot for the data path: data goes out as ChannelData only on bound channels,
     * but ChannelData is accepted on every channel asked for and not failed, because over UDP the
     * server's ChannelData can arrive before its ChannelBind success response (RFC 8656 section 12).
     */
    ChannelTable snapshot() {
        if (snapshot == null) {
            Map<InetSocketAddress, Integer> byPeer = new HashMap<>();
            Map<Integer, InetSocketAddress> byChannel = new HashMap<>();
            channels.forEach((peer, c) -> {
                if (c.bound) {
                    byPeer.put(peer, c.number);
                }
                if (!c.failed) {
                    byChannel.put(c.number, peer);
                }
            });
            snapshot = new ChannelTable(byPeer, byChannel, requested);
        }
        return snapshot;
    }
}
