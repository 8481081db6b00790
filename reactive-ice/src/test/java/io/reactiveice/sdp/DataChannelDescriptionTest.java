package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.sdp.DataChannelDescription.Fingerprint;
import io.reactiveice.sdp.DataChannelDescription.Setup;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ICE view of a data channel session description (RFC 8841, RFC 8839 section 5, RFC 8840). */
class DataChannelDescriptionTest {
    // What Chromium 156 offers for new RTCPeerConnection() + createDataChannel('x'), before gathering.
    static final String CHROMIUM_OFFER = String.join("\r\n",
            "v=0",
            "o=- 2319466827130214882 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:zxsW",
            "a=ice-pwd:5fJ78jHN7CwXE3iMjDFsnbGk",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 71:52:38:27:E6:73:85:D0:B7:B6:CF:D0:59:89:5C:83:CD:70:94:5F:40:F6:1B:CD:16:EB:52:AD:3F:68:9B:EC",
            "a=setup:actpass",
            "a=mid:0",
            "a=sctp-port:5000",
            "a=max-message-size:262144",
            "");
    private static final String PWD = "asd88fgpdd777uzjYhagZg";
    private static final Fingerprint FINGERPRINT = Fingerprint.sha256(new byte[32]);
    private static final IceCandidate HOST = CandidateLine.parse("candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host");
    private static final IceCandidate HOST6 =
            CandidateLine.parse("candidate:2 1 udp 2122262783 2001:db8::1 54401 typ host generation 0");
    private static final IceCandidate MDNS = CandidateLine.parse(
            "candidate:3 1 udp 2122260223 5a6b1c2d-0e3f-4a5b-8c7d-9e0f1a2b3c4d.local 54402 typ host");

    @Test
    void readsChromiumsOffer() {
        DataChannelDescription d = DataChannelDescription.parse(CHROMIUM_OFFER);
        assertThat(d.ice()).isEqualTo(new IceParameters("zxsW", "5fJ78jHN7CwXE3iMjDFsnbGk", List.of("trickle"), false));
        assertThat(d.mid()).isEqualTo("0");
        assertThat(d.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(d.fingerprint().hashFunction()).isEqualTo("sha-256");
        assertThat(d.fingerprint().value()).startsWith("71:52:38").endsWith("3F:68:9B:EC").hasSize(95);
        assertThat(d.candidates()).isEmpty();
        assertThat(d.endOfCandidates()).isFalse();
        assertThat(DataChannelDescription.parse(CHROMIUM_OFFER.replace("\r\n", "\n"))).isEqualTo(d);
    }

    @Test
    void writesACompleteDescriptionWithTheDefaultCandidateInTheMediaAndConnectionLines() {
        DataChannelDescription d = new DataChannelDescription(new IceParameters("8hhY", PWD, List.of("trickle"), true),
                "0", Setup.ACTIVE, FINGERPRINT, List.of(MDNS, HOST, HOST6), true);
        String zeros = String.join(":", Collections.nCopies(32, "00"));
        assertThat(d.format(42, 1)).isEqualTo(String.join("\r\n",
                "v=0",
                "o=- 42 1 IN IP4 0.0.0.0",
                "s=-",
                "t=0 0",
                "a=ice-lite",                                    // session level only (RFC 8839 section 5.3)
                "a=group:BUNDLE 0",
                "m=application 54400 UDP/DTLS/SCTP webrtc-datachannel", // the first candidate with an IP address
                "c=IN IP4 192.0.2.1",
                "a=ice-ufrag:8hhY",
                "a=ice-pwd:" + PWD,
                "a=ice-options:trickle",
                "a=fingerprint:sha-256 " + zeros,
                "a=setup:active",
                "a=mid:0",
                "a=sctp-port:5000",
                "a=max-message-size:262144",
                "a=candidate:3 1 udp 2122260223 5a6b1c2d-0e3f-4a5b-8c7d-9e0f1a2b3c4d.local 54402 typ host",
                "a=candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host",
                "a=candidate:2 1 udp 2122262783 2001:db8::1 54401 typ host generation 0",
                "a=end-of-candidates",
                ""));
    }

    @Test
    void withoutCandidatesTheDefaultIsPortNineOnTheUnspecifiedAddress() {
        String sdp = new DataChannelDescription(IceParameters.of("8hhY", PWD), "data", Setup.ACTPASS, FINGERPRINT,
                List.of(), false).format(1, 2);
        assertThat(sdp).contains("\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n")
                .contains("\r\na=mid:data\r\n").contains("a=group:BUNDLE data\r\n")
                .doesNotContain("ice-lite").doesNotContain("candidate").doesNotContain("ice-options");
    }

    @Test
    void anIpv6DefaultCandidateGivesAnIp6ConnectionLine() {
        String sdp = new DataChannelDescription(IceParameters.of("8hhY", PWD), "0", Setup.PASSIVE, FINGERPRINT,
                List.of(HOST6, HOST), false).format(1, 1);
        assertThat(sdp).contains("\r\nm=application 54401 ").contains("\r\nc=IN IP6 2001:db8::1\r\n");
    }

    @Test
    void formatThenParseGivesTheSameDescription() {
        for (boolean lite : new boolean[] {false, true}) {
            DataChannelDescription d = new DataChannelDescription(
                    new IceParameters("8hhY", PWD, List.of("trickle", "ice2"), lite), "0", Setup.PASSIVE,
                    FINGERPRINT, List.of(HOST, HOST6, MDNS), lite);
            assertThat(DataChannelDescription.parse(d.format(7, 3))).isEqualTo(d);
        }
    }

    @Test
    void mediaLevelAttributesTakePrecedenceOverSessionLevelOnesOneByOne() {
        String sdp = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "a=ice-lite", "a=ice-ufrag:sess", "a=ice-pwd:" + PWD, "a=ice-options:ice2",
                "a=setup:passive", "a=fingerprint:sha-1 AA:BB",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel",
                "a=ice-ufrag:medi", "a=setup:active", "a=mid:dc");
        DataChannelDescription d = DataChannelDescription.parse(sdp);
        assertThat(d.ice()).isEqualTo(new IceParameters("medi", PWD, List.of("ice2"), true));
        assertThat(d.setup()).isEqualTo(Setup.ACTIVE);
        assertThat(d.fingerprint()).isEqualTo(new Fingerprint("sha-1", "AA:BB"));
    }

