package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RFC 7064 and RFC 7065 URIs as WebRTC's iceServers take them. */
class IceServerTest {

    @Test
    void parsesStunAndTurnUrisWithDefaultsAndTransports() {
        IceServer s = IceServer.parse("stun:stun.example.org");
        assertThat(s).isEqualTo(new IceServer("stun", "stun.example.org", 3478, "udp", null, null));
        assertThat(s.hasIpAddress()).isFalse();
        assertThat(IceServer.parse("stun:[::1]:3479")).extracting(IceServer::host, IceServer::port).containsExactly("::1", 3479);
        IceServer turn = IceServer.parse("turn:192.0.2.1:3478?transport=tcp", "u", "p");
        assertThat(turn.transport()).isEqualTo("tcp");
        assertThat(turn.isTurn()).isTrue();
        assertThat(IceServer.parse("turns:relay.example.org", "u", "p").port()).isEqualTo(5349);
        assertThat(turn.toString()).doesNotContain("p)").contains("user u");
    }

    @Test
    void malformedUrisFailNamingTheField() {
        assertThatThrownBy(() -> IceServer.parse("http://x")).hasMessageContaining("scheme must be");
        assertThatThrownBy(() -> IceServer.parse("stun:host:port")).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> IceServer.parse("stun:host:70000")).hasMessageContaining("port must be 1..65535");
        assertThatThrownBy(() -> IceServer.parse("stun:::1")).hasMessageContaining("IPv6 hosts must be in brackets");
        assertThatThrownBy(() -> IceServer.parse("turn:relay")).hasMessageContaining("username and credential");
        assertThatThrownBy(() -> IceServer.parse("stun:h?transport=sctp")).hasMessageContaining("transport must be");
    }
}
