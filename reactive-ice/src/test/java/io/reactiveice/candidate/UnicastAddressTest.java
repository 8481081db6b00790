package io.reactiveice.candidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.candidate.UnicastAddress.Refusal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses can be a peer (RFC 8445 section 5.1.1: candidates are unicast transport addresses). */
class UnicastAddressTest {

    // Every form of address that is not a unicast destination, as a literal.
    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "0.255.255.255, UNSPECIFIED",
        "224.0.0.0, MULTICAST", "224.0.0.251, MULTICAST", "239.255.255.250, MULTICAST", "239.255.255.255, MULTICAST",
        "255.255.255.255, BROADCAST",
        "240.0.0.0, RESERVED", "240.0.0.1, RESERVED", "255.255.255.254, RESERVED",
        "::, UNSPECIFIED", "ff02::fb, MULTICAST", "ff05::1:3, MULTICAST", "ff0e::1, MULTICAST", "ff00::, MULTICAST",
        // IPv4-mapped IPv6 literals (the JDK reads them as IPv4 addresses)
        "::ffff:0.0.0.0, UNSPECIFIED", "::ffff:224.0.0.251, MULTICAST", "::ffff:255.255.255.255, BROADCAST",
        "::ffff:240.0.0.1, RESERVED",
        // IPv4-compatible (RFC 4291 section 2.5.5.1), NAT64 (RFC 6052) and 6to4 (RFC 3056) forms
        "::224.0.0.251, MULTICAST", "::255.255.255.255, BROADCAST", "::240.0.0.1, RESERVED", "::0.0.0.2, UNSPECIFIED",
        "64:ff9b::224.0.0.251, MULTICAST", "64:ff9b::255.255.255.255, BROADCAST", "64:ff9b::, UNSPECIFIED",
        "64:ff9b::240.0.0.1, RESERVED",
        "2002:e000:fb::1, MULTICAST", "2002:ffff:ffff::, BROADCAST", "2002::1, UNSPECIFIED",
        "2002:f000:1:5::9, RESERVED",
    })
    void refusesEveryAddressThatIsNotAUnicastPeer(String literal, Refusal expected) {
        InetAddress ip = IpLiteral.parse(literal);
        assertThat(UnicastAddress.refusal(ip, 5_000)).isEqualTo(expected);
        assertThat(UnicastAddress.isUnicast(new InetSocketAddress(ip, 5_000))).isFalse();
        assertThat(expected.field()).isEqualTo("address");
    }

    // The same, as the 16 bytes of an IPv4-mapped IPv6 address (RFC 4291 section 2.5.5.2), which a
    // wire decoder may produce without the JDK turning it into an IPv4 address first.
    @ParameterizedTest
    @CsvSource({
        "00000000000000000000ffff00000000, UNSPECIFIED", "00000000000000000000ffff00010203, UNSPECIFIED",
        "00000000000000000000ffffe00000fb, MULTICAST", "00000000000000000000ffffefffffff, MULTICAST",
        "00000000000000000000ffffffffffff, BROADCAST", "00000000000000000000fffff0000001, RESERVED",
        "00000000000000000000000000000000, UNSPECIFIED", "ff0200000000000000000000000000fb, MULTICAST",
        "000000000000000000000000e00000fb, MULTICAST", "000000000000000000000000ffffffff, BROADCAST",
        "0064ff9b0000000000000000e00000fb, MULTICAST", "0064ff9b0000000000000000ffffffff, BROADCAST",
        "2002e00000fb00000000000000000001, MULTICAST", "2002ffffffff00000000000000000000, BROADCAST",
    })
    void refusesTheIpv4MappedFormsAsBytes(String hex, Refusal expected) {
        assertThat(UnicastAddress.refusal(HexFormat.of().parseHex(hex))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "00000000000000000000ffffc0000201", // ::ffff:192.0.2.1
        "00000000000000000000ffff7f000001", // ::ffff:127.0.0.1
        "00000000000000000000000000000001", // ::1
        "0000000000000000000000ffe00000fb", // not mapped: the ffff is one byte off
        "fe800000000000000000000000000001", // fe80::1
    })
    void acceptsUnicastIpv6Bytes(String hex) {
        assertThat(UnicastAddress.refusal(HexFormat.of().parseHex(hex))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0.0", "10.0.0.1", "127.0.0.1", "169.254.1.1", "192.0.2.1", "192.0.2.255",
        "223.255.255.255", "::1", "fe80::1", "2001:db8::1", "fd00::5", "fe00::1", "::ffff:192.0.2.1",
        "::192.0.2.1", "64:ff9b::192.0.2.1", "2002:c000:201::1", "64:ff9c::224.0.0.251", "2003:e000:fb::1"})
    void acceptsUnicastAddressesLoopbackAndLinkLocalIncluded(String literal) {
        InetAddress ip = IpLiteral.parse(literal);
        assertThat(UnicastAddress.refusal(ip, 1)).isNull();
        assertThat(UnicastAddress.refusal(ip, 65_535)).isNull();
        assertThat(UnicastAddress.isUnicast(new InetSocketAddress(ip, 3478))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "127.0.0.1", "2001:db8::1", "::1"})
    void refusesPortZeroOnAnyAddress(String literal) {
        assertThat(UnicastAddress.refusal(IpLiteral.parse(literal), 0)).isEqualTo(Refusal.PORT_ZERO);
        assertThat(Refusal.PORT_ZERO.field()).isEqualTo("port");
    }

    @ParameterizedTest
    @CsvSource({"224.0.0.251, 5353, address, MULTICAST", "192.0.2.1, 0, port, PORT_ZERO",
        "ff02::1, 9, address, MULTICAST", "0.0.0.0, 9, address, UNSPECIFIED"})
    void aCandidateThatIsNotAUnicastPeerIsATypedErrorNamingTheField(String address, int port, String field,
            Refusal refusal) {
        IceCandidate c = new IceCandidate("1", 1, TransportProtocol.UDP, 1, address, port, CandidateType.HOST, null,
                -1, null, List.of());
        assertThatThrownBy(() -> UnicastAddress.requireUnicast(c))
                .isInstanceOfSatisfying(NotUnicastException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.refusal()).isEqualTo(refusal);
                    assertThat(e.getMessage()).contains(field).contains(address);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0a1b2c3d-1111-2222-3333-444455556666.local", "192.0.2.7"})
    void aNameOrAUnicastCandidatePasses(String address) {
        IceCandidate c = new IceCandidate("1", 1, TransportProtocol.UDP, 1, address, 9, CandidateType.HOST, null,
                -1, null, List.of());
        assertThat(UnicastAddress.requireUnicast(c)).isSameAs(c);
    }
}
