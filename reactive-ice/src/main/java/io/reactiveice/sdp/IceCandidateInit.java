package io.reactiveice.sdp;

import io.reactiveice.candidate.IceCandidate;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A candidate as browsers hand it to signaling: the {@code RTCIceCandidateInit} dictionary of
 * <a href="https://www.w3.org/TR/webrtc/#dom-rtcicecandidateinit">WebRTC 1.0</a>, in its JSON form
 * ({@code JSON.stringify(event.candidate)}):
 *
 * <pre>
 * {"candidate":"candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host",
 *  "sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"abcd"}
 * </pre>
 *
 * <p>The {@code candidate} member holds a {@code candidate} attribute without {@code a=}
 * (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.1">RFC 8839 section 5.1</a>). An
 * empty one means end-of-candidates (<a href="https://www.rfc-editor.org/rfc/rfc8838#section-13">RFC
 * 8838 section 13</a>); here that is a {@code null} {@link #candidate()}. Like the dictionary, this
 * value allows {@code sdpMid} and {@code sdpMLineIndex} both {@code null}, though a browser's
 * {@code addIceCandidate} refuses a candidate that has neither.
 *
 * @param candidate the candidate, or {@code null} for end-of-candidates
 * @param sdpMid the media stream identification tag of the media section, or {@code null}
 * @param sdpMLineIndex the index of the media section, 0 to 65535, or {@code null}
 * @param usernameFragment the ufrag of the ICE session the candidate belongs to, or {@code null}
 */
public record IceCandidateInit(IceCandidate candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {

    /** Checks that {@code sdpMLineIndex} is an unsigned short, as the WebIDL type says. */
    public IceCandidateInit {
        if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 65_535)) {
            throw new SdpParseException("sdpMLineIndex", sdpMLineIndex.toString(), "must be 0..65535 or null");
        }
    }

    /**
     * The end-of-candidates indication, with an empty {@code candidate}
     * (<a href="https://www.rfc-editor.org/rfc/rfc8838#section-13">RFC 8838 section 13</a>).
     *
     * @param sdpMid the media section's mid, or {@code null}
     * @param sdpMLineIndex the media section's index, or {@code null}
     * @param usernameFragment the ufrag of the ICE session, or {@code null}
     * @return the indication
     */
    public static IceCandidateInit endOfCandidates(String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
        return new IceCandidateInit(null, sdpMid, sdpMLineIndex, usernameFragment);
    }

    /**
     * Whether this is the end-of-candidates indication rather than a candidate.
     *
     * @return true if {@link #candidate()} is {@code null}
     */
    public boolean isEndOfCandidates() {
        return candidate == null;
    }

    /**
     * Reads the JSON form. Members other than the four are ignored, a missing member is its
     * default ({@code ""} for {@code candidate}, {@code null} for the others), and white space may
     * stand anywhere JSON allows it.
     *
     * @param json a JSON object
     * @return the value
     * @throws SdpParseException for malformed JSON (field {@code json}), a member of the wrong type
     *     or range (field {@code candidate}, {@code sdpMid}, {@code sdpMLineIndex} or
     *     {@code usernameFragment}), or a malformed candidate string (the field of
     *     {@link CandidateLine#parse}, e.g. {@code priority})
     */
    public static IceCandidateInit parseJson(String json) {
        Objects.requireNonNull(json, "json");
        Map<String, Object> members = JsonReader.readObject(json);
        Object candidate = members.containsKey("candidate") ? members.get("candidate") : "";
        if (!(candidate instanceof String line)) {
            throw new SdpParseException("candidate", String.valueOf(candidate), "must be a string");
        }
        return fromMembers(line, optionalString(members, "sdpMid"), optionalIndex(members),
                optionalString(members, "usernameFragment"));
    }

    /**
     * The value of the dictionary's four members, already read from JSON by any reader (a service's
     * own JSON library, say), so that the JSON need not be written and read again.
     *
     * @param candidate the {@code candidate} member: a {@code candidate} attribute without
     *     {@code a=}, or {@code ""} (the member's default, also for a missing member) for
     *     end-of-candidates
     * @param sdpMid the {@code sdpMid} member, or {@code null}
     * @param sdpMLineIndex the {@code sdpMLineIndex} member, 0 to 65535, or {@code null}
     * @param usernameFragment the {@code usernameFragment} member, or {@code null}
     * @return the value
     * @throws SdpParseException for a malformed candidate string (the field of
     *     {@link CandidateLine#parse}, e.g. {@code priority}) or an {@code sdpMLineIndex} out of range
     */
    public static IceCandidateInit fromMembers(String candidate, String sdpMid, Integer sdpMLineIndex,
            String usernameFragment) {
        Objects.requireNonNull(candidate, "candidate");
        return new IceCandidateInit(candidate.isEmpty() ? null : CandidateLine.parse(candidate), sdpMid,
                sdpMLineIndex, usernameFragment);
    }

    /**
     * The JSON form, with every member: {@code null} ones as {@code null}, and an empty
     * {@code candidate} for end-of-candidates.
     *
     * @return e.g. {@code {"candidate":"candidate:...","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"abcd"}}
     */
    public String toJson() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("candidate", candidate == null ? "" : CandidateLine.format(candidate));
        members.put("sdpMid", sdpMid);
        members.put("sdpMLineIndex", sdpMLineIndex);
        members.put("usernameFragment", usernameFragment);
        return JsonWriter.writeObject(members);
    }

    private static String optionalString(Map<?, ?> members, String name) {
        Object v = members.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new SdpParseException(name, String.valueOf(v), "must be a string or null");
    }

    private static Integer optionalIndex(Map<?, ?> members) {
        Object v = members.get("sdpMLineIndex");
        if (v == null) {
            return null;
        }
        String reason = "must be an integer 0..65535 or null";
        if (!(v instanceof BigDecimal n)) {
            throw new SdpParseException("sdpMLineIndex", v instanceof String s ? "\"" + s + "\"" : String.valueOf(v),
                    reason);
        }
        // Compare before converting: 1e999999999 must not become a huge BigInteger.
        if (n.signum() < 0 || n.compareTo(BigDecimal.valueOf(65_535)) > 0 || n.stripTrailingZeros().scale() > 0) {
            throw new SdpParseException("sdpMLineIndex", n.toString(), reason);
        }
        return n.intValueExact();
    }
}
