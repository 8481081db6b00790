package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.IceCandidate.Extension;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code candidate} attribute (RFC 8839 section 5.1) as browsers and other stacks write it.
 * Addresses are from the documentation ranges (RFC 5737, RFC 3849) or private ranges; the shapes
 * (field order, extensions, mDNS names, privacy {@code raddr 0.0.0.0 rport 0}) are those of the
 * real stacks.
 */
class CandidateLineTest {
    // Chrome: lowercase transport, numeric foundations, extensions after the standard fields.
    static final String CHROME_HOST =
            "candidate:3442447574 1 udp 2122260223 192.168.1.10 56143 typ host generation 0 ufrag EsAw network-id 1 network-cost 10";
    static final String CHROME_MDNS =
            "candidate:1467250027 1 udp 2122260223 1f4712db-ea17-4bcf-a596-105139dfd8bf.local 54321 typ host generation 0 ufrag EsAw network-id 1";
    static final String CHROME_SRFLX =
            "candidate:842163049 1 udp 1677729535 203.0.113.7 56143 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999";
    static final String CHROME_RELAY =
            "candidate:1234567890 1 udp 41885439 198.51.100.3 60155 typ relay raddr 203.0.113.7 rport 56143 generation 0 ufrag EsAw network-id 1 network-cost 10";
    static final String CHROME_TCP =
            "candidate:4233069003 1 tcp 1518280447 192.168.1.10 9 typ host tcptype active generation 0 ufrag EsAw network-id 1 network-cost 10";
    static final String CHROME_IPV6 =
            "candidate:2999745851 1 udp 2122262783 2001:db8:85a3::8a2e:370:7334 51975 typ host generation 0 ufrag EsAw network-id 2 network-cost 10";

    @ParameterizedTest
    @ValueSource(strings = {
        CHROME_HOST, CHROME_MDNS, CHROME_SRFLX, CHROME_RELAY, CHROME_TCP, CHROME_IPV6,
        // pion/ice: lowercase, no extensions; prflx and passive TCP
        "candidate:1562385217 1 udp 1845501695 203.0.113.9 43210 typ prflx raddr 192.168.1.20 rport 43210",
        "candidate:3471623853 1 tcp 1671430143 10.0.0.5 8443 typ host tcptype passive",
        "candidate:3471623853 2 tcp 1671430142 10.0.0.5 8443 typ host tcptype so",
        // aioice: a 32-character MD5 foundation, the longest the grammar allows
        "candidate:0ba4c5c5b8a84d9796a9ee9eb3fae4d9 1 udp 2130706431 192.168.1.20 45678 typ host",
        "candidate:e1c2a3f4b5d6e7f8091a2b3c4d5e6f70 1 udp 1694498815 203.0.113.9 45678 typ srflx raddr 192.168.1.20 rport 45678",
        // ice-chars include + and /; the highest priority the grammar allows; the lowest port a peer can have
        "candidate:a+b/C9 256 udp 4294967295 192.0.2.1 1 typ host",
        // a related port without a related address, which the grammar allows
        "candidate:7 1 udp 1 192.0.2.1 65535 typ relay rport 3478",
    })
    void canonicalLinesRoundTripExactly(String line) {
        IceCandidate c = CandidateLine.parse(line);
        assertThat(CandidateLine.format(c)).isEqualTo(line);
        assertThat(CandidateLine.parse(CandidateLine.format(c))).isEqualTo(c);
        assertThat(CandidateLine.formatAttribute(c)).isEqualTo("a=" + line);
    }

    @Test
    void chromeHostCandidateHasEveryFieldAndItsExtensionsInOrder() {
        IceCandidate c = CandidateLine.parse(CHROME_HOST);
        assertThat(c.foundation()).isEqualTo("3442447574");
        assertThat(c.componentId()).isEqualTo(1);
        assertThat(c.transport()).isEqualTo(TransportProtocol.UDP);
        assertThat(c.priority()).isEqualTo(2122260223L);
        assertThat(c.address()).isEqualTo("192.168.1.10");
        assertThat(c.port()).isEqualTo(56143);
        assertThat(c.type()).isEqualTo(CandidateType.HOST);
        assertThat(c.relatedAddress()).isNull();
        assertThat(c.relatedPort()).isEqualTo(-1);
        assertThat(c.tcpType()).isNull();
        assertThat(c.extensions()).containsExactly(new Extension("generation", "0"), new Extension("ufrag", "EsAw"),
                new Extension("network-id", "1"), new Extension("network-cost", "10"));
        assertThat(c.socketAddress()).isEqualTo(new InetSocketAddress("192.168.1.10", 56143));
    }

