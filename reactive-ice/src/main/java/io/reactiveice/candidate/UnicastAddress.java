package io.reactiveice.candidate;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Which transport addresses can be a peer: the one place that decides it, for the candidates a
 * peer signals (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1">RFC 8445 section
 * 5.1.1</a>: candidates are unicast transport addresses) and for the sources of the checks a
 * peer-reflexive candidate would be learned from (section 7.3.1.3). Whoever controls signalling
 * must not be able to aim our checks at a broadcast or multicast group, so an address is refused
 * when it is:
 *
 * <ul>
 *   <li>port 0, which no socket sends from or listens on;</li>
 *   <li>unspecified ({@code 0.0.0.0}, {@code ::}) or elsewhere in {@code 0.0.0.0/8}, which
 *       <a href="https://www.rfc-editor.org/rfc/rfc6890#section-2.2.2">RFC 6890</a> allows only
 *       as a source;</li>
 *   <li>multicast ({@code 224.0.0.0/4}, {@code ff00::/8});</li>
 *   <li>the limited broadcast address {@code 255.255.255.255} or another address of
 *       {@code 240.0.0.0/4}, which is reserved;</li>
 *   <li>any of these IPv4 addresses embedded in an IPv6 address: IPv4-mapped
 *       ({@code ::ffff:224.0.0.251}, <a href="https://www.rfc-editor.org/rfc/rfc4291#section-2.5.5.2">RFC
 *       4291 section 2.5.5.2</a>), IPv4-compatible ({@code ::224.0.0.251}, section 2.5.5.1; {@code ::1}
 *       is loopback and accepted, {@code ::} unspecified), the NAT64 well-known prefix
 *       ({@code 64:ff9b::/96}, <a href="https://www.rfc-editor.org/rfc/rfc6052#section-2.1">RFC 6052
 *       section 2.1</a>) and 6to4 ({@code 2002:e000:00fb::/48} for {@code 224.0.0.251},
 *       <a href="https://www.rfc-editor.org/rfc/rfc3056#section-2">RFC 3056 section 2</a>).</li>
 * </ul>
 *
 * Loopback, link-local and private addresses are unicast and accepted. A subnet's directed
 * broadcast address (e.g. {@code 192.0.2.255} in a {@code /24}) cannot be told from a host
 * without the peer's netmask, which no candidate carries; the kernel refuses to send to it
 * without {@code SO_BROADCAST}, which we never set.
 */
public final class UnicastAddress {

    /** Why an address is not a unicast peer; {@link #field()} names the part that is wrong. */
    public enum Refusal {
        /** Port 0. */
        PORT_ZERO("port", "port 0 is not a destination"),
        /** {@code 0.0.0.0}, {@code 0.0.0.0/8} or {@code ::}. */
        UNSPECIFIED("address", "an unspecified address is not a destination"),
        /** {@code 224.0.0.0/4} or {@code ff00::/8}. */
        MULTICAST("address", "a multicast address is not a unicast peer"),
        /** {@code 255.255.255.255}. */
        BROADCAST("address", "the broadcast address is not a unicast peer"),
        /** {@code 240.0.0.0/4} other than the broadcast address. */
        RESERVED("address", "240.0.0.0/4 is reserved, not a unicast address");

        private final String field;
        private final String reason;

        Refusal(String field, String reason) {
            this.field = field;
            this.reason = reason;
        }

        /** The part of the transport address that is wrong: {@code address} or {@code port}. */
        public String field() {
            return field;
        }

        /** What is wrong, in words a log line or an exception can show. */
        public String reason() {
            return reason;
        }
    }

    private UnicastAddress() {
    }

    /**
     * Why a transport address cannot be a peer.
     *
     * @param address the IP address
     * @param port the port
     * @return the refusal, or {@code null} for a unicast peer address
     */
    public static Refusal refusal(InetAddress address, int port) {
        Refusal a = refusal(Objects.requireNonNull(address, "address").getAddress());
        return a != null ? a : port == 0 ? Refusal.PORT_ZERO : null;
    }

