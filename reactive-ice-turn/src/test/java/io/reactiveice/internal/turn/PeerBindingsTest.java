package io.reactiveice.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What the data path's snapshot says about a channel while it is being bound, once bound, once failed. */
class PeerBindingsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 45_000);

    // RFC 8656 section 12: over UDP the server's ChannelData can arrive before the ChannelBind success response
    @Test
    void channelDataIsAcceptedAsSoonAsTheChannelIsAskedForButNotSentBeforeItIsBound() {
        PeerBindings peers = new PeerBindings();
        peers.request(PEER);
        int channel = peers.newChannel(PEER).number;
        assertThat(channel).isEqualTo(0x4000); // the first channel number (RFC 8656 section 12)

        ChannelTable asked = peers.snapshot();
        assertThat(asked.peer(channel)).isEqualTo(PEER);
        assertThat(asked.channel(PEER)).isEqualTo(-1); // Send indications until the success response
        byte[] bytes = HexFormat.of().parseHex(String.join("",
                "4000",    // channel 0x4000
                "0003",    // length 3
                "686579")); // "hey"
        assertThat(TurnDataPath.channelData(ByteBuffer.wrap(bytes), 0, bytes.length, asked))
                .isEqualTo(new TurnDataPath.Payload(PEER, 4, 3));

        peers.channelBound(PEER, 0);
        assertThat(peers.snapshot().channel(PEER)).isEqualTo(channel);
        assertThat(peers.snapshot().peer(channel)).isEqualTo(PEER);
    }

    @Test
    void aFailedChannelNoLongerStandsForItsPeer() {
        PeerBindings peers = new PeerBindings();
        peers.request(PEER);
        int channel = peers.newChannel(PEER).number;
        assertThat(peers.snapshot().peer(channel)).isEqualTo(PEER);

        peers.channelFailed(PEER);

        assertThat(peers.snapshot().peer(channel)).isNull();
        assertThat(peers.snapshot().channel(PEER)).isEqualTo(-1);
        assertThat(peers.snapshot().requested()).containsExactly(PEER);
    }
}
