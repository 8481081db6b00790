package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.reactiveice.internal.tcp.FramedStream;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyInbound;

/**
 * One ICE-TCP connection (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-3">RFC 6544 section
 * 3</a>) seen as datagrams: what arrives is reassembled into RFC 4571 frames ({@link FramedStream}) and
 * each frame goes to the receiver as one datagram from the connection's remote end; what is sent goes
 * out as one frame. A frame over the limit closes the connection (the stream cannot be resynchronised).
 * Reads run on the connection's event loop, as the receiver expects; sends may come from any thread.
 *
 * <p>Buffers: a frame that arrived whole within one read reaches the receiver as a retained slice of
 * that read (no copy; valid after the read is released, for a receiver that retains it); a frame split
 * across reads as the reassembled copy. Outbound, a {@link FrameEncoder} in the pipeline frames each
 * datagram, for a single {@link #send} and a stream ({@link #sendAll}) alike.
 */
final class FramedConnection {
    private static final String FRAME_ENCODER = "ice.rfc4571.encoder";

    private final Connection connection;
    private final InetSocketAddress remote;
    private final FramedStream frames;
    private volatile boolean oversize;

    /**
     * {@code connection} to {@code remote}, accepting frames of up to {@code frameLimit} bytes; on the
     * connection's event loop (it adds the length writer to the pipeline).
     */
    FramedConnection(Connection connection, InetSocketAddress remote, int frameLimit) {
        this.connection = connection;
        this.remote = remote;
        this.frames = new FramedStream(frameLimit);
        // before Reactor Netty's end handlers: its stream sends write from there towards the head
        connection.addHandlerLast(FRAME_ENCODER, FrameEncoder.INSTANCE);
    }

    /**
     * Reads the connection until it ends: each frame to {@code receiver} with the remote end as the
     * sender. The returned {@code Mono} is the connection's handler (Reactor Netty closes the connection
     * when it ends): it completes when the peer closes, and a frame over the limit closes at once.
     */
    Mono<Void> read(NettyInbound in, PacketSocket.Receiver receiver) {
        return in.receive().doOnNext(read -> {
            ByteBuffer bytes = read.nioBuffer();
            int origin = read.readerIndex() - bytes.position(); // read's index of bytes' position 0
            if (frames.feed(bytes, frame -> deliver(read, bytes, origin, frame, receiver))
                    == FramedStream.Outcome.OVERSIZE) {
                oversize = true;
                connection.dispose();
            }
        }).then();
    }

    private void deliver(ByteBuf read, ByteBuffer bytes, int origin, ByteBuffer frame, PacketSocket.Receiver receiver) {
        // whole within this read: a slice of it, which outlives the read if retained; else the frame's own copy
        ByteBuf datagram = frame == bytes ? read.retainedSlice(origin + frame.position(), frame.remaining())
                : Unpooled.wrappedBuffer(frame);
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
     * go (too long for a frame, the connection closed, or the write failed).
     */
    void send(ByteBuf data, Consumer<Throwable> onFailure) {
        Throwable refused = refusal(data);
        if (refused != null) {
            data.release();
            onFailure.accept(refused);
            return;
        }
        connection.channel().writeAndFlush(data).addListener(f -> {
            if (!f.isSuccess()) {
                onFailure.accept(f.cause());
            }
        });
    }

    /**
     * Sends every buffer of {@code data} as one frame each, with backpressure, written and flushed in
     * batches on the event loop by Reactor Netty; every buffer is released. The caller has checked each
     * buffer's length ({@link #tooLong}); per buffer nothing else is done here. Errors with a
     * {@link NoRouteToHostException} once the connection is closed.
     */
    Mono<Void> sendAll(Flux<ByteBuf> data) {
        return connection.outbound().send(data).then()
                .onErrorMap(e -> !(e instanceof IllegalArgumentException) && !connection.channel().isActive(), e -> closed());
    }

    /** Why {@code data} is too long for a frame, or {@code null} if it fits. */
    static IllegalArgumentException tooLong(ByteBuf data) {
        int n = data.readableBytes();
        return n <= FramedStream.MAX_FRAME ? null : new IllegalArgumentException("an RFC 4571 frame holds at most "
                + FramedStream.MAX_FRAME + " bytes but the datagram has " + n);
    }

    /** Why {@code data} cannot go out now, or {@code null}. */
    private Throwable refusal(ByteBuf data) {
        Throwable tooLong = tooLong(data);
        if (tooLong != null) {
            return tooLong;
        }
        Channel channel = connection.channel();
        return channel.isActive() ? null : closed();
    }

    private NoRouteToHostException closed() {
        return new NoRouteToHostException("the TCP connection to " + remote + " is closed");
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
