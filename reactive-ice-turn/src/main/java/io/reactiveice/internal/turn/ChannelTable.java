package io.reactiveice.internal.turn;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;

/**
 * An immutable snapshot of the peers an allocation knows, for the data path on other threads
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-12">RFC 8656 section 12</a>): which
 * channel each bound peer has, which peer each channel stands for, and which peers have been
 * asked for (permission and channel requested), so the data path knows when to tell the core.
 * A channel stands for its peer from the moment the ChannelBind request is sent: over UDP the
 * server's ChannelData can overtake its success response.
 *
 * @param channelByPeer bound channels by peer (where ChannelData may be sent)
 * @param peerByChannel peers by channel number, bound or being bound (whose ChannelData is accepted)
 * @param requested peers the core has been told about
 */
public record ChannelTable(Map<InetSocketAddress, Integer> channelByPeer, Map<Integer, InetSocketAddress> peerByChannel,
        Set<InetSocketAddress> requested) {
    /** The table of an allocation that knows no peer. */
    public static final ChannelTable EMPTY = new ChannelTable(Map.of(), Map.of(), Set.of());

    /** Freezes the collections. */
    public ChannelTable {
        channelByPeer = Map.copyOf(channelByPeer);
        peerByChannel = Map.copyOf(peerByChannel);
        requested = Set.copyOf(requested);
    }

    /** The bound channel of a peer, or -1. */
    public int channel(InetSocketAddress peer) {
        Integer c = channelByPeer.get(peer);
        return c == null ? -1 : c;
    }

    /** The peer a channel is bound or being bound to, or {@code null}. */
    public InetSocketAddress peer(int channel) {
        return peerByChannel.get(channel);
    }
}
