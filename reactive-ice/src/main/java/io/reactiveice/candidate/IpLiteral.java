package io.reactiveice.candidate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking DNS: {@link InetAddress#getByName} resolves
 * anything that is not a literal, which must never happen on an event loop or for an address a
 * peer sent us.
 */
public final class IpLiteral {
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[\\w.-]+)?]?");

    private IpLiteral() {
    }

    /** Whether {@code text} is an IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        return parse(text) != null;
    }

    /**
     * The address a literal denotes.
     *
     * @param text e.g. {@code 192.0.2.1}, {@code 2001:db8::1} or {@code [::1]}
     * @return the address, or {@code null} if {@code text} is not a literal (a host name, an mDNS name)
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        byte[] v4 = ipv4(text);
        if (v4 != null) {
            try {
                return InetAddress.getByAddress(v4); // never resolves
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes are always a valid address
            }
        }
        if (!IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: only its syntax is checked
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /**
     * The four bytes of a dotted-quad literal ({@code 0..255} each, no leading zeros, which some
     * parsers read as octal), or {@code null}. By hand rather than by regular expression: every
     * candidate and every check's source goes through here.
     */
    private static byte[] ipv4(String text) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = text.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 4) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }
}
