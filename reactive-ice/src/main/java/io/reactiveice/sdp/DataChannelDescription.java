package io.reactiveice.sdp;

import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A session description with one WebRTC data channel section, as a browser's
 * {@code RTCPeerConnection} offers or answers it when only {@code createDataChannel} was called
 * (<a href="https://www.rfc-editor.org/rfc/rfc8841">RFC 8841</a>,
 * {@code m=application 9 UDP/DTLS/SCTP webrtc-datachannel}), seen from ICE: the parameters of
 * <a href="https://www.rfc-editor.org/rfc/rfc8839#section-5">RFC 8839 section 5</a>, the
 * candidates and end-of-candidates, and the few other attributes a browser needs before it
 * accepts the description ({@code mid}, DTLS {@code setup} and {@code fingerprint}).
 *
 * <p>{@link #parse} reads the first {@code m=application} section of any description and ignores
 * every other section and attribute. ICE, {@code setup} and {@code fingerprint} attributes of the
 * media section take precedence over those at session level, attribute by attribute;
 * {@code ice-lite} is read at session level only (RFC 8839 section 5.3). {@link #format} writes a
 * complete description with that section alone, {@code a=ice-lite} at session level if
 * {@link IceParameters#lite()}, and the first candidate with an IP address as the default
 * candidate of the {@code m=} and {@code c=} lines (port 9 and {@code 0.0.0.0} when there is
 * none, RFC 8840 section 4.1.1). {@code parse(format(d, ...))} equals {@code d}.
 *
 * <p>Nothing here does DTLS: the fingerprint is carried, not computed or checked.
 *
 * @param ice the ICE parameters; {@code lite} comes from and goes to the session level
 * @param mid the media stream identification of the section (RFC 9143 {@code a=mid}), a token
 * @param setup the DTLS role attribute (RFC 8842 section 5)
 * @param fingerprint the certificate fingerprint (RFC 8122 section 5)
 * @param candidates the candidates of the section, in order
 * @param endOfCandidates whether the section carries {@code a=end-of-candidates} (RFC 8840)
 */
public record DataChannelDescription(IceParameters ice, String mid, Setup setup, Fingerprint fingerprint,
        List<IceCandidate> candidates, boolean endOfCandidates) {
    private static final String MEDIA = "application";
    private static final String PROTOCOL = "UDP/DTLS/SCTP";
    private static final String FORMAT = "webrtc-datachannel";
    private static final int SCTP_PORT = 5000;
    private static final int MAX_MESSAGE_SIZE = 262_144;

    /** Checks every field. */
    public DataChannelDescription {
        Objects.requireNonNull(ice, "ice");
        requireToken("mid", Objects.requireNonNull(mid, "mid"));
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(Objects.requireNonNull(candidates, "candidates"));
    }

    /**
     * The DTLS role of an endpoint, the values of the {@code setup} attribute
     * (<a href="https://www.rfc-editor.org/rfc/rfc4145#section-4">RFC 4145 section 4</a>, for DTLS
     * <a href="https://www.rfc-editor.org/rfc/rfc8842#section-5">RFC 8842 section 5</a>): an offer
     * says {@code actpass}, an answer {@code active} or {@code passive}.
     */
    public enum Setup {
        /** The endpoint starts the DTLS handshake (it is the DTLS client). */
        ACTIVE,
        /** The endpoint waits for the handshake (it is the DTLS server). */
        PASSIVE,
        /** Either; what an offer says. */
        ACTPASS,
        /** Not now. */
        HOLDCONN;

        /**
         * The attribute value.
         *
         * @return e.g. {@code actpass}
         */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Reads an attribute value, in any case.
         *
         * @param token e.g. {@code actpass}
         * @return the role
         * @throws SdpParseException (field {@code setup}) for any other value
         */
        public static Setup parse(String token) {
            Objects.requireNonNull(token, "token");
            for (Setup s : values()) {
                if (s.token().equalsIgnoreCase(token.trim())) {
                    return s;
                }
            }
            throw new SdpParseException("setup", token, "must be active, passive, actpass or holdconn");
        }
    }

    /**
     * The {@code fingerprint} attribute (<a href="https://www.rfc-editor.org/rfc/rfc8122#section-5">RFC
     * 8122 section 5</a>): a hash function name and the certificate's digest as upper-case hex pairs
     * separated by colons.
     *
     * @param hashFunction e.g. {@code sha-256}, lower case
     * @param value e.g. {@code 71:52:38:...}, upper case
     */
    public record Fingerprint(String hashFunction, String value) {
        /** Checks the syntax and normalizes the case. */
        public Fingerprint {
            hashFunction = requireToken("fingerprint", Objects.requireNonNull(hashFunction, "hashFunction"))
                    .toLowerCase(Locale.ROOT);
            value = Objects.requireNonNull(value, "value").toUpperCase(Locale.ROOT);
            if (!value.matches("[0-9A-F]{2}(:[0-9A-F]{2})*")) {
                throw new SdpParseException("fingerprint", value, "must be hex pairs separated by colons");
            }
        }

        /**
         * A {@code sha-256} fingerprint of a digest.
         *
         * @param digest the 32 bytes of a SHA-256 digest
         * @return the fingerprint
         */
        public static Fingerprint sha256(byte[] digest) {
            if (Objects.requireNonNull(digest, "digest").length != 32) {
                throw new IllegalArgumentException("a SHA-256 digest has 32 bytes but this has " + digest.length);
            }
            StringBuilder hex = new StringBuilder(95);
            for (byte b : digest) {
                if (hex.length() > 0) {
                    hex.append(':');
                }
                hex.append(String.format("%02X", b & 0xFF));
            }
            return new Fingerprint("sha-256", hex.toString());
        }

        /**
         * Reads an attribute value.
         *
         * @param attributeValue {@code hash-func SP fingerprint}, e.g. {@code sha-256 71:52:...}
         * @return the fingerprint
         * @throws SdpParseException (field {@code fingerprint}) for a malformed value
         */
        public static Fingerprint parse(String attributeValue) {
            String[] parts = Objects.requireNonNull(attributeValue, "attributeValue").trim().split("[ \\t]+");
            if (parts.length != 2) {
                throw new SdpParseException("fingerprint", attributeValue.trim(), "must be a hash function and a value");
            }
            return new Fingerprint(parts[0], parts[1]);
        }

        /**
         * The attribute value.
         *
         * @return {@code hash-func SP fingerprint}
         */
        public String format() {
            return hashFunction + " " + value;
        }
    }

    /**
     * Reads the first data channel section of a description.
     *
     * @param sdp a session description, lines separated by CRLF or LF
     * @return its ICE view
     * @throws SdpParseException naming the field: {@code m} when there is no {@code m=application}
     *     section; {@code mid}, {@code setup} or {@code fingerprint} when missing or malformed;
     *     whatever {@link IceParameters#parse} and {@link CandidateLine#parse} name
     */
    public static DataChannelDescription parse(String sdp) {
        List<String> lines = Objects.requireNonNull(sdp, "sdp").lines().map(String::strip).toList();
        int firstSection = firstMediaLine(lines, 0, null);
        int start = firstMediaLine(lines, firstSection, MEDIA);
        if (start == lines.size()) {
            throw new SdpParseException("m", "", "there is no m=" + MEDIA + " section");
        }
        List<String> session = lines.subList(0, firstSection);
        List<String> media = lines.subList(start + 1, firstMediaLine(lines, start + 1, null));
        List<String> iceLines = new ArrayList<>();
        for (String name : List.of("ice-ufrag", "ice-pwd", "ice-options")) {
            iceLines.addAll(attributes(media, session, name));
        }
        iceLines.addAll(attributes(session, "ice-lite"));
        return new DataChannelDescription(IceParameters.parse(iceLines), value(media, List.of(), "mid"),
                Setup.parse(value(media, session, "setup")), Fingerprint.parse(value(media, session, "fingerprint")),
                CandidateLine.parseAll(media), EndOfCandidates.isPresent(media));
    }

    /** The index of the first {@code m=} line from {@code from} on (of this media, if not null), or the size. */
    private static int firstMediaLine(List<String> lines, int from, String media) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).startsWith(media == null ? "m=" : "m=" + media + " ")) {
                return i;
            }
        }
        return lines.size();
    }

    /** The attribute lines of this name: the media section's, or else the session's. */
    private static List<String> attributes(List<String> media, List<String> session, String name) {
        List<String> found = attributes(media, name);
        return found.isEmpty() ? attributes(session, name) : found;
    }

    private static List<String> attributes(List<String> lines, String name) {
        List<String> found = new ArrayList<>(1);
        for (String line : lines) {
            if (line.startsWith("a=") && AttributeLine.of(line).is(name)) {
                found.add(line);
            }
        }
        return found;
    }

    /** The value of a value attribute, from the media lines or else from the session lines. */
    private static String value(List<String> media, List<String> session, String name) {
        List<String> lines = attributes(media, session, name);
        if (lines.isEmpty()) {
            throw new SdpParseException(name, "", "there is no a=" + name + " line");
        }
        String value = AttributeLine.of(lines.get(0)).value();
        if (value == null || value.isBlank()) {
            throw new SdpParseException(name, "", "a=" + name + " needs a value");
        }
        return value.trim();
    }

    /**
     * The whole description, lines ending in CRLF.
     *
     * @param sessionId the {@code o=} line's session id, e.g. random, kept for the session
     * @param sessionVersion the {@code o=} line's version, higher in every new offer or answer of the session
     * @return e.g. {@code v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n...}
     * @throws IllegalArgumentException if the id or version is negative
     * @throws SdpParseException if a candidate cannot be written (see {@link CandidateLine#format})
     */
    public String format(long sessionId, long sessionVersion) {
        if (sessionId < 0 || sessionVersion < 0) {
            throw new IllegalArgumentException("sessionId and sessionVersion must be at least 0 but were "
                    + sessionId + " and " + sessionVersion);
        }
        IceCandidate defaultCandidate = candidates.stream().filter(IceCandidate::hasIpAddress).findFirst().orElse(null);
        List<String> lines = new ArrayList<>(24);
        lines.add("v=0");
        lines.add("o=- " + sessionId + " " + sessionVersion + " IN IP4 0.0.0.0");
        lines.add("s=-");
        lines.add("t=0 0");
        if (ice.lite()) {
            lines.add("a=ice-lite");
        }
        lines.add("a=group:BUNDLE " + mid);
        lines.add("m=" + MEDIA + " " + (defaultCandidate == null ? 9 : defaultCandidate.port()) + " " + PROTOCOL + " "
                + FORMAT);
        lines.add("c=" + connectionAddress(defaultCandidate));
        lines.addAll(new IceParameters(ice.ufrag(), ice.pwd(), ice.options(), false).toLines());
        lines.add("a=fingerprint:" + fingerprint.format());
        lines.add("a=setup:" + setup.token());
        lines.add("a=mid:" + mid);
        lines.add("a=sctp-port:" + SCTP_PORT);
        lines.add("a=max-message-size:" + MAX_MESSAGE_SIZE);
        for (IceCandidate c : candidates) {
            lines.add(CandidateLine.formatAttribute(c));
        }
        if (endOfCandidates) {
            lines.add(EndOfCandidates.LINE);
        }
        return String.join("\r\n", lines) + "\r\n";
    }

    /** {@code IN IP4 <address>} or {@code IN IP6 <address>} (RFC 8866 section 5.7). */
    private static String connectionAddress(IceCandidate candidate) {
        if (candidate == null) {
            return "IN IP4 0.0.0.0";
        }
        InetAddress ip = IpLiteral.parse(candidate.address());
        return (ip instanceof Inet6Address ? "IN IP6 " : "IN IP4 ") + candidate.address();
    }

    /** A token of RFC 8866 section 9: visible ASCII but for a few separators; what mid and hash names are. */
    private static String requireToken(String field, String value) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c > 0x20 && c < 0x7F && "\"(),/:;<=>?@[\\]".indexOf(c) < 0)) {
            throw new SdpParseException(field, value, "must be a token (visible ASCII without separators)");
        }
        return value;
    }
}
