package io.reactiveice.internal.gather;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The few multicast DNS messages that mDNS ICE candidates need
 * (<a href="https://datatracker.ietf.org/doc/draft-ietf-mmusic-mdns-ice-candidates/">draft-ietf-mmusic-mdns-ice-candidates</a>
 * over <a href="https://www.rfc-editor.org/rfc/rfc6762">RFC 6762</a> and RFC 1035): a one-shot query
 * for the A or AAAA record of a {@code .local} name, the addresses in a response, and a response
 * announcing one name. Pure functions over bytes; malformed input gives an empty result, never an
 * exception.
 */
public final class MdnsMessages {
    /** The mDNS port. */
    public static final int PORT = 5353;
    /** Record type A (IPv4 address). */
    public static final int TYPE_A = 1;
    /** Record type AAAA (IPv6 address). */
    public static final int TYPE_AAAA = 28;
    private static final int CLASS_IN = 1;
    private static final int UNICAST_RESPONSE = 0x8000; // the QU bit (RFC 6762 section 5.4)
    private static final int CACHE_FLUSH = 0x8000; // RFC 6762 section 10.2
    private static final int HEADER = 12;
    private static final int MAX_POINTERS = 16;

    private MdnsMessages() {
    }

    /** Whether a candidate address is an mDNS name: ends with {@code .local} (case-insensitive). */
    public static boolean isMdnsName(String address) {
        return address != null && address.toLowerCase(Locale.ROOT).endsWith(".local") && address.length() > 6;
    }

    /**
     * A one-shot query (RFC 6762 section 5.1) asking for a unicast answer.
     *
     * @param id the query id, echoed by responders that answer a legacy query
     * @param name the {@code .local} name
     * @param type {@link #TYPE_A} or {@link #TYPE_AAAA}
     * @return the message
     */
    public static byte[] query(int id, String name, int type) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + name.length() + 2 + 4);
        out.putShort((short) id).putShort((short) 0).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0);
        writeName(out, name);
        out.putShort((short) type).putShort((short) (CLASS_IN | UNICAST_RESPONSE));
        return out.array();
    }

    /**
     * A response announcing that {@code name} has {@code address} (RFC 6762 section 6), for a
     * responder publishing our own host candidates.
     *
     * @param id the id of the query answered (0 for multicast)
     * @param name the {@code .local} name
     * @param address its address
     * @param ttlSeconds how long it may be cached
     * @return the message
     */
    public static byte[] answer(int id, String name, InetAddress address, int ttlSeconds) {
        byte[] rdata = address.getAddress();
        ByteBuffer out = ByteBuffer.allocate(HEADER + name.length() + 2 + 10 + rdata.length);
        out.putShort((short) id).putShort((short) 0x8400).putShort((short) 0).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0);
        writeName(out, name);
        out.putShort((short) (rdata.length == 4 ? TYPE_A : TYPE_AAAA)).putShort((short) (CLASS_IN | CACHE_FLUSH))
                .putInt(ttlSeconds).putShort((short) rdata.length).put(rdata);
        return out.array();
    }

    /**
     * The question of a query, if it is one: its name and type.
     *
     * @return {@code null} if the message is not a query with one readable question
     */
    public static Question question(byte[] message, int length) {
        try {
            ByteBuffer in = ByteBuffer.wrap(message, 0, length);
            int id = Short.toUnsignedInt(in.getShort());
            int flags = Short.toUnsignedInt(in.getShort());
            int questions = Short.toUnsignedInt(in.getShort());
            in.position(HEADER);
            if ((flags & 0x8000) != 0 || questions < 1) {
                return null;
            }
            String name = readName(in, message, length);
            int type = Short.toUnsignedInt(in.getShort());
            in.getShort();
            return name == null ? null : new Question(id, name, type);
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /**
     * The addresses a response gives for {@code name} (A and AAAA answers, any order).
     *
     * @param message the response
     * @param length its length
     * @param name the name asked for
     * @return the addresses; empty when the message is no response, malformed, or about other names
     */
    public static List<InetAddress> addresses(byte[] message, int length, String name) {
        Objects.requireNonNull(name, "name");
        List<InetAddress> out = new ArrayList<>();
        try {
            ByteBuffer in = ByteBuffer.wrap(message, 0, length);
            in.getShort();
            int flags = Short.toUnsignedInt(in.getShort());
            int questions = Short.toUnsignedInt(in.getShort());
            int answers = Short.toUnsignedInt(in.getShort()) + Short.toUnsignedInt(in.getShort())
                    + Short.toUnsignedInt(in.getShort()); // answers, authority, additional
            if ((flags & 0x8000) == 0) {
                return out;
            }
            for (int i = 0; i < questions; i++) {
                readName(in, message, length);
                in.position(in.position() + 4);
            }
            for (int i = 0; i < answers; i++) {
                String owner = readName(in, message, length);
                int type = Short.toUnsignedInt(in.getShort());
                in.getShort(); // class
                in.getInt(); // ttl
                int rdLength = Short.toUnsignedInt(in.getShort());
                byte[] rdata = new byte[rdLength];
                in.get(rdata);
                if (owner != null && owner.equalsIgnoreCase(name)
                        && (type == TYPE_A && rdLength == 4 || type == TYPE_AAAA && rdLength == 16)) {
                    out.add(InetAddress.getByAddress(rdata));
                }
            }
        } catch (RuntimeException | UnknownHostException malformed) {
            // what was read so far stands
        }
        return out;
    }

    /** A query's question. @param id the query id @param name the name @param type the record type */
    public record Question(int id, String name, int type) {
    }

    private static void writeName(ByteBuffer out, String name) {
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("name has an empty or over-long label: " + name);
            }
            out.put((byte) bytes.length).put(bytes);
        }
        out.put((byte) 0);
    }

    /** Reads a possibly compressed name (RFC 1035 section 4.1.4), leaving {@code in} after it. */
    private static String readName(ByteBuffer in, byte[] message, int length) {
        StringBuilder name = new StringBuilder();
        int pos = in.position();
        int resumeAt = -1;
        for (int jumps = 0; ; ) {
            int len = message[pos] & 0xFF;
            if (len == 0) {
                pos++;
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                if (++jumps > MAX_POINTERS) {
                    throw new IllegalArgumentException("compression loop");
                }
                int target = ((len & 0x3F) << 8) | (message[pos + 1] & 0xFF);
                if (resumeAt < 0) {
                    resumeAt = pos + 2;
                }
                if (target >= length) {
                    throw new IllegalArgumentException("pointer past the end");
                }
                pos = target;
                continue;
            }
            if (pos + 1 + len > length) {
                throw new IllegalArgumentException("label past the end");
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(message, pos + 1, len, StandardCharsets.UTF_8));
            pos += 1 + len;
        }
        in.position(resumeAt >= 0 ? resumeAt : pos);
        return name.toString();
    }
}
