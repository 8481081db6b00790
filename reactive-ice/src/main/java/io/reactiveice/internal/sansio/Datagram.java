package io.reactiveice.internal.sansio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A datagram that arrived, as a {@link ProtocolMachine} takes it: the bytes
 * {@code buffer[offset, offset + length)}, which the machine reads during
 * {@link ProtocolMachine#handleInput} only and never keeps.
 *
 * @param local the local base address of the socket it arrived on
 * @param source the address it came from
 * @param buffer the bytes
 * @param offset where the datagram starts in {@code buffer}
 * @param length the datagram's length
 */
public record Datagram(InetSocketAddress local, InetSocketAddress source, ByteBuffer buffer, int offset, int length) {
    /** Checks the fields. */
    public Datagram {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkFromIndexSize(offset, length, buffer.limit());
    }

    /** A datagram that is the whole of {@code bytes}. */
    public static Datagram of(InetSocketAddress local, InetSocketAddress source, byte[] bytes) {
        return new Datagram(local, source, ByteBuffer.wrap(bytes), 0, bytes.length);
    }
}
