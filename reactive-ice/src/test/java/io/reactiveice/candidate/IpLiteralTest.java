package io.reactiveice.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IP literals are read without DNS; anything else is not a literal. */
class IpLiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "192.0.2.1", "255.255.255.255", "10.231.0.2", "1.22.133.9"})
    void readsEveryDottedQuad(String text) throws Exception {
        InetAddress a = IpLiteral.parse(text);
        assertThat(a).isNotNull();
        assertThat(a.getHostAddress()).isEqualTo(text);
        assertThat(a.getAddress()).isEqualTo(InetAddress.getByName(text).getAddress());
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1..2.3", ".1.2.3", "1.2.3.",
        "1.2.3.4 ", " 1.2.3.4", "1.2.3.x", "1234.1.1.1", "1.2.3.-4", "a.local", "foo", "+1.2.3.4", "1.2.3.1000"})
    void refusesWhatIsNotADottedQuad(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
        assertThat(IpLiteral.isLiteral(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "2001:db8::1", "[::1]", "fe80::1%1", "::ffff:192.0.2.1"})
    void readsIpv6(String text) {
        assertThat(IpLiteral.parse(text)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0a1b2c3d-1111-2222-3333-444455556666.local", "example.org", ""})
    void neverResolvesNames(String text) {
        assertThat(IpLiteral.parse(text)).isNull();
    }
}
