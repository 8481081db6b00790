package io.reactiveice.candidate;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which local addresses become host candidates (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.1">RFC
 * 8445 section 5.1.1.1</a>): interfaces that are up, without loopback unless asked, without IPv6
 * link-local unless asked, filtered by address family and by a caller's predicates.
 *
 * @param includeLoopback whether loopback addresses are used (off by default, on in tests)
 * @param includeLinkLocalIpv6 whether fe80::/10 addresses are used (off by default)
 * @param ipv4 whether IPv4 addresses are used
 * @param ipv6 whether IPv6 addresses are used
 * @param interfaceFilter which interfaces to use
 * @param addressFilter which addresses to use
 */
public record HostAddressPolicy(boolean includeLoopback, boolean includeLinkLocalIpv6, boolean ipv4, boolean ipv6,
        Predicate<NetworkInterface> interfaceFilter, Predicate<InetAddress> addressFilter) {

    /** Checks the fields. */
    public HostAddressPolicy {
        Objects.requireNonNull(interfaceFilter, "interfaceFilter");
        Objects.requireNonNull(addressFilter, "addressFilter");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("ipv4 and ipv6 cannot both be off: no address would be used");
        }
    }

    /** Every up, non-loopback interface; IPv4 and IPv6 without link-local. */
    public static HostAddressPolicy defaults() {
        return new HostAddressPolicy(false, false, true, true, i -> true, a -> true);
    }

    /** Whether an address of an interface qualifies. */
    public boolean accepts(NetworkInterface nif, InetAddress address) {
        if (address.isLoopbackAddress() && !includeLoopback) {
            return false;
        }
        if (address instanceof Inet4Address && !ipv4 || address instanceof Inet6Address && !ipv6) {
            return false;
        }
        if (address instanceof Inet6Address && address.isLinkLocalAddress() && !includeLinkLocalIpv6) {
            return false;
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        return (nif == null || interfaceFilter.test(nif)) && addressFilter.test(address);
    }

    /** This policy with loopback on or off. */
    public HostAddressPolicy withLoopback(boolean on) {
        return new HostAddressPolicy(on, includeLinkLocalIpv6, ipv4, ipv6, interfaceFilter, addressFilter);
    }

    /** This policy with a further address filter. */
    public HostAddressPolicy withAddressFilter(Predicate<InetAddress> filter) {
        return new HostAddressPolicy(includeLoopback, includeLinkLocalIpv6, ipv4, ipv6, interfaceFilter, filter);
    }
}
