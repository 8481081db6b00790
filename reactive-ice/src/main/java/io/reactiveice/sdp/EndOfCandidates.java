package io.reactiveice.sdp;

import java.util.List;
import java.util.Objects;

/**
 * The {@code end-of-candidates} flag attribute of
 * <a href="https://www.rfc-editor.org/rfc/rfc8840">RFC 8840</a> (Trickle ICE in SDP): the agent
 * will send no more candidates for the media section, or for every section when the line is at
 * session level (<a href="https://www.rfc-editor.org/rfc/rfc8838#section-13">RFC 8838 sections 13
 * and 14</a>). In the
 * browser's JSON form the same indication is an empty {@code candidate}, see
 * {@link IceCandidateInit#endOfCandidates}.
 */
public final class EndOfCandidates {
    /** The attribute name, {@code end-of-candidates}. */
    public static final String NAME = "end-of-candidates";
    /** The SDP line, {@code a=end-of-candidates}. */
    public static final String LINE = "a=" + NAME;

    private EndOfCandidates() {
    }

    /**
     * Whether a line is the {@code end-of-candidates} attribute.
     *
     * @param line an SDP line, with or without {@code a=} and a trailing CRLF
     * @return true for {@code a=end-of-candidates}, false for any other attribute or line
     * @throws SdpParseException if the line is {@code end-of-candidates} with a value, which the
     *     flag does not take
     */
    public static boolean isEndOfCandidates(String line) {
        AttributeLine a = AttributeLine.of(Objects.requireNonNull(line, "line"));
        if (!a.is(NAME)) {
            return false;
        }
        if (a.value() != null) {
            throw new SdpParseException(NAME, a.value(), "end-of-candidates is a flag and takes no value");
        }
        return true;
    }

    /**
     * Whether any of the lines is {@code end-of-candidates}.
     *
     * @param lines SDP lines, e.g. one media section
     * @return true if one of them is the attribute
     * @throws SdpParseException as {@link #isEndOfCandidates(String)} does
     */
    public static boolean isPresent(List<String> lines) {
        Objects.requireNonNull(lines, "lines");
        boolean present = false;
        for (String line : lines) {
            present |= isEndOfCandidates(line);
        }
        return present;
    }
}
