package io.reactiveice;

import io.reactiveice.candidate.IpLiteral;
import java.util.Locale;
import java.util.Objects;

/**
 * A STUN or TURN server as WebRTC's {@code RTCIceServer} gives it: a {@code stun:}, {@code turn:} or
 * {@code turns:} URI (<a href="https://www.rfc-editor.org/rfc/rfc7064">RFC 7064</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc7065">RFC 7065</a>) with an optional username and
 * credential. Parsing never resolves the host name; that happens later, off the event loop.
 *
 * @param scheme {@code stun}, {@code stuns}, {@code turn} or {@code turns}
 * @param host an IP literal or a host name (IPv6 without brackets)
 * @param port the port (3478 for stun/turn, 5349 for stuns/turns unless given)
 * @param transport {@code udp} or {@code tcp} ({@code tcp} for turns, {@code udp} by default otherwise)
 * @param username for TURN, or {@code null}
 * @param credential for TURN, or {@code null}; never shown by {@link #toString()}
 */
public record IceServer(String scheme, String host, int port, String transport, String username, String credential) {

    /** Checks the fields, naming the one that is wrong. */
    public IceServer {
        Objects.requireNonNull(scheme, "scheme");
        if (!scheme.equals("stun") && !scheme.equals("stuns") && !scheme.equals("turn") && !scheme.equals("turns")) {
            throw new IllegalArgumentException("scheme must be stun, stuns, turn or turns but was " + scheme);
        }
        Objects.requireNonNull(host, "host");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535 but was " + port);
        }
        if (!"udp".equals(transport) && !"tcp".equals(transport)) {
            throw new IllegalArgumentException("transport must be udp or tcp but was " + transport);
        }
        if (scheme.startsWith("turn") && (username == null || credential == null)) {
            throw new IllegalArgumentException("username and credential are required for " + scheme + ":" + host);
        }
    }

    /**
     * Parses a URI such as {@code stun:stun.example.org}, {@code stun:[::1]:3478} or
     * {@code turn:192.0.2.1:3478?transport=tcp}.
     *
     * @param uri the URI
     * @return the server, without credentials
     */
    public static IceServer parse(String uri) {
        return parse(uri, null, null);
    }

    /**
     * Parses a URI with the username and credential of a TURN server.
     *
     * @param uri the URI
     * @param username the username, or {@code null}
     * @param credential the credential, or {@code null}
     * @return the server
     * @throws IllegalArgumentException naming what is wrong with the URI
     */
    public static IceServer parse(String uri, String username, String credential) {
        Objects.requireNonNull(uri, "uri");
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("uri must start with stun:, stuns:, turn: or turns: but was " + uri);
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = uri.substring(colon + 1);
        String transport = scheme.equals("turns") || scheme.equals("stuns") ? "tcp" : "udp";
        int query = rest.indexOf('?');
        if (query >= 0) {
            String q = rest.substring(query + 1);
            rest = rest.substring(0, query);
            if (!q.startsWith("transport=")) {
                throw new IllegalArgumentException("uri query must be transport=udp|tcp but was " + q);
            }
            transport = q.substring("transport=".length()).toLowerCase(Locale.ROOT);
        }
        String[] hostPort = hostAndPort(rest, uri);
        String host = hostPort[0];
        int port = scheme.endsWith("s") ? 5349 : 3478;
        if (hostPort[1] != null) {
            try {
                port = Integer.parseInt(hostPort[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("uri port must be a number but was " + hostPort[1]);
            }
        }
        return new IceServer(scheme, host, port, transport, username, credential);
    }

    /** The host and the port text (or {@code null}) of {@code rest}, RFC 7064 section 3.1's {@code host [":" port]}. */
    private static String[] hostAndPort(String rest, String uri) {
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("uri host has an unclosed [ in " + uri);
            }
            String portText = null;
            if (close + 1 < rest.length()) {
                if (rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("uri has text after the IPv6 host in " + uri);
                }
                portText = rest.substring(close + 2);
            }
            return new String[] {rest.substring(1, close), portText};
        }
        int last = rest.lastIndexOf(':');
        String host = last >= 0 ? rest.substring(0, last) : rest;
        if (host.contains(":")) {
            throw new IllegalArgumentException("uri IPv6 hosts must be in brackets: " + uri);
        }
        return new String[] {host, last >= 0 ? rest.substring(last + 1) : null};
    }

    /** Whether this is a TURN server. */
    public boolean isTurn() {
        return scheme.startsWith("turn");
    }

    /** Whether the host is an IP literal (no DNS needed). */
    public boolean hasIpAddress() {
        return IpLiteral.isLiteral(host);
    }

    @Override
    public String toString() {
        return scheme + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
                + (username == null ? "" : " (user " + username + ")");
    }
}
