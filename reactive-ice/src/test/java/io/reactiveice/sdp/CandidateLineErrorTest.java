package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.IceCandidate.Extension;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Malformed {@code candidate} attributes (RFC 8839 section 5.1): each is refused with an
 * {@link SdpParseException} naming the field and the offending token, in the message and in
 * {@link SdpParseException#field()} and {@link SdpParseException#token()}.
 */
class CandidateLineErrorTest {
    private static final String HEAD = "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ ";

    private static SdpParseException parseError(String line) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> CandidateLine.parse(line));
        assertThat(e).as("parse(%s) must throw", line).isNotNull().isInstanceOf(IllegalArgumentException.class);
        return e;
    }

    private static void assertRejected(String line, String field, String token) {
        SdpParseException e = parseError(line);
        assertThat(e.field()).as("field of %s", line).isEqualTo(field);
        assertThat(e.token()).as("token of %s", line).isEqualTo(token);
        assertThat(e.getMessage()).contains(field).contains(token);
    }

    @Test
    void emptyInputNamesTheCandidate() {
        assertRejected("", "candidate", "");
        assertRejected(" \r\n", "candidate", "");
        assertRejected("a=", "candidate", "");
        assertThat(parseError("").getMessage()).isEqualTo("missing candidate: the input is empty");
    }

    @Test
    void anotherAttributeIsNotACandidate() {
        assertRejected("a=ice-ufrag:EsAw", "attribute", "ice-ufrag");
        assertRejected("a=candidate 1 1 udp 1 192.0.2.1 9 typ host", "attribute", "candidate");
    }

    // foundation = 1*32ice-char, ice-char = ALPHA / DIGIT / "+" / "/"
    @Test
    void foundationMustBeOneTo32IceChars() {
        String thirtyThree = "0ba4c5c5b8a84d9796a9ee9eb3fae4d9f";
        assertRejected("candidate:" + thirtyThree + " 1 udp 1 192.0.2.1 9 typ host", "foundation", thirtyThree);
        assertRejected("candidate:ab_c 1 udp 1 192.0.2.1 9 typ host", "foundation", "ab_c");
        assertRejected("candidate:1-2 1 udp 1 192.0.2.1 9 typ host", "foundation", "1-2");
        assertRejected("candidate:", "foundation", "");
    }

    // component-id = 1*3DIGIT, 1 to 256 (RFC 8445 section 5.1.2.1)
    @Test
    void componentIdMustBeOneTo256() {
        assertRejected("candidate:1 0 udp 1 192.0.2.1 9 typ host", "component-id", "0");
        assertRejected("candidate:1 257 udp 1 192.0.2.1 9 typ host", "component-id", "257");
        assertRejected("candidate:1 0001 udp 1 192.0.2.1 9 typ host", "component-id", "0001");
        assertRejected("candidate:1 -1 udp 1 192.0.2.1 9 typ host", "component-id", "-1");
        assertRejected("candidate:1 x udp", "component-id", "x");
        assertThat(parseError("candidate:1 257 udp 1 192.0.2.1 9 typ host").getMessage())
                .isEqualTo("invalid component-id \"257\": must be a decimal number 1..256");
    }

    @Test
    void transportMustBeUdpOrTcp() {
        assertRejected("candidate:1 1 sctp 1 192.0.2.1 9 typ host", "transport", "sctp");
        assertRejected("candidate:1 1 ssltcp 1 192.0.2.1 9 typ host", "transport", "ssltcp");
        assertRejected("candidate:1 1", "transport", "");
    }

    // priority = 1*10DIGIT, 1 to 2^32 - 1
    @Test
    void priorityMustBeADecimalNumberUpTo2To32Minus1() {
        assertRejected("candidate:1 1 udp 21x 192.0.2.1 9 typ host", "priority", "21x");
        assertRejected("candidate:1 1 udp 4294967296 192.0.2.1 9 typ host", "priority", "4294967296");
        assertRejected("candidate:1 1 udp 12345678901 192.0.2.1 9 typ host", "priority", "12345678901");
        assertRejected("candidate:1 1 udp 0 192.0.2.1 9 typ host", "priority", "0");
        assertRejected("candidate:1 1 udp +5 192.0.2.1 9 typ host", "priority", "+5");
        assertRejected("candidate:1 1 udp \uFF15 192.0.2.1 9 typ host", "priority", "\uFF15"); // fullwidth 5
    }

    @Test
    void connectionAddressMustBeAnIpLiteralOrAHostName() {
        assertRejected("candidate:1 1 udp 1 999.1.1.1 9 typ host", "connection-address", "999.1.1.1");
        assertRejected("candidate:1 1 udp 1 192.0.2 9 typ host", "connection-address", "192.0.2");
        assertRejected("candidate:1 1 udp 1 2001:db8::g 9 typ host", "connection-address", "2001:db8::g");
        assertRejected("candidate:1 1 udp 1 [2001:db8::1] 9 typ host", "connection-address", "[2001:db8::1]");
        assertRejected("candidate:1 1 udp 1 fe80::1%eth0 9 typ host", "connection-address", "fe80::1%eth0");
        assertRejected("candidate:1 1 udp 1 host_name.local 9 typ host", "connection-address", "host_name.local");
        assertRejected("candidate:1 1 udp 1", "connection-address", "");
    }

    @Test
    void portMustBe0To65535() {
        assertRejected("candidate:1 1 udp 1 192.0.2.1 70000 typ host", "port", "70000");
        assertRejected("candidate:1 1 udp 1 192.0.2.1 65536 typ host", "port", "65536");
        assertRejected("candidate:1 1 udp 1 192.0.2.1 9x typ host", "port", "9x");
        assertRejected("candidate:1 1 udp 1 192.0.2.1", "port", "");
    }

    @Test
    void typKeywordMustFollowThePort() {
        assertRejected("candidate:1 1 udp 2122260223 192.0.2.1 54400 host", "typ", "host");
        assertRejected("candidate:1 1 udp 2122260223 192.0.2.1 54400", "typ", "");
        assertThat(parseError("candidate:1 1 udp 2122260223 192.0.2.1 54400 host").getMessage())
                .isEqualTo("invalid typ \"host\": expected \"typ\" after the port");
    }

    @Test
    void candidateTypeMustBeKnown() {
        assertRejected(HEAD + "bogus", "typ", "bogus");
        assertRejected(HEAD.strip(), "typ", "");
        assertThat(parseError(HEAD + "bogus").getMessage())
                .isEqualTo("invalid typ \"bogus\": must be host, srflx, prflx or relay");
    }

    @Test
    void relatedAddressMustBeAnAddressAndAppearOnce() {
        assertRejected(HEAD + "srflx raddr 10.0.0.300 rport 9", "raddr", "10.0.0.300");
        assertRejected(HEAD + "srflx raddr", "raddr", "");
        assertRejected(HEAD + "srflx raddr 10.0.0.1 raddr 10.0.0.2", "raddr", "10.0.0.2");
    }

    @Test
    void relatedPortMustBe0To65535AndAppearOnce() {
        assertRejected(HEAD + "srflx raddr 10.0.0.1 rport 65536", "rport", "65536");
        assertRejected(HEAD + "srflx raddr 10.0.0.1 rport x", "rport", "x");
        assertRejected(HEAD + "srflx raddr 10.0.0.1 rport", "rport", "");
        assertRejected(HEAD + "srflx rport 1 rport 2", "rport", "2");
    }

    // RFC 6544 section 4.5
    @Test
    void tcpTypeMustBeKnownAndOnlyOnTcp() {
        String tcp = "candidate:1 1 tcp 1 192.0.2.1 9 typ host ";
        assertRejected(tcp + "tcptype bogus", "tcptype", "bogus");
        assertRejected(tcp + "tcptype", "tcptype", "");
        assertRejected(tcp + "tcptype active tcptype passive", "tcptype", "passive");
        assertRejected(HEAD + "host tcptype active", "tcptype", "active");
    }

    @Test
    void extensionsComeInNameValuePairs() {
        assertRejected(HEAD + "host generation 0 ufrag", "extension", "ufrag");
        assertRejected(HEAD + "host generation", "extension", "generation");
        assertThat(parseError(HEAD + "host generation 0 ufrag").getMessage())
                .isEqualTo("invalid extension \"ufrag\": an extension attribute name without a value");
    }

    @Test
    void controlCharactersInsideTheLineAreRefused() {
        SdpParseException e = parseError(HEAD + "host generation 0\r\nufrag x");
        assertThat(e.field()).isEqualTo("candidate");
        assertThat(e.getMessage()).contains("U+000D");
        assertThat(parseError(HEAD + "host a\u0000 b").field()).isEqualTo("candidate");
    }

    @Test
    void longTokensAreShortenedInTheMessageButNotInTheAccessor() {
        String huge = "9".repeat(500);
        SdpParseException e = parseError("candidate:1 1 udp " + huge + " 192.0.2.1 9 typ host");
        assertThat(e.token()).isEqualTo(huge);
        assertThat(e.getMessage()).hasSizeLessThan(200).contains("9".repeat(80) + "...");
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedBeforeItIsRead() {
        String line = HEAD + "host x " + "y".repeat(CandidateLine.MAX_LENGTH);
        SdpParseException e = parseError(line);
        assertThat(e.field()).isEqualTo("candidate");
        assertThat(e.getMessage()).contains("at most 1024 characters but has " + line.length()).hasSizeLessThan(300);
        String longest = HEAD + "host x " + "y".repeat(CandidateLine.MAX_LENGTH - HEAD.length() - 7);
        assertThat(longest).hasSize(CandidateLine.MAX_LENGTH);
        assertThat(CandidateLine.parse(longest).extensions()).hasSize(1);
    }

    @Test
    void atMostSixteenExtensionAttributesAreRead() {
        String sixteen = HEAD + "host" + " e 1".repeat(16);
        assertThat(CandidateLine.parse(sixteen).extensions()).hasSize(16);
        SdpParseException e = parseError(sixteen + " seventeenth 1");
        assertThat(e.field()).isEqualTo("extension");
        assertThat(e.token()).isEqualTo("seventeenth");
        assertThat(e.getMessage()).contains("at most 16 extension attributes");
    }

    @Test
    void formatRefusesWhatParseWouldRefuseForItsSize() {
        IceCandidate ok = new IceCandidate("1", 1, TransportProtocol.UDP, 1, "192.0.2.1", 9, CandidateType.HOST,
                null, -1, null, List.of());
        List<Extension> seventeen = IntStream.range(0, 17).mapToObj(i -> new Extension("e" + i, "1"))
                .toList();
        assertFormatRejected(with(ok, "1", "192.0.2.1", null, seventeen), "extension", "e16");
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> CandidateLine.format(
                with(ok, "1", "192.0.2.1", null, List.of(new Extension("big", "v".repeat(1_000))))));
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("candidate");
    }

    @Test
    void formatRefusesValuesThatWouldNotParseBack() {
        IceCandidate ok = new IceCandidate("1", 1, TransportProtocol.UDP, 1, "192.0.2.1", 9, CandidateType.HOST,
                null, -1, null, List.of());
        assertFormatRejected(with(ok, "a b", "192.0.2.1", null, List.of()), "foundation", "a b");
        assertFormatRejected(with(ok, "1", "not an address!", null, List.of()), "connection-address",
                "not an address!");
        assertFormatRejected(with(ok, "1", "192.0.2.1", TcpType.ACTIVE, List.of()), "tcptype", "active");
        assertFormatRejected(with(ok, "1", "192.0.2.1", null, List.of(new Extension("raddr", "10.0.0.1"))),
                "extension", "raddr");
        assertFormatRejected(with(ok, "1", "192.0.2.1", null, List.of(new Extension("a", "b c"))), "extension",
                "b c");
        assertFormatRejected(with(ok, "1", "192.0.2.1", null, List.of(new Extension("", "1"))), "extension", "");
    }

    private static IceCandidate with(IceCandidate c, String foundation, String address, TcpType tcpType,
            List<Extension> extensions) {
        return new IceCandidate(foundation, c.componentId(), c.transport(), c.priority(), address, c.port(),
                c.type(), c.relatedAddress(), c.relatedPort(), tcpType, extensions);
    }

    private static void assertFormatRejected(IceCandidate c, String field, String token) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> CandidateLine.format(c));
        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.token()).isEqualTo(token);
    }
}
