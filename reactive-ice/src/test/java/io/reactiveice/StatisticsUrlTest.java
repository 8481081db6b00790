package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server of a gathered candidate as W3C webrtc-stats' {@code url} and {@code relayProtocol} give
 * it in the statistics: the URI without its credentials, and how a TURN server is reached.
 */
class StatisticsUrlTest {

    @ParameterizedTest
    @CsvSource({
        "stun:stun.example.org, stun:stun.example.org:3478, udp",
        "turn:192.0.2.1:3479, turn:192.0.2.1:3479, udp",
        "turn:192.0.2.1?transport=tcp, turn:192.0.2.1:3478?transport=tcp, tcp",
        "turns:turn.example.org, turns:turn.example.org:5349, tls",
        "'turn:[2001:db8::1]:3478', 'turn:[2001:db8::1]:3478', udp",
    })
    void theUrlIsTheServersUriWithItsPortAndTheRelayProtocolItsTransport(String uri, String url, String relayProtocol) {
        IceServer server = IceServer.parse(uri, "alice", "secret");
        assertThat(Gathering.url(server)).isEqualTo(url).doesNotContain("alice").doesNotContain("secret");
        assertThat(Gathering.relayProtocol(server)).isEqualTo(relayProtocol);
    }

    @Test
    void aStunServerWithoutCredentialsHasTheSameUrl() {
        assertThat(Gathering.url(IceServer.parse("stun:198.51.100.7:19302"))).isEqualTo("stun:198.51.100.7:19302");
    }
}
