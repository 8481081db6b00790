package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ice-ufrag, ice-pwd, ice-options and ice-lite attributes (RFC 8839 sections 5.3, 5.4 and 5.6). */
class IceParametersTest {
    // RFC 8839 section 5.4's example values.
    private static final String RFC_UFRAG = "8hhY";
    private static final String RFC_PWD = "asd88fgpdd777uzjYhagZg";
    // Chrome's shape: 4-character ufrag, 24-character password with + and /.
    private static final String CHROME_PWD = "bP+XJMM09aR8AiX1jdukzR6Y";

    @Test
    void readsTheIceAttributesAndIgnoresEveryOtherLine() {
        List<String> section = List.of("v=0", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + RFC_UFRAG, "a=ice-pwd:" + RFC_PWD, "a=ice-pacing:50", "a=ice-mismatch",
                "a=candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", "a=end-of-candidates", "a=rtcp-mux", "");
        IceParameters p = IceParameters.parse(section);
        assertThat(p.ufrag()).isEqualTo(RFC_UFRAG);
        assertThat(p.pwd()).isEqualTo(RFC_PWD);
        assertThat(p.options()).isEmpty();
        assertThat(p.lite()).isFalse();
        assertThat(p).isEqualTo(IceParameters.of(RFC_UFRAG, RFC_PWD));
    }

    @Test
    void chromeSectionWithTrickle() {
        IceParameters p = IceParameters.parse(List.of("a=ice-ufrag:EsAw\r\n", "a=ice-pwd:" + CHROME_PWD + "\r\n",
                "a=ice-options:trickle\r\n", "a=fingerprint:sha-256 AB:CD"));
        assertThat(p.pwd()).isEqualTo(CHROME_PWD);
        assertThat(p.options()).containsExactly("trickle");
        assertThat(p.hasOption("trickle")).isTrue();
        assertThat(p.hasOption("ice2")).isFalse();
        assertThat(p.toLines()).containsExactly("a=ice-ufrag:EsAw", "a=ice-pwd:" + CHROME_PWD, "a=ice-options:trickle");
    }

    @Test
    void optionsFromSeveralLinesAreJoinedInOrderAndLiteIsAFlag() {
        IceParameters p = IceParameters.parse(List.of("a=ice-lite", "a=ice-options:trickle ice2",
                "a=ice-options:renomination", "ice-ufrag:" + RFC_UFRAG, "ice-pwd:" + RFC_PWD));
        assertThat(p.options()).containsExactly("trickle", "ice2", "renomination");
        assertThat(p.hasOption(IceParameters.TRICKLE)).isTrue();
        assertThat(p.hasOption(IceParameters.RENOMINATION)).isTrue();
        assertThat(p.lite()).isTrue();
        assertThat(p.toLines()).containsExactly("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD,
                "a=ice-options:trickle ice2 renomination", "a=ice-lite");
        assertThat(IceParameters.parse(p.toLines())).isEqualTo(p);
    }

    @Test
    void theSameUfragTwiceIsNoConflict() {
        IceParameters p = IceParameters.parse(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD, "a=ice-ufrag:8hhY"));
        assertThat(p.ufrag()).isEqualTo("8hhY");
    }

    @Test
    void lengthLimitsAreInclusive() {
        String ufrag256 = "u".repeat(256);
        String pwd256 = "p".repeat(256);
        IceParameters p = IceParameters.parse(List.of("a=ice-ufrag:" + ufrag256, "a=ice-pwd:" + pwd256));
        assertThat(p.ufrag()).hasSize(256);
        assertThat(p.pwd()).hasSize(256);
        assertThat(IceParameters.of("abcd", "p".repeat(22)).ufrag()).isEqualTo("abcd");
    }

    // ufrag = 4*256ice-char
    @Test
    void ufragMustBe4To256IceChars() {
        assertRejected(List.of("a=ice-ufrag:abc", "a=ice-pwd:" + RFC_PWD), "ice-ufrag", "abc");
        assertRejected(List.of("a=ice-ufrag:" + "u".repeat(257), "a=ice-pwd:" + RFC_PWD), "ice-ufrag", "u".repeat(257));
        assertRejected(List.of("a=ice-ufrag:ab-cd", "a=ice-pwd:" + RFC_PWD), "ice-ufrag", "ab-cd");
        assertRejected(List.of("a=ice-ufrag", "a=ice-pwd:" + RFC_PWD), "ice-ufrag", "");
        assertRejected(List.of("a=ice-pwd:" + RFC_PWD), "ice-ufrag", "");
        assertRejected(List.of("a=ice-ufrag:abcd", "a=ice-ufrag:efgh", "a=ice-pwd:" + RFC_PWD), "ice-ufrag", "efgh");
    }

    // password = 22*256ice-char; never shown in a message
    @Test
    void pwdMustBe22To256IceCharsAndIsNotShownInMessages() {
        String short21 = "asd88fgpdd777uzjYhagZ";
        SdpParseException e = assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + short21), "ice-pwd", short21);
        assertThat(e.getMessage()).doesNotContain(short21)
                .isEqualTo("invalid ice-pwd (21 characters, not shown): "
                        + "must be 22..256 ice-chars (ALPHA / DIGIT / \"+\" / \"/\")");
        String withDash = "asd88fgpdd777uzjYhag-g";
        assertThat(assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + withDash), "ice-pwd", withDash)
                .getMessage()).doesNotContain(withDash);
        assertRejected(List.of("a=ice-ufrag:8hhY"), "ice-pwd", "");
        String other = "b".repeat(22);
        assertThat(assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD, "a=ice-pwd:" + other),
                "ice-pwd", other).getMessage()).doesNotContain(other).doesNotContain(RFC_PWD);
    }

    @Test
    void optionsMustBeIceCharTags() {
        assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD, "a=ice-options:trickle,ice2"),
                "ice-options", "trickle,ice2");
        assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD, "a=ice-options:"), "ice-options", "");
        assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD, "a=ice-options"), "ice-options", "");
    }

    @Test
    void liteTakesNoValue() {
        assertRejected(List.of("a=ice-ufrag:8hhY", "a=ice-pwd:" + RFC_PWD, "a=ice-lite:yes"), "ice-lite", "yes");
    }

    @Test
    void constructorChecksTheSameRulesAndToStringHidesThePassword() {
        SdpParseException e = catchThrowableOfType(SdpParseException.class,
                () -> new IceParameters("8hhY", RFC_PWD, List.of("a b"), false));
        assertThat(e.field()).isEqualTo("ice-options");
        assertThat(e.token()).isEqualTo("a b");
        assertThatThrownBy(() -> IceParameters.of("8hhY", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("pwd");
        assertThatThrownBy(() -> IceParameters.parse(null)).hasMessage("lines");
        IceParameters p = new IceParameters("8hhY", RFC_PWD, List.of("trickle"), true);
        assertThat(p.toString()).doesNotContain(RFC_PWD)
                .isEqualTo("IceParameters[ufrag=8hhY, pwd=(22 characters), options=[trickle], lite=true]");
    }

    private static SdpParseException assertRejected(List<String> lines, String field, String token) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> IceParameters.parse(lines));
        assertThat(e).as("parse(%s) must throw", lines).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.token()).isEqualTo(token);
        assertThat(e.getMessage()).contains(field);
        return e;
    }
}
