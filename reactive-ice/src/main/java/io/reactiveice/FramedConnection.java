package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reactiveice.internal.tcp.FramedStream;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;

/**
 * One ICE-TCP connection (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-3">RFC 6544 section
 * 3</a>) seen as datagrams: what arrives is reassembled into RFC 4571 frames ({@link FramedStream}) and
 * each frame goes to the receiver as one datagram from the connection's remote end; what is sent goes
 * out as one frame. A frame over the limit closes the connection (the stream cannot be resynchronised).
 * Reads run on the connection's event loop, as the receiver expects; sends may come from any thread.
 */
final class FramedConnection {
    private final Connection connection;
    private final InetSocketAddress remote;
    private final FramedStream frames;
    private volatile boolean oversize;

    /** {@code connection} to {@code remote}, accepting frames of up to {@code frameLimit} bytes. */
    FramedConnection(Connection connection, InetSocketAddress remote, int frameLimit) {
        this.connection = connection;
        this.remote = remote;
        this.frames = new FramedStream(frameLimit);
    }

    /**
     * Reads the connection until it ends: each frame to {@code receiver} with the remote end as the
     * sender. The returned {@code Mono} is the connection's handler (Reactor Netty closes the connection
     * when it ends): it completes when the peer closes, and a frame over the limit closes at once.
     */
    Mono<Void> read(NettyInbound in, PacketSocket.Receiver receiver) {
        return in.receive().doOnNext(read -> {
            if (frames.feed(read.nioBuffer(), frame -> deliver(frame, receiver)) == FramedStream.Outcome.OVERSIZE) {
                oversize = true;
                connection.dispose();
            }
        }).then();
    }

    private void deliver(java.nio.ByteBuffer frame, PacketSocket.Receiver receiver) {
        ByteBuf datagram = Unpooled.wrappedBuffer(frame);
        try {
            receiver.onPacket(datagram, remote);
        } finally {
            datagram.release();
        }
    }

    /** The remote end. */
    InetSocketAddress remote() {
        return remote;
    }

    /** Takes frames of up to {@code limit} bytes from now on; on the connection's event loop. */
    void limit(int limit) {
        frames.limit(limit);
    }

    /** Whether the peer announced a frame over the limit (the connection was closed for it). */
    boolean oversize() {
        return oversize;
    }

    /**
     * Sends {@code data} as one frame; takes ownership of it. {@code onFailure} hears why it could not
     * go (too long for a frame, or the write failed).
     */
    void send(ByteBuf data, Consumer<Throwable> onFailure) {
        int n = data.readableBytes();
        if (n > FramedStream.MAX_FRAME) {
            data.release();
            onFailure.accept(new IllegalArgumentException("an RFC 4571 frame holds at most " + FramedStream.MAX_FRAME
                    + " bytes but the datagram has " + n));
            return;
        }
        Channel channel = connection.channel();
        if (!channel.isActive()) {
            data.release();
            onFailure.accept(new NoRouteToHostException("the TCP connection to " + remote + " is closed"));
            return;
        }
        ByteBuf header = channel.alloc().buffer(2).writeShort(n);
        channel.writeAndFlush(Unpooled.wrappedUnmodifiableBuffer(header, data)).addListener(f -> {
            if (!f.isSuccess()) {
                onFailure.accept(f.cause());
            }
        });
    }

    /** Runs {@code action} once the connection has closed, for whatever reason. */
    void onClose(Runnable action) {
        connection.onDispose(action::run);
    }

    /** Closes the connection. */
    void close() {
        connection.dispose();
    }

    boolean isClosed() {
        return connection.isDisposed();
    }
}
