package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.IceServer;
import io.reactiveice.agent.IceRole;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The option table of the peer protocol. */
class PeerOptionsTest {

    @Test
    void theDefaultsAreTheProtocols() throws Exception {
        PeerOptions o = PeerOptions.parse();
        assertThat(o.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(o.addresses()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(o.iceServers()).isEmpty();
        assertThat(o.usesTurn()).isFalse();
        assertThat(o.trustedCertificates()).isEmpty();
        assertThat(o.relayOnly()).isFalse();
        assertThat(o.echo()).isFalse();
        assertThat(o.send()).isZero();
        assertThat(o.size()).isEqualTo(100);
        assertThat(o.interval()).isEqualTo(Duration.ofMillis(10));
        assertThat(o.waitTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.exitAfterStats()).isFalse();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.verbose()).isFalse();
        assertThat(o.autoRestart()).isFalse();
    }

    @Test
    void autoRestartIsAFlag() throws Exception {
        assertThat(PeerOptions.parse("--auto-restart").autoRestart()).isTrue();
        assertThat(PeerOptions.USAGE).contains("--auto-restart");
    }

    @Test
    void everySupportedOptionIsRead() throws Exception {
        PeerOptions o = PeerOptions.parse("--controlled", "--addr", "127.0.0.1", "--addr", "::1", "--stun",
                "127.0.0.1:3478", "--send", "20", "--size", "200", "--interval", "0", "--wait", "0.5",
                "--exit-after-stats", "--timeout", "5", "-v");
        assertThat(o.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(o.addresses()).containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        assertThat(o.iceServers()).singleElement().satisfies(s -> {
            assertThat(s.scheme()).isEqualTo("stun");
            assertThat(s.host()).isEqualTo("127.0.0.1");
            assertThat(s.port()).isEqualTo(3478);
        });
        assertThat(o.send()).isEqualTo(20);
        assertThat(o.size()).isEqualTo(200);
        assertThat(o.interval()).isZero();
        assertThat(o.waitTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.exitAfterStats()).isTrue();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.verbose()).isTrue();
        assertThat(PeerOptions.parse("--echo").echo()).isTrue();
    }

    @Test
    void aTurnServerOverEachTransportBecomesTheMatchingUri() throws Exception {
        PeerOptions udp = PeerOptions.parse("--turn", "127.0.0.1:3478", "--turn-user", "alice", "--turn-pass",
                "wonderland", "--relay-only");
        assertThat(udp.usesTurn()).isTrue();
        assertThat(udp.relayOnly()).isTrue();
        assertThat(udp.iceServers()).singleElement().isEqualTo(
                new IceServer("turn", "127.0.0.1", 3478, "udp", "alice", "wonderland"));
        assertThat(PeerOptions.parse("--turn", "127.0.0.1:3479", "--turn-user", "u", "--turn-pass", "p",
                "--turn-transport", "tcp").iceServers()).singleElement().isEqualTo(
                new IceServer("turn", "127.0.0.1", 3479, "tcp", "u", "p"));
        assertThat(PeerOptions.parse("--turn", "[::1]:5349", "--turn-user", "u", "--turn-pass", "p",
                "--turn-transport", "tls").iceServers()).singleElement().isEqualTo(
                new IceServer("turns", "::1", 5349, "tcp", "u", "p"));
        assertThat(PeerOptions.parse("--stun", "127.0.0.1:3478", "--turn", "127.0.0.1:3478", "--turn-user", "u",
                "--turn-pass", "p").iceServers()).extracting(IceServer::scheme).containsExactly("stun", "turn");
    }

    @Test
    void turnCaReadsThePemCertificatesToTrust(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), SELF_SIGNED_127_0_0_1);
        PeerOptions o = PeerOptions.parse("--turn", "127.0.0.1:5349", "--turn-user", "u", "--turn-pass", "p",
                "--turn-transport", "tls", "--turn-ca", pem.toString());
        assertThat(o.trustedCertificates()).singleElement()
                .satisfies(c -> assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1"));
    }

    @Test
    void allInterfacesTakesNoAddressListAndCannotBeCombinedWithAddr() throws Exception {
        PeerOptions o = PeerOptions.parse("--all-interfaces");
        assertThat(o.allInterfaces()).isTrue();
        assertThat(o.addresses()).isEmpty();
        assertThat(PeerOptions.parse().allInterfaces()).isFalse();
        assertThatThrownBy(() -> PeerOptions.parse("--all-interfaces", "--addr", "127.0.0.1"))
                .isInstanceOf(PeerOptions.UsageException.class).hasMessageContaining("--all-interfaces and --addr");
    }

    @Test
    void hostOnlyDropsTheStunAndTurnServers() throws Exception {
        PeerOptions o = PeerOptions.parse("--stun", "127.0.0.1:3478", "--turn", "127.0.0.1:3478", "--turn-user", "u",
                "--turn-pass", "p", "--host-only");
        assertThat(o.iceServers()).isEmpty();
        assertThat(o.usesTurn()).isFalse();
    }

