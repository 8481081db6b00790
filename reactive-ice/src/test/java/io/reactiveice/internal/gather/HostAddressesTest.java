package io.reactiveice.internal.gather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.candidate.HostAddressPolicy;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which local addresses become host candidates, their order (RFC 8421) and their foundations. */
class HostAddressesTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no DNS
    }

    @Test
    void defaultsLeaveOutLoopbackLinkLocalIpv6AndWildcards() throws Exception {
        HostAddressPolicy p = HostAddressPolicy.defaults();
        assertThat(p.accepts(null, ip("192.0.2.10"))).isTrue();
        assertThat(p.accepts(null, ip("2001:db8::1"))).isTrue();
        assertThat(p.accepts(null, ip("127.0.0.1"))).isFalse();
        assertThat(p.accepts(null, ip("::1"))).isFalse();
        assertThat(p.accepts(null, ip("fe80::1"))).isFalse();
        assertThat(p.accepts(null, ip("0.0.0.0"))).isFalse();
        assertThat(p.accepts(null, ip("224.0.0.1"))).isFalse();
        assertThat(p.withLoopback(true).accepts(null, ip("127.0.0.1"))).isTrue();
        assertThat(p.withAddressFilter(a -> !a.getHostAddress().startsWith("192.")).accepts(null, ip("192.0.2.10")))
                .isFalse();
        HostAddressPolicy v4only = new HostAddressPolicy(false, false, true, false, i -> true, a -> true);
        assertThat(v4only.accepts(null, ip("2001:db8::1"))).isFalse();
        assertThatThrownBy(() -> new HostAddressPolicy(false, false, false, false, i -> true, a -> true))
                .hasMessageContaining("ipv4 and ipv6 cannot both be off");
    }

    // RFC 8421 section 4: IPv6 and IPv4 interleaved, IPv6 first, local preference falling by one.
    @Test
    void familiesAreInterleavedWithIpv6FirstAndPreferencesFall() throws Exception {
        List<InetAddress> order = HostAddresses.interleave(List.of(ip("2001:db8::1"), ip("2001:db8::2")),
                List.of(ip("192.0.2.1"), ip("192.0.2.2"), ip("192.0.2.3")));
        assertThat(order).extracting(InetAddress::getHostAddress).containsExactly("2001:db8:0:0:0:0:0:1", "192.0.2.1",
                "2001:db8:0:0:0:0:0:2", "192.0.2.2", "192.0.2.3");
        assertThat(HostAddresses.localPreference(0)).isEqualTo(65_535);
        assertThat(HostAddresses.localPreference(3)).isEqualTo(65_532);
    }

    @Test
    void enumerationWithLoopbackFindsTheLoopbackAddress() throws Exception {
        List<InetAddress> found = HostAddresses.enumerate(HostAddressPolicy.defaults().withLoopback(true)
                .withAddressFilter(InetAddress::isLoopbackAddress));
        assertThat(found).extracting(InetAddress::getHostAddress).contains("127.0.0.1");
    }

    // RFC 8445 section 5.1.1.3: equal type, base, server and transport give equal foundations.
    @Test
    void foundationsAreSharedExactlyByAlikeCandidates() throws Exception {
        String host = Foundations.of("host", ip("192.0.2.1"), null, "udp");
        assertThat(host).matches("[0-9]{1,10}"); // ice-chars, at most 32 of them
        assertThat(Foundations.of("host", ip("192.0.2.1"), null, "udp")).isEqualTo(host);
        assertThat(Foundations.of("host", ip("192.0.2.2"), null, "udp")).isNotEqualTo(host);
        assertThat(Foundations.of("srflx", ip("192.0.2.1"), "stun:a", "udp")).isNotEqualTo(host)
                .isNotEqualTo(Foundations.of("srflx", ip("192.0.2.1"), "stun:b", "udp"));
        assertThat(Foundations.of("host", ip("192.0.2.1"), null, "tcp")).isNotEqualTo(host);
        assertThat(Foundations.of("relay", ip("192.0.2.1"), "turn:a", "udp")).isNotEqualTo(host);
    }
}