    @Test
    void iceLiteInsideTheMediaSectionIsNotTheSessionsFlag() {
        String sdp = CHROMIUM_OFFER.replace("a=mid:0", "a=mid:0\r\na=ice-lite");
        assertThat(DataChannelDescription.parse(sdp).ice().lite()).isFalse();
    }

    @Test
    void readsTheFirstApplicationSectionOnlyWithItsCandidatesAndEndOfCandidates() {
        String sdp = String.join("\n", "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=ice-ufrag:audi", "a=ice-pwd:" + PWD, "a=mid:a",
                "a=setup:actpass", "a=fingerprint:sha-256 AB:CD",
                "a=candidate:9 1 udp 1 192.0.2.9 9 typ host",
                "m=application 54400 UDP/DTLS/SCTP webrtc-datachannel", "a=ice-ufrag:data", "a=ice-pwd:" + PWD,
                "a=mid:d", "a=setup:actpass", "a=fingerprint:sha-256 AB:CD",
                "a=" + CandidateLine.format(HOST), "a=" + CandidateLine.format(MDNS), "a=end-of-candidates",
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "a=ice-ufrag:more", "a=ice-pwd:" + PWD,
                "a=mid:e", "a=candidate:8 1 udp 1 192.0.2.8 8 typ host");
        DataChannelDescription d = DataChannelDescription.parse(sdp);
        assertThat(d.mid()).isEqualTo("d");
        assertThat(d.ice().ufrag()).isEqualTo("data");
        assertThat(d.candidates()).containsExactly(HOST, MDNS);
        assertThat(d.endOfCandidates()).isTrue();
    }

