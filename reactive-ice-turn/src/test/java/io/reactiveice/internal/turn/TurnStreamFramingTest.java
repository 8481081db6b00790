package io.reactiveice.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** Cutting a TCP/TLS byte stream into STUN and ChannelData messages (RFC 8656 section 3.1). */
class TurnStreamFramingTest {
    private static final String STUN = ""
            + "0017" // Data indication
            + "0008" // message length 8
            + "2112a442" // magic cookie
            + "000102030405060708090a0b" // transaction id
            + "80220004" + "74657374"; // SOFTWARE "test"
    private static final String CHANNEL_DATA_PADDED = ""
            + "4001" // channel 0x4001
            + "0003" // length 3
            + "616263" // "abc"
            + "00"; // padding to a multiple of four (RFC 8656 section 12.5)
    private static final String CHANNEL_DATA_ALIGNED = ""
            + "4002" // channel 0x4002
            + "0004" // length 4
            + "61626364"; // "abcd", no padding

    @Test
    void cutsAStreamIntoWholeMessagesIncludingChannelDataPadding() {
        EmbeddedChannel channel = new EmbeddedChannel(new TurnStreamSocket.StreamFraming());
        byte[] stream = ByteBufUtil.decodeHexDump(STUN + CHANNEL_DATA_PADDED + CHANNEL_DATA_ALIGNED);
        for (byte b : stream) { // one byte at a time: every offset is a place the stream can break
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(next(channel)).isEqualTo(STUN);
        assertThat(next(channel)).isEqualTo(CHANNEL_DATA_PADDED);
        assertThat(next(channel)).isEqualTo(CHANNEL_DATA_ALIGNED);
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void holdsBackAMessageUntilItsLastByteArrives() {
        EmbeddedChannel channel = new EmbeddedChannel(new TurnStreamSocket.StreamFraming());
        byte[] message = ByteBufUtil.decodeHexDump(CHANNEL_DATA_PADDED);
        channel.writeInbound(Unpooled.wrappedBuffer(message, 0, message.length - 1));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(Unpooled.wrappedBuffer(message, message.length - 1, 1));
        assertThat(next(channel)).isEqualTo(CHANNEL_DATA_PADDED);
        channel.finishAndReleaseAll();
    }

    private static String next(EmbeddedChannel channel) {
        ByteBuf frame = channel.readInbound();
        try {
            return ByteBufUtil.hexDump(frame);
        } finally {
            frame.release();
        }
    }
}
