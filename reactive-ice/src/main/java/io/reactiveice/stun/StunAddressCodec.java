package io.reactiveice.stun;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * The value format of the address attributes, plain and XOR-ed
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.1">RFC 8489 sections 14.1 and 14.2</a>):
 * a reserved byte, the family (0x01 IPv4, 0x02 IPv6), the port, then 4 or 16 address bytes. The
 * XOR form masks the port with the top half of the magic cookie and the address with the cookie
 * followed, for IPv6, by the transaction id.
 */
final class StunAddressCodec {
    static final int FAMILY_IPV4 = 0x01;
    static final int FAMILY_IPV6 = 0x02;

    private StunAddressCodec() {
    }

    static void checkFamilyByte(int family) {
        if (family != FAMILY_IPV4 && family != FAMILY_IPV6) {
            throw new IllegalArgumentException("family must be 0x01 (IPv4) or 0x02 (IPv6) but was " + family);
        }
    }

    static InetSocketAddress read(StunMessageReader reader, int index, boolean xor) {
        ByteBuffer b = reader.buffer();
        int at = reader.valueOffset(index);
        int len = reader.valueLength(index);
        String name = StunAttributeType.valueOf(reader.attributeType(index)).name();
        if (len < 4) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_LENGTH, name + " shorter than 4 bytes");
        }
        int family = b.get(at + 1) & 0xFF;
        int port = b.getShort(at + 2) & 0xFFFF;
        byte[] address;
        if (family == FAMILY_IPV4 && len == 8) {
            address = new byte[4];
        } else if (family == FAMILY_IPV6 && len == 20) {
            address = new byte[16];
        } else {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_VALUE,
                    name + " has family " + family + " with length " + len);
        }
        b.get(at + 4, address, 0, address.length);
        if (xor) {
            port ^= StunMessageReader.MAGIC_COOKIE >>> 16;
            int header = reader.offset();
            for (int i = 0; i < address.length; i++) {
                address[i] ^= b.get(header + 4 + i); // the cookie, then the transaction id
            }
        }
        try {
            // Inet6Address keeps an IPv4-mapped IPv6 address in its family; InetAddress.getByAddress would not
            InetAddress ip = address.length == 16 ? Inet6Address.getByAddress(null, address, -1)
                    : InetAddress.getByAddress(address);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new StunDecodeException(StunRejection.BAD_ATTRIBUTE_VALUE, name + ": " + e.getMessage());
        }
    }

    /** The number of value bytes an address takes: 8 for IPv4, 20 for IPv6. */
    static int valueLength(InetAddress address) {
        return address instanceof Inet4Address ? 8 : 20;
    }

    /**
     * Writes an address value at {@code at}. {@code transactionHigh}/{@code Low} are used for the
     * IPv6 XOR mask.
     */
    static void write(ByteBuffer b, int at, InetAddress address, int port, boolean xor, long transactionHigh,
            int transactionLow) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 0..65535 but was " + port);
        }
        int cookie = StunMessageReader.MAGIC_COOKIE;
        b.put(at, (byte) 0);
        b.putShort(at + 2, (short) (xor ? port ^ (cookie >>> 16) : port));
        if (address instanceof Inet4Address) {
            b.put(at + 1, (byte) FAMILY_IPV4);
            int v4 = address.hashCode(); // Inet4Address.hashCode() is the address itself: no array copy
            b.putInt(at + 4, xor ? v4 ^ cookie : v4);
        } else if (address instanceof Inet6Address) {
            b.put(at + 1, (byte) FAMILY_IPV6);
            byte[] v6 = address.getAddress();
            for (int i = 0; i < 16; i++) {
                int m = 0;
                if (xor) {
                    m = i < 4 ? cookie >>> (24 - 8 * i) : i < 12 ? (int) (transactionHigh >>> (56 - 8 * (i - 4)))
                            : transactionLow >>> (24 - 8 * (i - 12));
                }
                b.put(at + 4 + i, (byte) (v6[i] ^ m));
            }
        } else {
            throw new IllegalArgumentException("address must be IPv4 or IPv6 but was " + address);
        }
    }
}
