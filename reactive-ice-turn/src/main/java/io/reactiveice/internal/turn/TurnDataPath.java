package io.reactiveice.internal.turn;

import io.reactiveice.stun.ChannelData;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The data path of an allocation as pure functions over buffers and a {@link ChannelTable}
 * snapshot (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-11">RFC 8656 sections 11</a>
 * and <a href="https://www.rfc-editor.org/rfc/rfc8656#section-12.4">12.4</a>): Send indications and
 * ChannelData out, Data indications and ChannelData in. Deterministic and free of I/O, so the same
 * code serves UDP now and TCP/TLS later (where ChannelData is padded).
 */
public final class TurnDataPath {
    /** The bytes of a Send indication around the data: header, XOR-PEER-ADDRESS (IPv6), DATA header. */
    public static final int SEND_OVERHEAD = StunMessageReader.HEADER_LENGTH + 24 + 4 + 3;

    private TurnDataPath() {
    }

    /**
     * Where application data lies inside a received datagram.
     *
     * @param peer who sent it to the relayed address
     * @param offset the absolute index of the data in the buffer given
     * @param length its length
     */
    public record Payload(InetSocketAddress peer, int offset, int length) {
    }

    /** Whether a datagram from the server is ChannelData (first byte 0x40 to 0x4F, RFC 8656 section 12). */
    public static boolean isChannelData(ByteBuffer buffer, int offset, int length) {
        return length >= ChannelData.HEADER_LENGTH && (buffer.get(offset) & 0xF0) == 0x40;
    }

    /**
     * The data of a ChannelData message on a channel bound or being bound (RFC 8656 sections 12 and
     * 12.6).
     *
     * @return the payload, or {@code null} if malformed or the channel is not in the table
     */
    public static Payload channelData(ByteBuffer buffer, int offset, int length, ChannelTable table) {
        if (ChannelData.validateDatagram(buffer, offset, length) != null) {
            return null;
        }
        InetSocketAddress peer = table.peer(ChannelData.channel(buffer, offset));
        return peer == null ? null
                : new Payload(peer, offset + ChannelData.HEADER_LENGTH, ChannelData.dataLength(buffer, offset));
    }

    /**
     * The data of a Data indication the reader has just read (RFC 8656 section 11.6).
     *
     * @return the payload, or {@code null} if it is not a Data indication with XOR-PEER-ADDRESS and DATA
     */
    public static Payload dataIndication(StunMessageReader reader) {
        if (reader.messageClass() != StunClass.INDICATION || !reader.method().equals(StunMethod.DATA)) {
            return null;
        }
        int peer = reader.indexOf(StunAttributeType.XOR_PEER_ADDRESS);
        int data = reader.indexOf(StunAttributeType.DATA);
        if (peer < 0 || data < 0) {
            return null;
        }
        return new Payload(reader.xorAddress(peer), reader.valueOffset(data), reader.valueLength(data));
    }

    /**
     * Writes a Send indication (RFC 8656 section 11.1) at the buffer's position.
     *
     * @param writer a writer of this thread
     * @param out where to write; needs {@link #SEND_OVERHEAD} bytes more than the data
     * @param id a fresh transaction id
     * @param peer where the server relays the data
     * @param data the data array
     * @param offset where the data starts
     * @param length its length
     * @return the length of the message
     */
    public static int writeSend(StunMessageWriter writer, ByteBuffer out, TransactionId id, InetSocketAddress peer,
            byte[] data, int offset, int length) {
        return writeSend(writer, out, id, peer, data, offset, length, false);
    }

    /**
     * Writes a Send indication, with DONT-FRAGMENT when asked (RFC 8656 section 11.1), at the buffer's
     * position. {@link #SEND_OVERHEAD} plus four bytes covers the attribute.
     *
     * @param dontFragment whether the server is to set the DF bit when it relays this datagram
     * @return the length of the message
     * @see #writeSend(StunMessageWriter, ByteBuffer, TransactionId, InetSocketAddress, byte[], int, int)
     */
    public static int writeSend(StunMessageWriter writer, ByteBuffer out, TransactionId id, InetSocketAddress peer,
            byte[] data, int offset, int length, boolean dontFragment) {
        writer.begin(out, StunMethod.SEND, StunClass.INDICATION, id);
        writer.put(new StunAttribute.XorPeerAddress(peer));
        if (dontFragment) {
            writer.put(new StunAttribute.DontFragment());
        }
        writer.putBytes(StunAttributeType.DATA.code(), data, offset, length);
        return writer.finish();
    }

    /**
     * Writes a ChannelData message (RFC 8656 section 12.5) at the buffer's position.
     *
     * @param out where to write
     * @param channel the bound channel
     * @param data the data, from position to limit (not consumed)
     * @param pad whether to pad to four bytes (TCP and TLS)
     */
    public static void writeChannelData(ByteBuffer out, int channel, ByteBuffer data, boolean pad) {
        ChannelData.write(out, channel, data, pad);
    }
}
