package io.reactiveice.sdp;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IpLiteral;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.candidate.UnicastAddress;
import java.net.InetAddress;

/**
 * The checks of each field of the {@code candidate} attribute
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC 8839 section 5.1</a>), shared by
 * parsing and formatting; each failure names the field as the grammar does.
 */
final class CandidateFields {
    private CandidateFields() {
    }

    /** {@code foundation = 1*32ice-char}. */
    static String foundation(String token) {
        return IceChars.require("foundation", token, 1, 32, false);
    }

    /** {@code 1*<maxDigits>DIGIT} with a value in {@code min..max}; ASCII digits only. */
    static long number(String field, String token, long min, long max, int maxDigits) {
        String reason = "must be a decimal number " + min + ".." + max;
        if (token.isEmpty() || token.length() > maxDigits) {
            throw new SdpParseException(field, token, reason);
        }
        long value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpParseException(field, token, reason);
            }
            value = value * 10 + (c - '0');
        }
        if (value < min || value > max) {
            throw new SdpParseException(field, token, reason);
        }
        return value;
    }

    /** {@code transport = "UDP" / transport-extension}; we know UDP and TCP (RFC 6544), any case. */
    static TransportProtocol transport(String token) {
        for (TransportProtocol p : TransportProtocol.values()) {
            if (p.token().equalsIgnoreCase(token)) {
                return p;
            }
        }
        throw new SdpParseException("transport", token, "must be udp or tcp");
    }

    /** {@code candidate-types = "host" / "srflx" / "prflx" / "relay"}, any case. */
    static CandidateType type(String token) {
        CandidateType type = CandidateType.ofToken(token);
        if (type == null) {
            throw new SdpParseException("typ", token, "must be host, srflx, prflx or relay");
        }
        return type;
    }

    /** RFC 6544 section 4.5: {@code tcptype active / passive / so}, on TCP candidates only. */
    static TcpType tcpType(String token, TransportProtocol transport) {
        TcpType type = TcpType.ofToken(token);
        if (type == null) {
            throw new SdpParseException("tcptype", token, "must be active, passive or so");
        }
        requireTcp(token, transport);
        return type;
    }

    static void requireTcp(String token, TransportProtocol transport) {
        if (transport != TransportProtocol.TCP) {
            throw new SdpParseException("tcptype", token, "only a tcp candidate has a tcptype");
        }
    }

    /**
     * {@code connection-address}: an IPv4 or IPv6 literal, or a host name such as an mDNS
     * {@code <uuid>.local} (RFC 8866 section 9), which is checked for its characters and never
     * resolved. An IPv6 zone ({@code %eth0}) names an interface of the sender and is refused.
     */
    static String address(String field, String token) {
        if (token.indexOf(':') >= 0) {
            if (token.indexOf('%') >= 0 || token.indexOf('[') >= 0 || !IpLiteral.isLiteral(token)) {
                throw new SdpParseException(field, token, "not an IPv6 address");
            }
            return token;
        }
        boolean digitsAndDots = true;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean nameChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '.';
            if (!nameChar) {
                throw new SdpParseException(field, token, "not an IP address or a host name");
            }
            digitsAndDots &= c == '.' || c >= '0' && c <= '9';
        }
        if (token.isEmpty() || digitsAndDots && !IpLiteral.isLiteral(token)) {
            throw new SdpParseException(field, token, "not an IPv4 address");
        }
        return token;
    }

    /**
     * A peer's candidate is a unicast transport address (RFC 8445 section 5.1.1): refuses an IP
     * literal that {@link UnicastAddress} refuses, naming {@code connection-address} or
     * {@code port}; a host name is judged once it is resolved.
     */
    static void requireUnicast(String address, int port) {
        InetAddress ip = IpLiteral.parse(address);
        UnicastAddress.Refusal refusal = ip == null ? null : UnicastAddress.refusal(ip, port);
        if (refusal == UnicastAddress.Refusal.PORT_ZERO) {
            throw new SdpParseException("port", Integer.toString(port), refusal.reason());
        }
        if (refusal != null) {
            throw new SdpParseException("connection-address", address, refusal.reason());
        }
    }

    /** An extension pair that {@link CandidateLine#parse} would read back as the same extension. */
    static void extension(String name, String value) {
        if (isStandardKeyword(name)) {
            throw new SdpParseException("extension", name, "is a standard field, not an extension");
        }
        if (!isToken(name)) {
            throw new SdpParseException("extension", name,
                    "an extension name must be non-empty, without spaces or controls");
        }
        if (!isToken(value)) {
            throw new SdpParseException("extension", value,
                    "the value of \"" + name + "\" must be non-empty, without spaces or controls");
        }
    }

    private static boolean isStandardKeyword(String name) {
        return name.equalsIgnoreCase("raddr") || name.equalsIgnoreCase("rport") || name.equalsIgnoreCase("tcptype");
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (isSpaceOrControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** SP, HTAB and the other ASCII controls: none can be part of a token (RFC 8866 section 9). */
    static boolean isSpaceOrControl(char c) {
        return c <= ' ' || c == 0x7F;
    }
}
