package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes each datagram as one RFC 4571 frame (<a href="https://www.rfc-editor.org/rfc/rfc4571#section-2">RFC
 * 4571 section 2</a>: a 16-bit length, then the datagram) on an ICE-TCP connection. A datagram of up to
 * {@value #COPY_LIMIT} bytes is copied behind its length into one buffer: one entry in the channel's
 * outbound buffer instead of two, which on loopback costs more than copying a small datagram; a longer
 * one goes out as it is, behind a 2-byte buffer of its own, in the same gathering write. The caller has
 * checked the length ({@link FramedConnection#tooLong}). Sharable: one for every connection.
 */
@ChannelHandler.Sharable
final class FrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    /** The longest datagram copied behind its length rather than written as a second buffer. */
    static final int COPY_LIMIT = 2_048;
    static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf data, List<Object> out) {
        int n = data.readableBytes();
        if (n <= COPY_LIMIT) {
            out.add(ctx.alloc().ioBuffer(2 + n).writeShort(n).writeBytes(data, data.readerIndex(), n));
        } else {
            out.add(ctx.alloc().ioBuffer(2).writeShort(n));
            out.add(data.retain()); // the encoder releases data once encode returns: the frame keeps it
        }
    }
}
