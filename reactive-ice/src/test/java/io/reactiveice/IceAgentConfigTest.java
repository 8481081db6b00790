package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.internal.agent.CoreConfig;
import io.reactiveice.stun.RetransmissionSchedule;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bad configuration fails at once, with a message naming the field. */
class IceAgentConfigTest {

    @Test
    void everyFluentCallReturnsANewInstance() {
        IceAgent a = IceAgent.create();
        IceAgent b = a.role(IceRole.CONTROLLED);
        assertThat(b).isNotSameAs(a);
        assertThat(a.pacing(Duration.ofMillis(20))).isNotSameAs(a);
    }

    @Test
    void badValuesNameTheirField() {
        IceAgent a = IceAgent.create();
        assertThatThrownBy(() -> a.pacing(Duration.ZERO)).hasMessage("pacing must be positive but was PT0S");
        assertThatThrownBy(() -> a.portRange(5000, 4000)).hasMessageContaining("portRange must satisfy");
        assertThatThrownBy(() -> a.limits(0, 10)).hasMessage("maxPairs must be at least 1 but was 0");
        assertThatThrownBy(() -> a.limits(10, 0)).hasMessage("maxRemoteCandidates must be at least 1 but was 0");
        assertThatThrownBy(() -> a.hostAddresses(List.of())).hasMessage("hostAddresses must not be empty");
        assertThatThrownBy(() -> a.consent(Duration.ofSeconds(5), Duration.ofSeconds(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("consentTimeout must be positive");
        assertThatThrownBy(() -> a.role(null)).hasMessage("role");
        assertThatThrownBy(() -> new IceCredentials("abc", "x".repeat(22))).hasMessage("ufrag must be 4..256 ice-chars but has 3");
        assertThatThrownBy(() -> new IceCredentials("abcd", "bad password with spaces"))
                .hasMessage("pwd must hold only ice-chars (ALPHA DIGIT + /) but has another character"
                        + " (not shown: it is a credential)");
        assertThatThrownBy(() -> new IceCredentials("ab#d", "x".repeat(22)))
                .hasMessage("ufrag must hold only ice-chars (ALPHA DIGIT + /) but has '#'");
        assertThatThrownBy(() -> new CoreConfig(IceRole.CONTROLLING, 1, Duration.ofMillis(50),
                RetransmissionSchedule.UDP_DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(40), Duration.ZERO, 100, 100, null))
                .hasMessageContaining("disconnectedTimeout must not exceed consentTimeout");
    }

    @Test
    void noPartOfAnInvalidPasswordIsEverInTheMessage() {
        String pwd = "QQQQQQQQQQQQQQQQQQQQQQ#";
        assertThatThrownBy(() -> new IceCredentials("abcd", pwd)).hasMessageStartingWith("pwd ")
                .hasMessageNotContaining("#").hasMessageNotContaining("Q");
    }

    // RFC 7675 section 5.1: checks every 0.8 to 1.2 intervals; DISCONNECTED must wait for more than that.
    @Test
    void consentTimingsThatCannotWorkFailAtTheConsentCallNamingTheField() {
        IceAgent a = IceAgent.create();
        assertThatThrownBy(() -> a.consent(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(500)))
                .isInstanceOfSatisfying(IceConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("disconnectedTimeout"))
                .hasMessageStartingWith("disconnectedTimeout must be longer than the longest randomized consent"
                        + " interval, 1.2 x consentInterval = PT12S");
        assertThatThrownBy(() -> a.consent(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(6)))
                .isInstanceOfSatisfying(IceConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("disconnectedTimeout"));
        assertThatThrownBy(() -> a.consent(Duration.ofSeconds(5), Duration.ofSeconds(7), Duration.ofMillis(7_500)))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("consentTimeout"))
                .hasMessage("consentTimeout must not be shorter than disconnectedTimeout PT7.5S but was PT7S");
        // what works: the defaults, a fast cadence, DISCONNECTED and consent loss at once
        assertThat(a.consent(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(7_500))).isNotNull();
        assertThat(a.consent(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMillis(1_201))).isNotNull();
        assertThat(a.consent(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2))).isNotNull();
    }

    @Test
    void restartIntervalsThatCannotWorkFailNamingTheField() {
        IceAgent a = IceAgent.create();
        assertThatThrownBy(() -> a.restartInterval(Duration.ZERO, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("restartInterval"))
                .hasMessage("restartInterval must be positive but was PT0S");
        assertThatThrownBy(() -> a.restartInterval(Duration.ofSeconds(5), Duration.ofSeconds(4)))
                .isInstanceOfSatisfying(IceConfigException.class,
                        e -> assertThat(e.field()).isEqualTo("maxRestartInterval"))
                .hasMessage("maxRestartInterval must not be shorter than restartInterval PT5S but was PT4S");
        assertThatThrownBy(() -> a.recovery(null)).isInstanceOf(NullPointerException.class).hasMessage("recovery");
        assertThat(a.recovery(RecoveryPolicy.RESTART).restartInterval(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isNotSameAs(a);
    }

    // RFC 8445 section 5.3: at least 24 bits in the ufrag and 128 in the password.
    @Test
    void generatedCredentialsCarryTheEntropyTheRfcAsksFor() {
        IceCredentials c = IceCredentials.generate(new SplittableRandom(3));
        assertThat(c.ufrag().length() * 6).isGreaterThanOrEqualTo(24);
        assertThat(c.pwd().length() * 6).isGreaterThanOrEqualTo(128);
        assertThat(c.toString()).doesNotContain(c.pwd());
        assertThat(IceCredentials.generate(new SplittableRandom(4))).isNotEqualTo(c);
    }
}
