package io.reactiveice.internal.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;

/**
 * Application data framed for the server as {@link ByteBuf}s: ChannelData
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-12.4">RFC 8656 section 12.4</a>) and Send
 * indications (section 11.1), on top of {@link TurnDataPath}. Each takes ownership of the data and
 * releases it.
 */
final class RelayFrames {
    private static final ThreadLocal<StunMessageWriter> WRITERS = ThreadLocal.withInitial(StunMessageWriter::new);

    private RelayFrames() {
    }

    /** ChannelData on a bound channel number. */
    static ByteBuf channelData(int channel, ByteBuf data) {
        int n = data.readableBytes();
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(4 + n);
        try {
            out.writeShort(channel).writeShort(n).writeBytes(data, data.readerIndex(), n);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            data.release();
        }
    }

    /** A Send indication to the peer, with DONT-FRAGMENT when the allocation has it. */
    static ByteBuf sendIndication(ByteBuf data, InetSocketAddress to, boolean dontFragment, TransactionId id) {
        int n = data.readableBytes();
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer(n + TurnDataPath.SEND_OVERHEAD + 4);
        boolean ok = false;
        try {
            byte[] array = data.hasArray() ? data.array() : ByteBufUtil.getBytes(data);
            int offset = data.hasArray() ? data.arrayOffset() + data.readerIndex() : 0;
            int length = TurnDataPath.writeSend(WRITERS.get(), out.nioBuffer(0, out.capacity()), id, to, array, offset,
                    n, dontFragment);
            out.writerIndex(length);
            ok = true;
            return out;
        } finally {
            data.release();
            if (!ok) {
                out.release();
            }
        }
    }
}
