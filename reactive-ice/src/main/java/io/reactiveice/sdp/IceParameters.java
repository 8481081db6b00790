package io.reactiveice.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ICE description of one SDP scope (the session, or one media section): the
 * <a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.4">RFC 8839 section 5.4</a>
 * {@code ice-ufrag} and {@code ice-pwd}, the
 * <a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.6">section 5.6</a> {@code ice-options}
 * and the <a href="https://www.rfc-editor.org/rfc/rfc8839#section-5.3">section 5.3</a>
 * {@code ice-lite} flag.
 *
 * <p>{@link #toString()} does not show the password.
 *
 * @param ufrag the username fragment, 4 to 256 ice-chars
 * @param pwd the password, 22 to 256 ice-chars
 * @param options ICE options in order, each 1 to 256 ice-chars, e.g. {@code trickle} (RFC 8838) or
 *     {@code ice2} (RFC 8445)
 * @param lite whether the agent is a lite implementation (RFC 8445 section 2.5)
 */
public record IceParameters(String ufrag, String pwd, List<String> options, boolean lite) {
    /** The ICE option of trickle ICE (<a href="https://www.rfc-editor.org/rfc/rfc8838#section-3">RFC 8838 section 3</a>). */
    public static final String TRICKLE = "trickle";
    /**
     * The ICE option of renomination (<a
     * href="https://datatracker.ietf.org/doc/draft-thatcher-ice-renomination/">draft-thatcher-ice-renomination</a>),
     * as libwebrtc and pion/ice signal it: the agent follows the NOMINATION attribute, so a controlling peer
     * may move the selected pair at any time.
     */
    public static final String RENOMINATION = "renomination";

    private static final String UFRAG = "ice-ufrag";
    private static final String PWD = "ice-pwd";
    private static final String OPTIONS = "ice-options";
    private static final String LITE = "ice-lite";

    /**
     * Checks every field, naming the SDP attribute that would carry it.
     *
     * @throws SdpParseException for a ufrag, password or option that breaks the grammar
     */
    public IceParameters {
        IceChars.require(UFRAG, Objects.requireNonNull(ufrag, "ufrag"), 4, 256, false);
        IceChars.require(PWD, Objects.requireNonNull(pwd, "pwd"), 22, 256, true);
        options = List.copyOf(Objects.requireNonNull(options, "options"));
        for (String option : options) {
            IceChars.require(OPTIONS, option, 1, 256, false);
        }
    }

    /**
     * A full (not lite) agent's parameters without options.
     *
     * @param ufrag the username fragment
     * @param pwd the password
     * @return the parameters
     */
    public static IceParameters of(String ufrag, String pwd) {
        return new IceParameters(ufrag, pwd, List.of(), false);
    }

    /**
     * Reads the ICE attributes among the lines of one scope, ignoring every other line (including
     * {@code candidate} and {@code end-of-candidates}). Lines may carry {@code a=} or not, and a
     * trailing CRLF. {@code ice-options} may come on several lines; their tags are joined in order.
     *
     * @param lines SDP lines, e.g. {@code a=ice-ufrag:8hhY}, {@code a=ice-pwd:asd88fgpdd777uzjYhagZg}
     * @return the parameters
     * @throws SdpParseException naming the attribute: {@code ice-ufrag} or {@code ice-pwd} missing,
     *     malformed, or given twice with different values; an {@code ice-options} tag that is not
     *     ice-chars; an {@code ice-lite} with a value
     */
    public static IceParameters parse(List<String> lines) {
        Objects.requireNonNull(lines, "lines");
        String ufrag = null;
        String pwd = null;
        List<String> options = new ArrayList<>();
        boolean lite = false;
        for (String line : lines) {
            AttributeLine a = AttributeLine.of(Objects.requireNonNull(line, "line"));
            if (a.is(UFRAG)) {
                ufrag = single(UFRAG, ufrag, IceChars.require(UFRAG, valueOf(a), 4, 256, false), false);
            } else if (a.is(PWD)) {
                pwd = single(PWD, pwd, IceChars.require(PWD, valueOf(a), 22, 256, true), true);
            } else if (a.is(OPTIONS)) {
                options.addAll(optionTags(valueOf(a)));
            } else if (a.is(LITE)) {
                if (a.value() != null) {
                    throw new SdpParseException(LITE, a.value(), "ice-lite is a flag and takes no value");
                }
                lite = true;
            }
        }
        if (ufrag == null) {
            throw new SdpParseException(UFRAG, "", "there is no a=ice-ufrag line");
        }
        if (pwd == null) {
            throw new SdpParseException(PWD, "", "there is no a=ice-pwd line");
        }
        return new IceParameters(ufrag, pwd, options, lite);
    }

    /**
     * The attribute lines, in the order {@code ice-ufrag}, {@code ice-pwd}, {@code ice-options}
     * (only if there are options) and {@code ice-lite} (only if lite);
     * {@code parse(toLines())} equals this.
     *
     * @return e.g. {@code [a=ice-ufrag:8hhY, a=ice-pwd:asd88fgpdd777uzjYhagZg, a=ice-options:trickle]}
     */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>(4);
        lines.add("a=" + UFRAG + ":" + ufrag);
        lines.add("a=" + PWD + ":" + pwd);
        if (!options.isEmpty()) {
            lines.add("a=" + OPTIONS + ":" + String.join(" ", options));
        }
        if (lite) {
            lines.add("a=" + LITE);
        }
        return List.copyOf(lines);
    }

    /**
     * Whether an option is present, e.g. {@code trickle}
     * (<a href="https://www.rfc-editor.org/rfc/rfc8838#section-3">RFC 8838 section 3</a>). Option tags
     * compare case-sensitively, as IANA registers them.
     *
     * @param option an ICE option tag
     * @return true if {@link #options()} holds it
     */
    public boolean hasOption(String option) {
        return options.contains(Objects.requireNonNull(option, "option"));
    }

    /** The fields, with the password's length in place of the password. */
    @Override
    public String toString() {
        return "IceParameters[ufrag=" + ufrag + ", pwd=(" + pwd.length() + " characters), options=" + options
                + ", lite=" + lite + "]";
    }

    private static String valueOf(AttributeLine a) {
        return a.value() == null ? "" : a.value().trim();
    }

    private static String single(String field, String earlier, String value, boolean secret) {
        if (earlier != null && !earlier.equals(value)) {
            String reason = "a second, different " + field + " in the same scope";
            throw secret ? SdpParseException.secret(field, value, reason) : new SdpParseException(field, value, reason);
        }
        return value;
    }

    /** {@code ice-option-tag *(SP ice-option-tag)}, each tag {@code 1*ice-char}. */
    private static List<String> optionTags(String value) {
        if (value.isEmpty()) {
            throw new SdpParseException(OPTIONS, "", "needs at least one ice-option-tag");
        }
        List<String> tags = new ArrayList<>(2);
        int i = 0;
        int n = value.length();
        while (i < n) {
            int start = i;
            while (i < n && value.charAt(i) != ' ' && value.charAt(i) != '\t') {
                i++;
            }
            if (i > start || start == 0) { // a leading blank makes an empty first tag, refused below
                tags.add(IceChars.require(OPTIONS, value.substring(start, i), 1, 256, false));
            }
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
        }
        return tags;
    }
}
