package io.reactiveice.internal.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.reactiveice.stun.ChannelData;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.turn.TurnTlsException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

/**
 * One TCP (or TLS over TCP) connection to a TURN server, seen as a {@link PacketSocket} so that
 * {@link RelaySession} runs the same over UDP and over streams
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-3.1">RFC 8656 section 3.1</a>): the
 * stream is cut into STUN messages by their length field (RFC 8489 section 6.2.2) and into
 * ChannelData messages padded to a multiple of four (RFC 8656 section 12.5). Every frame arrives
 * as if the server had sent it as a datagram; the destination of a send is ignored.
 */
public final class TurnStreamSocket implements PacketSocket {
    private static final int STUN_HEADER = 20;

    private final Connection connection;
    private final InetSocketAddress server;
    private final Disposable reading;
    private final AtomicBoolean disposed = new AtomicBoolean();

    private TurnStreamSocket(Connection connection, InetSocketAddress server, Receiver receiver, Runnable onClosed) {
        this.connection = connection;
        this.server = server;
        connection.onDispose(() -> {
            if (!disposed.get()) {
                onClosed.run();
            }
        });
        // FluxReceive releases each frame after onNext, as a datagram socket does after the receiver
        this.reading = connection.inbound().receive().subscribe(frame -> receiver.onPacket(frame, server),
                e -> connection.dispose());
    }

    /**
     * Connects to the server; the Mono completes once TCP (and the TLS handshake) is up.
     *
     * @param ssl the TLS context, or {@code null} for plain TCP
     * @param onClosed runs once if the connection closes without {@link #dispose()}
     */
    public static Mono<PacketSocket> connect(InetSocketAddress local, InetSocketAddress server, SslContext ssl,
            Receiver receiver, Runnable onClosed) {
        TcpClient client = TcpClient.create().remoteAddress(() -> server).bindAddress(() -> local)
                .doOnConnected(c -> c.addHandlerLast("turn-stream-framing", new StreamFraming()));
        if (ssl != null) {
            client = client.secure(spec -> spec.sslContext(ssl));
        }
        return client.connect()
                .<PacketSocket>map(c -> new TurnStreamSocket(c, server, receiver, onClosed))
                .onErrorMap(e -> tlsFailure(e) != null, e -> new TurnTlsException(server, tlsFailure(e)));
    }

    private static SSLException tlsFailure(Throwable e) {
        for (Throwable t = Exceptions.unwrap(e); t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return ssl;
            }
        }
        return null;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) connection.channel().localAddress();
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        int n = data.readableBytes();
        int padding = isChannelData(data) ? (-n) & 3 : 0;
        if (padding == 0) {
            connection.channel().writeAndFlush(data, connection.channel().voidPromise());
            return;
        }
        ByteBuf padded = connection.channel().alloc().ioBuffer(n + padding);
        try {
            padded.writeBytes(data, data.readerIndex(), n).writeZero(padding);
        } catch (RuntimeException e) {
            padded.release();
            throw e;
        } finally {
            data.release();
        }
        connection.channel().writeAndFlush(padded, connection.channel().voidPromise());
    }

    private static boolean isChannelData(ByteBuf data) {
        return data.readableBytes() >= ChannelData.HEADER_LENGTH
                && (data.getByte(data.readerIndex()) & 0xC0) == 0x40;
    }

    @Override
    public void dispose() {
        disposed.set(true);
        reading.dispose();
        connection.dispose();
    }

    @Override
    public boolean isDisposed() {
        return connection.isDisposed();
    }

    @Override
    public String toString() {
        return "TurnStreamSocket[" + connection.channel().localAddress() + " -> " + server + "]";
    }

    /** Cuts the stream into whole STUN and ChannelData messages (RFC 8656 section 3.1). */
    static final class StreamFraming extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (true) {
                int frame = frameLength(in);
                if (frame < 0 || in.readableBytes() < frame) {
                    return;
                }
                out.add(in.readRetainedSlice(frame));
            }
        }

        /** The length of the frame at the reader index, or -1 if too few bytes are there to tell. */
        static int frameLength(ByteBuf in) {
            int available = in.readableBytes();
            if (available < ChannelData.HEADER_LENGTH) {
                return -1;
            }
            int at = in.readerIndex();
            if ((in.getByte(at) & 0xC0) == 0x40) {
                return ChannelData.streamFrameLength(in.nioBuffer(at, ChannelData.HEADER_LENGTH), 0, available);
            }
            // a STUN message (or garbage, which RelaySession drops as malformed): 20-byte header plus length
            return STUN_HEADER + in.getUnsignedShort(at + 2);
        }
    }
}