    @Test
    void turnOptionsThatDoNotFitTogetherAreRefusedByName(@TempDir Path dir) throws Exception {
        String[] turn = {"--turn", "127.0.0.1:3478", "--turn-user", "u", "--turn-pass", "p"};
        assertThatThrownBy(() -> PeerOptions.parse("--relay-only")).hasMessageStartingWith(
                "--relay-only needs a TURN server");
        assertThatThrownBy(() -> PeerOptions.parse(concat(turn, "--relay-only", "--host-only")))
                .hasMessageStartingWith("--relay-only and --host-only cannot be combined");
        assertThatThrownBy(() -> PeerOptions.parse("--turn", "127.0.0.1:3478", "--turn-pass", "p"))
                .hasMessageStartingWith("--turn needs --turn-user U");
        assertThatThrownBy(() -> PeerOptions.parse("--turn", "127.0.0.1:3478", "--turn-user", "u"))
                .hasMessageStartingWith("--turn needs --turn-pass P");
        for (String option : new String[] {"--turn-user", "--turn-pass", "--turn-transport", "--turn-ca"}) {
            assertThatThrownBy(() -> PeerOptions.parse(option, "udp")).as(option)
                    .hasMessage(option + " needs --turn HOST:PORT");
        }
        assertThatThrownBy(() -> PeerOptions.parse(concat(turn, "--turn", "127.0.0.1:3479")))
                .hasMessageStartingWith("--turn can be given once");
        assertThatThrownBy(() -> PeerOptions.parse(concat(turn, "--turn-transport", "dtls")))
                .hasMessage("--turn-transport must be udp, tcp or tls but was dtls");
        assertThatThrownBy(() -> PeerOptions.parse("--turn", "turn.example.org:x", "--turn-user", "u",
                "--turn-pass", "p")).hasMessageStartingWith("--turn must be HOST:PORT but was turn.example.org:x");
        assertThatThrownBy(() -> PeerOptions.parse(concat(turn, "--turn-ca", "ca.pem")))
                .hasMessage("--turn-ca needs --turn-transport tls but the transport is udp");
        String[] tls = concat(turn, "--turn-transport", "tls", "--turn-ca");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> PeerOptions.parse(concat(tls, missing.toString())))
                .hasMessageStartingWith("--turn-ca cannot read " + missing);
        Path notPem = Files.writeString(dir.resolve("not.pem"), "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n");
        assertThatThrownBy(() -> PeerOptions.parse(concat(tls, notPem.toString())))
                .hasMessageStartingWith("--turn-ca " + notPem + " is not a PEM certificate");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> PeerOptions.parse(concat(tls, empty.toString())))
                .hasMessage("--turn-ca " + empty + " holds no certificate");
        assertThatThrownBy(() -> PeerOptions.parse("--turn")).hasMessage("--turn needs a value");
    }

    @Test
    void liteIsAlwaysControlledAndHasHostCandidatesOnly() throws Exception {
        PeerOptions lite = PeerOptions.parse("--lite");
        assertThat(lite.lite()).isTrue();
        assertThat(lite.role()).isEqualTo(IceRole.CONTROLLED);
        assertThatThrownBy(() -> PeerOptions.parse("--lite", "--controlling"))
                .isInstanceOf(PeerOptions.UsageException.class).hasMessageStartingWith("--lite cannot be combined with --controlling");
        assertThatThrownBy(() -> PeerOptions.parse("--lite", "--relay-only", "--turn", "127.0.0.1:3478",
                "--turn-user", "u", "--turn-pass", "p")).hasMessageStartingWith("--lite cannot be combined with --relay-only");
    }

    @Test
    void malformedValuesNameTheOptionAndTheValue() {
        assertThatThrownBy(() -> PeerOptions.parse("--addr", "localhost")).hasMessage(
                "--addr must be an IP address but was localhost");
        assertThatThrownBy(() -> PeerOptions.parse("--send", "-1")).hasMessage(
                "--send must be an integer in 0..1000000 but was -1");
        assertThatThrownBy(() -> PeerOptions.parse("--wait", "0")).hasMessageStartingWith("--wait must be a number");
        assertThatThrownBy(() -> PeerOptions.parse("--send")).hasMessage("--send needs a value");
        assertThatThrownBy(() -> PeerOptions.parse("--bogus")).hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> PeerOptions.parse("--echo", "--send", "3")).hasMessageContaining("cannot be combined");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** A self-signed certificate for 127.0.0.1 (EC P-256, valid for 100 years; its key was thrown away). */
    private static final String SELF_SIGNED_127_0_0_1 = """
            -----BEGIN CERTIFICATE-----
            MIIBjzCCATagAwIBAgIUVXuiBwy/YOSf9stPNUACmrwRphAwCgYIKoZIzj0EAwIw
            FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNDIzMzYxMFoYDzIxMjYxMDMx
            MjMzNjEwWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
            PQMBBwNCAASiyfeOtZ8v2tw8cVcJyQ+K/y6RcoWc0TMeabY55ZNq9XgCN/aeFQle
            nFQoqT2aXc2dFL60cZKX5P7YlWud8FaYo2QwYjAdBgNVHQ4EFgQUy4+vxTovB9v7
            2lWq2J8jO9/BN1swHwYDVR0jBBgwFoAUy4+vxTovB9v72lWq2J8jO9/BN1swDwYD
            VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC
            IHoB4NDpaDw9shDiP5nZLfqzhSTgtWy/MjWFnPr0MEN4AiBwZ5GEePBnMK4UdDeo
            Ism/8rZ4EftTDHVRfPuboR7BhQ==
            -----END CERTIFICATE-----
            """;
}
