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
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
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
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: only its syntax is checked
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