    // RFC 8839 section 5.1 leaves the address an FQDN; mDNS names (draft-ietf-rtcweb-mdns-ice-candidates) stay text.
    @Test
    void mdnsHostNameIsKeptAsTextAndNeverResolved() {
        IceCandidate c = CandidateLine.parse(CHROME_MDNS);
        assertThat(c.address()).isEqualTo("1f4712db-ea17-4bcf-a596-105139dfd8bf.local");
        assertThat(c.hasIpAddress()).isFalse();
        assertThat(CandidateLine.parse("candidate:1 1 udp 1 my-host.example.com 9 typ host").address())
                .isEqualTo("my-host.example.com");
    }

    @Test
    void srflxAndRelayCarryTheirRelatedAddress() {
        IceCandidate srflx = CandidateLine.parse(CHROME_SRFLX);
        assertThat(srflx.type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        assertThat(srflx.relatedAddress()).isEqualTo("0.0.0.0"); // privacy: the base is hidden
        assertThat(srflx.relatedPort()).isZero();
        IceCandidate relay = CandidateLine.parse(CHROME_RELAY);
        assertThat(relay.type()).isEqualTo(CandidateType.RELAYED);
        assertThat(relay.priority()).isEqualTo(41885439L);
        assertThat(relay.relatedAddress()).isEqualTo("203.0.113.7");
        assertThat(relay.relatedPort()).isEqualTo(56143);
    }

    // RFC 6544 section 4.5: the tcptype of a TCP candidate; active candidates use the discard port 9.
    @Test
    void tcpCandidateHasItsTcpType() {
        IceCandidate c = CandidateLine.parse(CHROME_TCP);
        assertThat(c.transport()).isEqualTo(TransportProtocol.TCP);
        assertThat(c.tcpType()).isEqualTo(TcpType.ACTIVE);
        assertThat(c.port()).isEqualTo(9);
        assertThat(c.extensions()).first().isEqualTo(new Extension("generation", "0"));
    }

    @Test
    void ipv6AddressIsKeptAsWritten() {
        IceCandidate c = CandidateLine.parse(CHROME_IPV6);
        assertThat(c.address()).isEqualTo("2001:db8:85a3::8a2e:370:7334");
        assertThat(c.socketAddress().getAddress().getHostAddress()).isEqualTo("2001:db8:85a3:0:0:8a2e:370:7334");
        IceCandidate ff = CandidateLine.parse(
                "candidate:3 1 UDP 2122187007 2001:db8::5 53421 typ host raddr :: rport 9");
        assertThat(ff.relatedAddress()).isEqualTo("::");
    }

    // Firefox writes UDP/TCP in capitals; the RFC 8839 example does too. Canonical output is lowercase.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "candidate:0 1 UDP 2122252543 192.168.1.10 50923 typ host"
            + "|candidate:0 1 udp 2122252543 192.168.1.10 50923 typ host",
        "candidate:1 1 UDP 1686052863 203.0.113.7 50923 typ srflx raddr 192.168.1.10 rport 50923"
            + "|candidate:1 1 udp 1686052863 203.0.113.7 50923 typ srflx raddr 192.168.1.10 rport 50923",
        "candidate:4 1 UDP 8265471 198.51.100.3 49781 typ relay raddr 198.51.100.3 rport 49781"
            + "|candidate:4 1 udp 8265471 198.51.100.3 49781 typ relay raddr 198.51.100.3 rport 49781",
        "candidate:2 1 TCP 2105524479 192.168.1.10 9 typ host tcptype active"
            + "|candidate:2 1 tcp 2105524479 192.168.1.10 9 typ host tcptype active",
        "candidate:0 1 UDP 2122252543 e0b6e9d4-3c05-4fa7-8e76-0c4f0a7a3f1d.local 50923 typ host"
            + "|candidate:0 1 udp 2122252543 e0b6e9d4-3c05-4fa7-8e76-0c4f0a7a3f1d.local 50923 typ host",
        // RFC 8839 section 5.1 style, as an SDP line
        "a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998"
            + "|candidate:2 1 udp 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998",
        // keywords and types in any case, as ABNF literals are
        "Candidate:5 1 Udp 100 192.0.2.1 9 TYP HOST"
            + "|candidate:5 1 udp 100 192.0.2.1 9 typ host",
        "candidate:6 1 tcp 100 192.0.2.1 9 typ Srflx RADDR 10.0.0.1 RPORT 9 TcpType Passive"
            + "|candidate:6 1 tcp 100 192.0.2.1 9 typ srflx raddr 10.0.0.1 rport 9 tcptype passive",
        // leading zeros in numbers
        "candidate:8 001 udp 0100 192.0.2.1 00080 typ host"
            + "|candidate:8 1 udp 100 192.0.2.1 80 typ host",
    })
    void otherSpellingsParseToTheCanonicalForm(String input, String canonical) {
        assertThat(CandidateLine.format(CandidateLine.parse(input))).isEqualTo(canonical);
    }

    // Browsers' RTCIceCandidate.candidate has no a=; SDP has it; some signaling drops "candidate:" too.
    @Test
    void prefixesWhiteSpaceAndLineEndingsAreAccepted() {
        IceCandidate expected = CandidateLine.parse(CHROME_SRFLX);
        String body = CHROME_SRFLX.substring("candidate:".length());
        assertThat(CandidateLine.parse("a=" + CHROME_SRFLX)).isEqualTo(expected);
        assertThat(CandidateLine.parse(body)).isEqualTo(expected);
        assertThat(CandidateLine.parse("a=" + body)).isEqualTo(expected);
        assertThat(CandidateLine.parse("a=" + CHROME_SRFLX + "\r\n")).isEqualTo(expected);
        assertThat(CandidateLine.parse("  " + CHROME_SRFLX.replace(" ", "  \t") + "\n")).isEqualTo(expected);
    }

    @Test
    void relatedFieldsAreTakenAnywhereAfterTheType() {
        IceCandidate c = CandidateLine.parse(
                "candidate:9 1 tcp 100 192.0.2.1 9 typ srflx generation 0 tcptype so rport 7 foo bar raddr 10.0.0.1");
        assertThat(c.relatedAddress()).isEqualTo("10.0.0.1");
        assertThat(c.relatedPort()).isEqualTo(7);
        assertThat(c.tcpType()).isEqualTo(TcpType.SO);
        assertThat(c.extensions()).containsExactly(new Extension("generation", "0"), new Extension("foo", "bar"));
        assertThat(CandidateLine.format(c))
                .isEqualTo("candidate:9 1 tcp 100 192.0.2.1 9 typ srflx raddr 10.0.0.1 rport 7 tcptype so"
                        + " generation 0 foo bar");
    }

    @Test
    void formattedValuesParseBackEqual() {
        List<IceCandidate> candidates = List.of(
                IceCandidate.udp("1", 1, 2122260223L, new InetSocketAddress("192.0.2.1", 54400), CandidateType.HOST),
                IceCandidate.udp("2", 2, 1L, new InetSocketAddress("2001:db8::1", 1), CandidateType.PEER_REFLEXIVE),
                new IceCandidate("x/y+Z", 1, TransportProtocol.TCP, 0xFFFF_FFFFL, "abc.local", 0,
                        CandidateType.RELAYED, "2001:db8::2", 65535, TcpType.PASSIVE,
                        List.of(new Extension("generation", "1"), new Extension("x-\u00e9", "\u00fc"))));
        for (IceCandidate c : candidates) {
            assertThat(CandidateLine.parse(CandidateLine.format(c))).isEqualTo(c);
        }
        assertThat(CandidateLine.format(candidates.get(0)))
                .isEqualTo("candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host");
    }

    @Test
    void parseAllTakesTheCandidateLinesOfASection() {
        List<String> section = List.of("m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:EsAw", "a=" + CHROME_HOST, "a=rtcp-mux", "a=" + CHROME_SRFLX + "\r",
                "a=end-of-candidates");
        assertThat(CandidateLine.parseAll(section))
                .containsExactly(CandidateLine.parse(CHROME_HOST), CandidateLine.parse(CHROME_SRFLX));
        assertThat(CandidateLine.isCandidateLine("a=candidate:1 1 udp 1 192.0.2.1 1 typ host")).isTrue();
        assertThat(CandidateLine.isCandidateLine("candidate:anything")).isTrue();
        assertThat(CandidateLine.isCandidateLine("a=candidates:1")).isFalse();
        assertThat(CandidateLine.isCandidateLine("a=ice-ufrag:EsAw")).isFalse();
    }
}
