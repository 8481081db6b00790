package io.reactiveice.stun;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * TURN ChannelData framing (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-12.4">RFC 8656
 * section 12.4</a>): a 16-bit channel number (0x4000-0x4FFF), a 16-bit length and the application
 * data; over UDP the padding to a multiple of four may be left out, over TCP and TLS it must be
 * present. Works on absolute indices, never moving a buffer's position except in {@link #write}.
 */
public final class ChannelData {
    /** The size of the ChannelData header. */
    public static final int HEADER_LENGTH = 4;
    /** The first valid channel number. */
    public static final int MIN_CHANNEL = 0x4000;
    /** The last valid channel number. */
    public static final int MAX_CHANNEL = 0x4FFF;

    private ChannelData() {
    }

    /** Whether a number is a valid channel number. */
    public static boolean isValidChannel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /** The channel number of the message at {@code offset}. */
    public static int channel(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset) & 0xFFFF;
    }

    /** The length of the application data of the message at {@code offset}. */
    public static int dataLength(ByteBuffer buffer, int offset) {
        return buffer.getShort(offset + 2) & 0xFFFF;
    }

    /**
     * The number of bytes one ChannelData message occupies in a stream (header, data, padding), or -1
     * if fewer than four bytes are available to tell. Used to frame TURN over TCP and TLS.
     */
    public static int streamFrameLength(ByteBuffer buffer, int offset, int available) {
        if (available < HEADER_LENGTH) {
            return -1;
        }
        return HEADER_LENGTH + ((dataLength(buffer, offset) + 3) & ~3);
    }

    /**
     * Checks a datagram that should hold one ChannelData message: a valid channel number and a length
     * that fits (with or without padding).
     *
     * @return {@code null} if valid, otherwise the reason
     */
    public static String validateDatagram(ByteBuffer buffer, int offset, int length) {
        if (length < HEADER_LENGTH) {
            return "shorter than the 4-byte ChannelData header";
        }
        int channel = channel(buffer, offset);
        if (!isValidChannel(channel)) {
            return String.format("channel number 0x%04X is outside 0x4000..0x4FFF", channel);
        }
        int data = dataLength(buffer, offset);
        if (data > length - HEADER_LENGTH) {
            return "the length " + data + " runs beyond the datagram of " + length + " bytes";
        }
        if (length - HEADER_LENGTH > ((data + 3) & ~3)) {
            return "the datagram holds bytes after the padded data";
        }
        return null;
    }

    /**
     * Writes a ChannelData message at the buffer's position and moves past it.
     *
     * @param buffer where to write
     * @param channel the channel number, 0x4000-0x4FFF
     * @param data the application data, from its position to its limit (not consumed)
     * @param pad whether to pad to a multiple of four (required over TCP and TLS)
     */
    public static void write(ByteBuffer buffer, int channel, ByteBuffer data, boolean pad) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(data, "data");
        if (!isValidChannel(channel)) {
            throw new IllegalArgumentException(String.format("channel must be 0x4000..0x4FFF but was 0x%04X", channel));
        }
        int n = data.remaining();
        if (n > 0xFFFF) {
            throw new IllegalArgumentException("data must be at most 65535 bytes but was " + n);
        }
        buffer.putShort((short) channel);
        buffer.putShort((short) n);
        buffer.put(data.duplicate());
        if (pad) {
            for (int i = n; i < ((n + 3) & ~3); i++) {
                buffer.put((byte) 0);
            }
        }
    }
}
