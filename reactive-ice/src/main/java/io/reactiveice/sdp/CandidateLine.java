package io.reactiveice.sdp;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The SDP {@code candidate} attribute
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC 8839 section 5.1</a>, with
 * {@code tcptype} from <a href="https://www.rfc-editor.org/rfc/rfc6544#section-4.5">RFC 6544
 * section 4.5</a>):
 *
 * <pre>
 * candidate:&lt;foundation&gt; &lt;component-id&gt; &lt;transport&gt; &lt;priority&gt;
 *     &lt;connection-address&gt; &lt;port&gt; typ &lt;cand-type&gt;
 *     [raddr &lt;address&gt;] [rport &lt;port&gt;] [tcptype active|passive|so]
 *     *(&lt;extension-att-name&gt; &lt;extension-att-value&gt;)
 * </pre>
 *
 * <p>{@link #parse} takes the line as SDP carries it ({@code a=candidate:...}), as a browser's
 * {@code RTCIceCandidate.candidate} carries it ({@code candidate:...}), or bare. Keywords,
 * transport and candidate type are read in any case, as ABNF literals are. {@code raddr},
 * {@code rport} and {@code tcptype} are taken wherever they appear after {@code typ}, each at most
 * once; every other name-value pair is kept, in order, as an {@link IceCandidate.Extension}.
 * A host name such as an mDNS {@code <uuid>.local} is kept as text and never resolved.
 *
 * <p>A line is at most {@value #MAX_LENGTH} characters long and carries at most
 * {@value #MAX_EXTENSIONS} extension attributes (browsers send four at most), so that what a peer
 * signals costs a bounded amount to read and to keep.
 *
 * <p>{@link #format} writes the canonical form: lowercase tokens, the standard fields in grammar
 * order, then the extensions, single spaces. {@code format(parse(x))} is {@code x} for every
 * canonical {@code x}, and {@code parse(format(c))} equals {@code c}.
 */
public final class CandidateLine {
    /** The longest line {@link #parse} reads and {@link #format} writes, in characters. */
    public static final int MAX_LENGTH = 1024;
    /** The most extension attributes a candidate may carry. */
    public static final int MAX_EXTENSIONS = 16;
    private static final String PREFIX = "candidate:";
    private static final String[] POSITIONAL = {
        "foundation", "component-id", "transport", "priority", "connection-address", "port", "typ", "typ"};

    private CandidateLine() {
    }

    /**
     * Parses a {@code candidate} attribute.
     *
     * @param line e.g. {@code a=candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host}, with or
     *     without {@code a=} and {@code candidate:}; surrounding white space (a CRLF) is ignored
     * @return the candidate
     * @throws SdpParseException naming the first field that is missing or malformed; {@code candidate}
     *     for a line longer than {@value #MAX_LENGTH} characters, {@code extension} for more than
     *     {@value #MAX_EXTENSIONS} extension attributes; {@code connection-address} or {@code port} when
     *     the address is not a unicast peer (port 0, unspecified, multicast, broadcast; see
     *     {@link io.reactiveice.candidate.UnicastAddress})
     */
    public static IceCandidate parse(String line) {
        Objects.requireNonNull(line, "line");
        if (line.length() > MAX_LENGTH) {
            throw new SdpParseException("candidate", line, tooLong(line.length()));
        }
        String[] t = tokens(stripPrefix(line));
        String foundation = CandidateFields.foundation(at(t, 0));
        int componentId = (int) CandidateFields.number("component-id", at(t, 1), 1, 256, 3);
        TransportProtocol transport = CandidateFields.transport(at(t, 2));
        long priority = CandidateFields.number("priority", at(t, 3), 1, 0xFFFF_FFFFL, 10);
        String address = CandidateFields.address("connection-address", at(t, 4));
        int port = (int) CandidateFields.number("port", at(t, 5), 0, 65_535, 5);
        CandidateFields.requireUnicast(address, port);
        if (!at(t, 6).equalsIgnoreCase("typ")) {
            throw new SdpParseException("typ", t[6], "expected \"typ\" after the port");
        }
        CandidateType type = CandidateFields.type(at(t, 7));
        Tail tail = new Tail();
        for (int i = 8; i < t.length; i += 2) {
            tail.add(t[i], i + 1 < t.length ? t[i + 1] : null, transport);
        }
        return new IceCandidate(foundation, componentId, transport, priority, address, port, type,
                tail.relatedAddress, tail.relatedPort, tail.tcpType, tail.extensions);
    }

    /**
     * Parses every {@code candidate} attribute among SDP lines, ignoring all other lines.
     *
     * @param lines SDP lines, e.g. one media section
     * @return the candidates, in order
     * @throws SdpParseException for the first malformed candidate line
     */
    public static List<IceCandidate> parseAll(List<String> lines) {
        Objects.requireNonNull(lines, "lines");
        List<IceCandidate> candidates = new ArrayList<>();
        for (String line : lines) {
            if (isCandidateLine(Objects.requireNonNull(line, "line"))) {
                candidates.add(parse(line));
            }
        }
        return candidates;
    }

    /**
     * Whether a line is a {@code candidate} attribute, i.e. starts with {@code a=candidate:} or
     * {@code candidate:}; says nothing about whether the rest is well formed.
     *
     * @param line an SDP line
     * @return true for a candidate line
     */
    public static boolean isCandidateLine(String line) {
        String body = AttributeLine.body(Objects.requireNonNull(line, "line"));
        return body.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * The canonical attribute value, as {@code RTCIceCandidate.candidate} carries it.
     *
     * @param candidate the candidate
     * @return {@code candidate:<foundation> <component-id> ...}, without {@code a=}
     * @throws SdpParseException (an {@link IllegalArgumentException}) if a field cannot be written
     *     so that it parses back: a foundation with other than ice-chars, an address that is neither
     *     an IP literal nor a host name, {@code tcptype} on UDP, an extension that is empty, holds
     *     white space or is named like a standard field, more than {@value #MAX_EXTENSIONS}
     *     extensions, or a line longer than {@value #MAX_LENGTH} characters
     */
    public static String format(IceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        IceCandidate c = candidate;
        if (c.extensions().size() > MAX_EXTENSIONS) {
            throw new SdpParseException("extension", c.extensions().get(MAX_EXTENSIONS).name(), tooManyExtensions());
        }
        CandidateFields.foundation(c.foundation());
        CandidateFields.address("connection-address", c.address());
        StringBuilder sb = new StringBuilder(128).append(PREFIX).append(c.foundation())
                .append(' ').append(c.componentId()).append(' ').append(c.transport().token())
                .append(' ').append(c.priority()).append(' ').append(c.address()).append(' ').append(c.port())
                .append(" typ ").append(c.type().token());
        if (c.relatedAddress() != null) {
            sb.append(" raddr ").append(CandidateFields.address("raddr", c.relatedAddress()));
        }
        if (c.relatedPort() >= 0) {
            sb.append(" rport ").append(c.relatedPort());
        }
        if (c.tcpType() != null) {
            CandidateFields.requireTcp(c.tcpType().token(), c.transport());
            sb.append(" tcptype ").append(c.tcpType().token());
        }
        for (IceCandidate.Extension e : c.extensions()) {
            CandidateFields.extension(e.name(), e.value());
            sb.append(' ').append(e.name()).append(' ').append(e.value());
        }
        if (sb.length() + 2 > MAX_LENGTH) { // with a=, as formatAttribute writes it
            throw new SdpParseException("candidate", sb.toString(), tooLong(sb.length() + 2));
        }
        return sb.toString();
    }

    /**
     * The canonical SDP line: {@code a=} followed by {@link #format}.
     *
     * @param candidate the candidate
     * @return {@code a=candidate:...}
     * @throws SdpParseException as {@link #format} does
     */
    public static String formatAttribute(IceCandidate candidate) {
        return "a=" + format(candidate);
    }

    private static String tooLong(int length) {
        return "a candidate line must be at most " + MAX_LENGTH + " characters but has " + length;
    }

    private static String tooManyExtensions() {
        return "a candidate may carry at most " + MAX_EXTENSIONS + " extension attributes";
    }

    /** Token {@code i}, which the grammar requires: its absence is an error naming the field. */
    private static String at(String[] t, int i) {
        if (i >= t.length) {
            throw new SdpParseException(POSITIONAL[i], "", i == 6 ? "expected \"typ\" after the port"
                    : i == 7 ? "expected host, srflx, prflx or relay" : "the line ends before it");
        }
        return t[i];
    }

    private static String stripPrefix(String line) {
        String body = AttributeLine.body(line);
        if (body.isEmpty()) {
            throw new SdpParseException("candidate", "", "the input is empty");
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != ' ' && c != '\t' && CandidateFields.isSpaceOrControl(c)) {
                throw new SdpParseException("candidate", body,
                        String.format("control character U+%04X at offset %d", (int) c, i));
            }
        }
        if (body.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return body.substring(PREFIX.length());
        }
        String first = tokens(body)[0];
        // A foundation holds no colon, so a colon here means some other attribute.
        if (first.indexOf(':') >= 0 || first.equalsIgnoreCase("candidate")) {
            int colon = first.indexOf(':');
            String name = colon < 0 ? first : first.substring(0, colon);
            throw new SdpParseException("attribute", name, "expected \"candidate:\"");
        }
        return body;
    }

    /** Splits at runs of spaces and tabs; RFC 8839 writes one SP, but peers are not always exact. */
    private static String[] tokens(String s) {
        List<String> out = new ArrayList<>(24);
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** The fields after {@code typ <cand-type>}, gathered while reading name-value pairs. */
    private static final class Tail {
        String relatedAddress;
        int relatedPort = -1;
        TcpType tcpType;
        final List<IceCandidate.Extension> extensions = new ArrayList<>();

        void add(String name, String value, TransportProtocol transport) {
            if (name.equalsIgnoreCase("raddr")) {
                once("raddr", relatedAddress != null, value);
                relatedAddress = CandidateFields.address("raddr", value);
            } else if (name.equalsIgnoreCase("rport")) {
                once("rport", relatedPort >= 0, value);
                relatedPort = (int) CandidateFields.number("rport", value, 0, 65_535, 5);
            } else if (name.equalsIgnoreCase("tcptype")) {
                once("tcptype", tcpType != null, value);
                tcpType = CandidateFields.tcpType(value, transport);
            } else if (value == null) {
                throw new SdpParseException("extension", name, "an extension attribute name without a value");
            } else if (extensions.size() == MAX_EXTENSIONS) {
                throw new SdpParseException("extension", name, tooManyExtensions());
            } else {
                extensions.add(new IceCandidate.Extension(name, value));
            }
        }

        private static void once(String field, boolean seen, String value) {
            if (value == null) {
                throw new SdpParseException(field, "", "\"" + field + "\" must be followed by a value");
            }
            if (seen) {
                throw new SdpParseException(field, value, "\"" + field + "\" appears more than once");
            }
        }
    }
}
