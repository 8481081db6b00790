package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.NotUnicastException;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.sdp.SdpParseException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A session refuses a peer's candidate that is not a unicast peer (RFC 8445 section 5.1.1) at the
 * call that adds it, with a typed error naming the field, and never sends to it.
 */
class IceSessionUnicastTest extends VirtualTimeSessions {

    private IceSession start() throws Exception {
        IceSession[] out = new IceSession[1];
        IceAgent.create().role(IceRole.CONTROLLING).scheduler(clock).random(new SplittableRandom(3))
                .packetTransport(net).hostAddresses(List.of(InetAddress.getByName("127.0.0.1")))
                .start().subscribe(s -> out[0] = s);
        clock.advanceTime();
        assertThat(out[0]).as("session started").isNotNull();
        out[0].setRemoteCredentials(new IceCredentials("peer", "PeerPasswordPeerPassword"));
        return out[0];
    }

    @ParameterizedTest
    @CsvSource({"224.0.0.251, 5353, connection-address, address", "255.255.255.255, 9, connection-address, address",
        "0.0.0.0, 9, connection-address, address", "::ffff:224.0.0.251, 5353, connection-address, address",
        "127.0.0.2, 0, port, port"})
    void addingACandidateThatIsNotAUnicastPeerFailsWithATypedErrorAndSendsNothingToIt(String address, int port,
            String sdpField, String field) throws Exception {
        a = start();
        String line = "a=candidate:1 1 udp 2122260223 " + address + " " + port + " typ host";
        assertThatThrownBy(() -> a.addRemoteCandidate(line))
                .isInstanceOfSatisfying(SdpParseException.class, e -> assertThat(e.field()).isEqualTo(sdpField));
        IceCandidate candidate = new IceCandidate("1", 1, TransportProtocol.UDP, 2_122_260_223L, address, port,
                CandidateType.HOST, null, -1, null, List.of());
        assertThatThrownBy(() -> a.addRemoteCandidate(candidate))
                .isInstanceOfSatisfying(NotUnicastException.class, e -> assertThat(e.field()).isEqualTo(field));
        a.addRemoteCandidate("a=candidate:2 1 udp 2122260222 127.0.0.2 50000 typ host"); // a real one still works
        clock.advanceTimeBy(Duration.ofSeconds(40));
        assertThat(net.sent).isNotEmpty()
                .allSatisfy(s -> assertThat(UnicastAddress.isUnicast(s.to())).as("sent to %s", s.to()).isTrue());
    }
}