    @Test
    void aDescriptionWithoutADataChannelSectionNamesTheMediaLine() {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> DataChannelDescription.parse(
                "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=ice-ufrag:8hhY\r\n"));
        assertThat(e.field()).isEqualTo("m");
        assertThat(catchThrowableOfType(SdpParseException.class, () -> DataChannelDescription.parse("")).field())
                .isEqualTo("m");
    }

    @Test
    void eachMissingOrMalformedAttributeIsNamed() {
        assertField(CHROMIUM_OFFER.replace("a=mid:0\r\n", ""), "mid");
        assertField(CHROMIUM_OFFER.replace("a=mid:0", "a=mid:"), "mid");
        assertField(CHROMIUM_OFFER.replace("a=setup:actpass\r\n", ""), "setup");
        assertField(CHROMIUM_OFFER.replace("a=setup:actpass", "a=setup:both"), "setup");
        assertField(CHROMIUM_OFFER.replaceAll("a=fingerprint:[^\r]*\r\n", ""), "fingerprint");
        assertField(CHROMIUM_OFFER.replace("sha-256 71:52", "sha-256 7:152"), "fingerprint");
        assertField(CHROMIUM_OFFER.replace("sha-256 71:52", "sha-256"), "fingerprint");
        assertField(CHROMIUM_OFFER.replace("a=ice-ufrag:zxsW\r\n", ""), "ice-ufrag");
        assertField(CHROMIUM_OFFER.replace("a=ice-pwd:5fJ78jHN7CwXE3iMjDFsnbGk", "a=ice-pwd:short"), "ice-pwd");
        assertField(CHROMIUM_OFFER.replace("a=mid:0", "a=mid:0\r\na=candidate:1 1 udp x 192.0.2.1 1 typ host"),
                "priority");
    }

    @Test
    void thePasswordNeverAppearsInAMessage() {
        String bad = "5fJ78jHN7CwXE3iMjDFsnbG!";
        SdpParseException e = catchThrowableOfType(SdpParseException.class,
                () -> DataChannelDescription.parse(CHROMIUM_OFFER.replace("5fJ78jHN7CwXE3iMjDFsnbGk", bad)));
        assertThat(e.field()).isEqualTo("ice-pwd");
        assertThat(e.getMessage()).doesNotContain(bad);
    }

    @Test
    void setupValuesReadInAnyCase() {
        assertThat(Setup.parse("ActPass")).isEqualTo(Setup.ACTPASS);
        assertThat(Setup.parse("holdconn").token()).isEqualTo("holdconn");
        assertThatThrownBy(() -> Setup.parse("")).isInstanceOf(SdpParseException.class);
    }

    @Test
    void fingerprintsAreNormalizedAndChecked() {
        Fingerprint f = Fingerprint.parse("SHA-256  ab:cd:ef");
        assertThat(f).isEqualTo(new Fingerprint("sha-256", "AB:CD:EF"));
        assertThat(f.format()).isEqualTo("sha-256 AB:CD:EF");
        byte[] digest = new byte[32];
        digest[0] = (byte) 0xFE;
        digest[31] = 0x01;
        assertThat(Fingerprint.sha256(digest).value()).startsWith("FE:00:").endsWith(":00:01").hasSize(95);
        assertThatThrownBy(() -> Fingerprint.sha256(new byte[20])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes").hasMessageContaining("20");
        assertThatThrownBy(() -> new Fingerprint("sha 256", "AB")).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> new Fingerprint("sha-256", "AB:C")).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> new Fingerprint("sha-256", "")).isInstanceOf(SdpParseException.class);
    }

    @Test
    void theConstructorChecksTheMidAndTheVersionMustNotBeNegative() {
        assertThatThrownBy(() -> new DataChannelDescription(IceParameters.of("8hhY", PWD), "a b", Setup.ACTIVE,
                FINGERPRINT, List.of(), false)).isInstanceOf(SdpParseException.class).hasMessageContaining("mid");
        DataChannelDescription d = new DataChannelDescription(IceParameters.of("8hhY", PWD), "{0}", Setup.ACTIVE,
                FINGERPRINT, List.of(), false);
        assertThat(d.mid()).isEqualTo("{0}");
        assertThatThrownBy(() -> d.format(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    private static void assertField(String sdp, String field) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> DataChannelDescription.parse(sdp));
        assertThat(e).as("parse error for %s", field).isNotNull();
        assertThat(e.field()).isEqualTo(field);
    }
}
