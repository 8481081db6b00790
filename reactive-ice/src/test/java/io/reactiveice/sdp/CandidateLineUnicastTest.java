package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.candidate.IceCandidate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer's candidate must be a unicast transport address (RFC 8445 section 5.1.1): the SDP line and
 * the JSON form refuse one that is not, naming the field, while {@code raddr 0.0.0.0 rport 0} (which
 * hides a base and is never checked) stays accepted.
 */
class CandidateLineUnicastTest {

    @ParameterizedTest
    @CsvSource({
        "224.0.0.251, 5353, connection-address", "239.255.255.250, 1900, connection-address",
        "255.255.255.255, 9, connection-address", "0.0.0.0, 9, connection-address",
        "0.10.0.1, 9, connection-address", "240.0.0.1, 9, connection-address",
        "ff02::fb, 5353, connection-address", "::, 9, connection-address",
        "::ffff:224.0.0.251, 5353, connection-address", "::ffff:255.255.255.255, 9, connection-address",
        "192.0.2.1, 0, port", "2001:db8::1, 0, port",
    })
    void aCandidateLineThatIsNotAUnicastPeerIsRefusedNamingTheField(String address, int port, String field) {
        String line = "candidate:1 1 udp 2122260223 " + address + " " + port + " typ host";
        assertThatThrownBy(() -> CandidateLine.parse(line))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.field()).isEqualTo(field));
        assertThatThrownBy(() -> CandidateLine.parse("a=" + line))
                .isInstanceOf(SdpParseException.class);
        String json = "{\"candidate\":\"" + line + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}";
        assertThatThrownBy(() -> IceCandidateInit.parseJson(json))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "candidate:842163049 1 udp 1677729535 203.0.113.7 56143 typ srflx raddr 0.0.0.0 rport 0",
        "candidate:3 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active",
        "candidate:4 1 udp 2122260223 0a1b2c3d-1111-2222-3333-444455556666.local 56143 typ host",
        "candidate:5 1 udp 2122260223 192.0.2.255 56143 typ host",
    })
    void unicastCandidatesAndAHiddenBaseAreStillRead(String line) {
        IceCandidate c = CandidateLine.parse(line);
        assertThat(CandidateLine.format(c)).isEqualTo(line);
    }
}
