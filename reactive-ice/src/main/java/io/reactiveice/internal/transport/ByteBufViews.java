package io.reactiveice.internal.transport;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * Adapts Netty buffers to the JDK-only STUN codec without copying: a pooled buffer exposes its
 * memory as a {@link ByteBuffer} that is only valid until the {@code ByteBuf} is released or
 * written to, which is exactly the span of one {@code onNext}.
 */
public final class ByteBufViews {
    private ByteBufViews() {
    }

    /** The readable bytes of {@code buf}; they start at the view's position. */
    public static ByteBuffer readable(ByteBuf buf) {
        int n = buf.readableBytes();
        return buf.nioBufferCount() == 1 ? buf.internalNioBuffer(buf.readerIndex(), n) : buf.nioBuffer(buf.readerIndex(), n);
    }

    /** The writable bytes of {@code buf}; writing starts at the view's position. */
    public static ByteBuffer writable(ByteBuf buf) {
        return buf.internalNioBuffer(buf.writerIndex(), buf.writableBytes());
    }
}
