package io.reactiveice.internal.tcp;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The framing of <a href="https://www.rfc-editor.org/rfc/rfc4571#section-2">RFC 4571 section 2</a>,
 * which ICE-TCP uses for STUN and application data alike (RFC 6544 section 3): each frame is a 16-bit
 * big-endian length followed by that many bytes, so a frame holds at most 65,535 bytes. TCP delivers a
 * stream, not frames: one read may hold a part of a frame, a frame and a half, or many frames. This
 * reassembles them in any segmentation, one byte at a time included, with no allocation for a frame
 * that arrives whole within one read (it is handed over as the read's own buffer, narrowed to it) and
 * one copy for a frame split across reads.
 *
 * <p>A frame longer than the {@link #FramedStream(int) limit} is an error of the peer's: the stream
 * cannot be resynchronised, so {@link #feed} reports it and takes nothing more; the caller closes the
 * connection and counts it (a shared TCP port closes a connection that sends oversize frames before
 * it is authenticated). A zero-length frame carries nothing and is skipped (RFC 4571 allows it as a
 * keepalive of the stream). One instance per connection, fed from one thread.
 */
public final class FramedStream {
    /** The largest frame RFC 4571 can express: the length is 16 bits. */
    public static final int MAX_FRAME = 0xFFFF;

    /** What {@link #feed} found. */
    public enum Outcome {
        /** Every complete frame was handed over; the rest, if any, waits for more bytes. */
        OK,
        /** A frame's length exceeds the limit: nothing more is read from this stream. */
        OVERSIZE
    }

    private int limit;
    private final byte[] header = new byte[2];
    private int headerBytes;
    private byte[] partial; // the frame being reassembled across reads, or null
    private int partialBytes;
    private boolean broken;
    private long frames;

    /**
     * A stream that accepts frames of up to {@code limit} bytes.
     *
     * @param limit 1 to {@link #MAX_FRAME}
     * @throws IllegalArgumentException naming the limit if out of range
     */
    public FramedStream(int limit) {
        if (limit < 1 || limit > MAX_FRAME) {
            throw new IllegalArgumentException("the frame limit must be 1.." + MAX_FRAME + " but was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes the bytes of one read ({@code bytes}' remaining ones, which are consumed) and hands each
     * complete frame to {@code sink} as a buffer from its first byte to its last (position to limit),
     * valid only during the call. A frame that arrived whole within this read is {@code bytes} itself,
     * narrowed to the frame (so {@code frame == bytes} and {@code frame.position()} is its offset in the
     * read: a caller can slice its own buffer there instead of copying); a frame reassembled across
     * reads is a buffer of its own. The sink must not move {@code bytes}' position or limit.
     *
     * @return {@link Outcome#OVERSIZE} once a frame over the limit was announced (then and on every later call)
     */
    public Outcome feed(ByteBuffer bytes, Consumer<ByteBuffer> sink) {
        while (!broken && bytes.hasRemaining()) {
            if (partial == null) {
                if (headerBytes == 0 && bytes.remaining() >= 2) {
                    int length = bytes.getShort(bytes.position()) & 0xFFFF;
                    if (length > limit) {
                        return broke(bytes);
                    }
                    if (bytes.remaining() - 2 >= length) { // the whole frame is here: the read itself, no copy
                        int start = bytes.position() + 2;
                        int end = start + length;
                        int readLimit = bytes.limit();
                        bytes.limit(end).position(start);
                        try {
                            deliver(bytes, sink);
                        } finally {
                            bytes.limit(readLimit).position(end);
                        }
                        continue;
                    }
                }
                header[headerBytes++] = bytes.get();
                if (headerBytes < 2) {
                    continue;
                }
                int length = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
                headerBytes = 0;
                if (length > limit) {
                    return broke(bytes);
                }
                if (length == 0) {
                    frames++;
                    continue;
                }
                partial = new byte[length];
                partialBytes = 0;
            }
            int n = Math.min(bytes.remaining(), partial.length - partialBytes);
            bytes.get(partial, partialBytes, n);
            partialBytes += n;
            if (partialBytes == partial.length) {
                byte[] done = partial;
                partial = null;
                deliver(ByteBuffer.wrap(done), sink);
            }
        }
        if (broken) {
            bytes.position(bytes.limit());
            return Outcome.OVERSIZE;
        }
        return Outcome.OK;
    }

    private void deliver(ByteBuffer frame, Consumer<ByteBuffer> sink) {
        frames++;
        if (frame.hasRemaining()) {
            sink.accept(frame);
        }
    }

    private Outcome broke(ByteBuffer bytes) {
        broken = true;
        partial = null;
        bytes.position(bytes.limit());
        return Outcome.OVERSIZE;
    }

    /**
     * Changes the limit for the frames announced from now on (a shared TCP port takes small frames until
     * a connection has authenticated, and any size after).
     *
     * @param newLimit 1 to {@link #MAX_FRAME}
     * @throws IllegalArgumentException naming the limit if out of range
     */
    public void limit(int newLimit) {
        if (newLimit < 1 || newLimit > MAX_FRAME) {
            throw new IllegalArgumentException("the frame limit must be 1.." + MAX_FRAME + " but was " + newLimit);
        }
        this.limit = newLimit;
    }

    /** Whether bytes of an unfinished frame are waiting for the next read. */
    public boolean midFrame() {
        return headerBytes > 0 || partial != null;
    }

    /** How many frames were complete so far, empty ones included. */
    public long frames() {
        return frames;
    }

    /**
     * One frame of {@code payload}: its length in two bytes, then the payload.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #MAX_FRAME}
     */
    public static byte[] frame(byte[] payload) {
        if (payload.length > MAX_FRAME) {
            throw new IllegalArgumentException("an RFC 4571 frame holds at most " + MAX_FRAME + " bytes but the payload has "
                    + payload.length);
        }
        byte[] out = new byte[payload.length + 2];
        out[0] = (byte) (payload.length >>> 8);
        out[1] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 2, payload.length);
        return out;
    }
}
