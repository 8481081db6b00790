package io.reactiveice.candidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local-address filters (issue 14): interface name patterns and address prefixes, on top of the
 * policy's other rules, and their errors.
 */
class HostAddressFiltersTest {
    private static final HostAddressPolicy LOOPBACK_ON = HostAddressPolicy.defaults().withLoopback(true);

    @Test
    void prefixesMatchByTheirBitsAndNeverAcrossFamilies() {
        AddressPrefix docker = AddressPrefix.parse("172.16.0.0/12");
        assertThat(docker.contains(ip("172.17.0.2"))).isTrue();
        assertThat(docker.contains(ip("172.31.255.255"))).isTrue();
        assertThat(docker.contains(ip("172.32.0.1"))).isFalse();
        assertThat(docker.contains(ip("::ffff:ac11:2"))).as("an IPv4-mapped literal is IPv4 in Java").isTrue();
        AddressPrefix ula = AddressPrefix.parse("fd00::/8");
        assertThat(ula.contains(ip("fd12:3456::1"))).isTrue();
        assertThat(ula.contains(ip("fe80::1"))).isFalse();
        assertThat(ula.contains(ip("10.0.0.1"))).isFalse();
        assertThat(AddressPrefix.parse("10.0.0.5").contains(ip("10.0.0.5"))).isTrue();
        assertThat(AddressPrefix.parse("10.0.0.5").contains(ip("10.0.0.4"))).isFalse();
        assertThat(AddressPrefix.parse("0.0.0.0/0").contains(ip("198.51.100.1"))).isTrue();
        assertThat(AddressPrefix.parse("172.16.0.0/12")).hasToString("172.16.0.0/12");
    }

    @Test
    void badPrefixesFailNamingTheText() {
        assertThatThrownBy(() -> AddressPrefix.parse("172.17.0.1/16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host bits").hasMessageContaining("172.17.0.0/16");
        assertThatThrownBy(() -> AddressPrefix.parse("10.0.0.0/33")).hasMessageContaining("0..32");
        assertThatThrownBy(() -> AddressPrefix.parse("docker.local/8")).hasMessageContaining("docker.local/8");
        assertThatThrownBy(() -> AddressPrefix.parse("10.0.0.0/x")).hasMessageContaining("10.0.0.0/x");
    }

    @Test
    void addressPrefixesIncludeAndExclude() {
        HostAddressPolicy onlyLoopbackNet = LOOPBACK_ON.withAddressPrefixes(List.of(AddressPrefix.parse("127.0.0.0/8")),
                List.of(AddressPrefix.parse("127.0.0.2")));
        assertThat(onlyLoopbackNet.accepts(null, ip("127.0.0.1"))).isTrue();
        assertThat(onlyLoopbackNet.accepts(null, ip("127.0.0.2"))).as("excluded").isFalse();
        assertThat(onlyLoopbackNet.accepts(null, ip("192.168.1.5"))).as("not included").isFalse();
        HostAddressPolicy noDocker = HostAddressPolicy.defaults().withAddressPrefixes(List.of(),
                List.of(AddressPrefix.parse("172.16.0.0/12")));
        assertThat(noDocker.accepts(null, ip("172.17.0.1"))).isFalse();
        assertThat(noDocker.accepts(null, ip("192.168.1.5"))).isTrue();
        assertThat(noDocker.accepts(null, ip("127.0.0.1"))).as("the other rules still apply: no loopback").isFalse();
    }

    @Test
    void interfacePatternsIncludeAndExcludeByName() throws SocketException {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        assertThat(lo).as("Linux's loopback interface").isNotNull();
        InetAddress a = ip("127.0.0.1");
        assertThat(LOOPBACK_ON.withInterfaces(List.of("l*"), List.of()).accepts(lo, a)).isTrue();
        assertThat(LOOPBACK_ON.withInterfaces(List.of("eth0"), List.of()).accepts(lo, a)).isFalse();
        assertThat(LOOPBACK_ON.withInterfaces(List.of(), List.of("lo")).accepts(lo, a)).isFalse();
        assertThat(LOOPBACK_ON.withInterfaces(List.of(), List.of("docker*", "veth*")).accepts(lo, a)).isTrue();
        assertThat(LOOPBACK_ON.withInterfaces(List.of("l*"), List.of("lo")).accepts(lo, a)).as("exclude wins").isFalse();
        assertThatThrownBy(() -> LOOPBACK_ON.withInterfaces(List.of("*eth"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'*eth'");
        assertThatThrownBy(() -> LOOPBACK_ON.withInterfaces(List.of(), List.of(""))).hasMessageContaining("''");
    }

    private static InetAddress ip(String literal) {
        InetAddress a = IpLiteral.parse(literal);
        assertThat(a).as(literal).isNotNull();
        return a;
    }
}
