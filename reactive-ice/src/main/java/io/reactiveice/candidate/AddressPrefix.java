package io.reactiveice.candidate;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An IP address prefix in CIDR notation ({@code 172.17.0.0/16}, {@code fd00::/8}, or one address,
 * {@code 10.0.0.5}), for the local-address filters of {@link HostAddressPolicy}: leaving out a Docker
 * bridge, a VPN tunnel's range, or keeping to one private network.
 *
 * @param network the prefix's address, its host bits zero
 * @param length the prefix length in bits: 0 to 32 for IPv4, 0 to 128 for IPv6
 */
public record AddressPrefix(InetAddress network, int length) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the length does not fit the family, or host bits are set
     */
    public AddressPrefix {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (length < 0 || length > bits) {
            throw new IllegalArgumentException("prefix length of " + network.getHostAddress() + " must be 0.." + bits
                    + " but was " + length);
        }
        byte[] a = network.getAddress();
        for (int i = length; i < bits; i++) {
            if ((a[i / 8] & (0x80 >>> (i % 8))) != 0) {
                throw new IllegalArgumentException(network.getHostAddress() + "/" + length
                        + " has host bits set: the network is " + masked(a, length));
            }
        }
    }

    /**
     * Parses {@code ADDRESS/LENGTH} or a single {@code ADDRESS} (the full length), with IP literals only.
     *
     * @throws IllegalArgumentException naming the text if it is not such a prefix
     */
    public static AddressPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        InetAddress ip = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
        if (ip == null) {
            throw new IllegalArgumentException("an address prefix must be ADDRESS/LENGTH with an IP literal but was " + text);
        }
        int length;
        try {
            length = slash < 0 ? ip.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the prefix length of " + text + " is not a number", e);
        }
        return new AddressPrefix(ip, length);
    }

    /** Whether {@code address} is in this prefix (never across families). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int bit = 0x80 >>> (i % 8);
            if ((a[i / 8] & bit) != (n[i / 8] & bit)) {
                return false;
            }
        }
        return true;
    }

    private static String masked(byte[] a, int length) {
        byte[] m = a.clone();
        for (int i = length; i < m.length * 8; i++) {
            m[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        }
        try {
            return InetAddress.getByAddress(m).getHostAddress() + "/" + length;
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // a 4 or 16 byte address
        }
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + length;
    }
}