    /**
     * Why a transport address cannot be a peer.
     *
     * @param address the address
     * @return the refusal, or {@code null} for a unicast peer address
     */
    public static Refusal refusal(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            return Refusal.UNSPECIFIED;
        }
        return refusal(address.getAddress(), address.getPort());
    }

    /** Whether a transport address can be a peer; see {@link #refusal(InetSocketAddress)}. */
    public static boolean isUnicast(InetSocketAddress address) {
        return refusal(address) == null;
    }

    /**
     * Why a candidate's transport address cannot be a peer; a candidate whose address is a name
     * (not yet resolved) is judged once it is resolved.
     *
     * @param candidate the candidate
     * @return the refusal, or {@code null} for a unicast peer or a name
     */
    public static Refusal refusal(IceCandidate candidate) {
        InetAddress ip = IpLiteral.parse(Objects.requireNonNull(candidate, "candidate").address());
        return ip == null ? null : refusal(ip, candidate.port());
    }

    /**
     * Refuses a peer's candidate whose transport address is not a unicast peer.
     *
     * @param candidate the candidate (a name, not yet resolved, passes)
     * @return {@code candidate}
     * @throws NotUnicastException naming the field that is wrong
     */
    public static IceCandidate requireUnicast(IceCandidate candidate) {
        Refusal r = refusal(candidate);
        if (r != null) {
            throw new NotUnicastException(r, candidate.address(), candidate.port());
        }
        return candidate;
    }

    /**
     * Why an IP address (4 or 16 bytes, network order) cannot be a peer, whatever the port.
     *
     * @param address the address bytes
     * @return the refusal, or {@code null} for a unicast address
     */
    public static Refusal refusal(byte[] address) {
        Objects.requireNonNull(address, "address");
        if (address.length == 16) {
            if ((address[0] & 0xFF) == 0xFF) {
                return Refusal.MULTICAST;
            }
            int embedded = embeddedIpv4(address);
            return embedded < 0 ? null : refusalV4(address, embedded);
        }
        if (address.length != 4) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes but this has " + address.length);
        }
        return refusalV4(address, 0);
    }

    /**
     * Where an IPv6 address carries an IPv4 address that decides whether it is unicast, or -1: at 12
     * for {@code ::ffff:a.b.c.d}, {@code ::a.b.c.d} (with {@code ::} itself, refused as 0.0.0.0) and
     * {@code 64:ff9b::a.b.c.d}; at 2 for 6to4 {@code 2002:aabb:ccdd::/48}. {@code ::1} is loopback.
     */
    private static int embeddedIpv4(byte[] a) {
        if (zeros(a, 0, 10) && (a[10] == (byte) 0xFF && a[11] == (byte) 0xFF || a[10] == 0 && a[11] == 0)) {
            boolean loopback = a[10] == 0 && zeros(a, 12, 15) && a[15] == 1;
            return loopback ? -1 : 12;
        }
        if (a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xFF && a[3] == (byte) 0x9B && zeros(a, 4, 12)) {
            return 12;
        }
        return a[0] == 0x20 && a[1] == 0x02 ? 2 : -1;
    }

    private static boolean zeros(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The IPv4 address at {@code a[at..at+3]}. */
    private static Refusal refusalV4(byte[] a, int at) {
        int first = a[at] & 0xFF;
        if (first == 0) {
            return Refusal.UNSPECIFIED;
        }
        if (first >= 224 && first <= 239) {
            return Refusal.MULTICAST;
        }
        if (first >= 240) {
            boolean allOnes = first == 255 && a[at + 1] == (byte) 0xFF && a[at + 2] == (byte) 0xFF
                    && a[at + 3] == (byte) 0xFF;
            return allOnes ? Refusal.BROADCAST : Refusal.RESERVED;
        }
        return null;
    }
}
