package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.agent.IceRole;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The option table of the peer protocol. */
class PeerOptionsTest {

    @Test
    void theDefaultsAreTheProtocols() throws Exception {
        PeerOptions o = PeerOptions.parse();
        assertThat(o.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(o.addresses()).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(o.stunServers()).isEmpty();
        assertThat(o.echo()).isFalse();
        assertThat(o.send()).isZero();
        assertThat(o.size()).isEqualTo(100);
        assertThat(o.interval()).isEqualTo(Duration.ofMillis(10));
        assertThat(o.waitTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.exitAfterStats()).isFalse();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.verbose()).isFalse();
    }

    @Test
    void everySupportedOptionIsRead() throws Exception {
        PeerOptions o = PeerOptions.parse("--controlled", "--addr", "127.0.0.1", "--addr", "::1", "--stun",
                "127.0.0.1:3478", "--send", "20", "--size", "200", "--interval", "0", "--wait", "0.5",
                "--exit-after-stats", "--timeout", "5", "-v");
        assertThat(o.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(o.addresses()).containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        assertThat(o.stunServers()).singleElement().satisfies(s -> {
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
    void hostOnlyDropsTheStunServers() throws Exception {
        assertThat(PeerOptions.parse("--stun", "127.0.0.1:3478", "--host-only").stunServers()).isEmpty();
    }

    @Test
    void whatTheLibraryCannotDoYetIsRefusedByName() {
        for (String option : new String[] {"--lite", "--relay-only", "--turn", "--turn-user", "--turn-pass",
            "--turn-transport"}) {
            assertThatThrownBy(() -> PeerOptions.parse(option, "x")).as(option)
                    .isInstanceOf(PeerOptions.UsageException.class).hasMessageStartingWith(option + " is not supported");
        }
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
}
