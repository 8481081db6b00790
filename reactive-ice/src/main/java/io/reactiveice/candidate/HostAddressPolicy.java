package io.reactiveice.candidate;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
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

    /**
     * This policy keeping only interfaces whose name matches one of {@code include} (all, if empty)
     * and none of {@code exclude}; a name pattern is an interface name, or a prefix ending in
     * {@code *} ({@code docker*}, {@code veth*}, {@code tun*}, {@code wg*}). Applies to gathering and to
     * the network monitor, which enumerate with this policy.
     *
     * @throws IllegalArgumentException if a pattern is empty or has a {@code *} before its end
     */
    public HostAddressPolicy withInterfaces(List<String> include, List<String> exclude) {
        List<String> in = patterns(include);
        List<String> out = patterns(exclude);
        Predicate<NetworkInterface> previous = interfaceFilter;
        return new HostAddressPolicy(includeLoopback, includeLinkLocalIpv6, ipv4, ipv6,
                nif -> previous.test(nif) && (in.isEmpty() || matchesAny(nif.getName(), in))
                        && !matchesAny(nif.getName(), out), addressFilter);
    }

    /**
     * This policy keeping only addresses in one of {@code include} (all, if empty) and in none of
     * {@code exclude} ({@link AddressPrefix}: {@code 172.17.0.0/16}, {@code fd00::/8}).
     */
    public HostAddressPolicy withAddressPrefixes(List<AddressPrefix> include, List<AddressPrefix> exclude) {
        List<AddressPrefix> in = List.copyOf(include);
        List<AddressPrefix> out = List.copyOf(exclude);
        Predicate<InetAddress> previous = addressFilter;
        return new HostAddressPolicy(includeLoopback, includeLinkLocalIpv6, ipv4, ipv6, interfaceFilter,
                a -> previous.test(a) && (in.isEmpty() || in.stream().anyMatch(p -> p.contains(a)))
                        && out.stream().noneMatch(p -> p.contains(a)));
    }

    private static List<String> patterns(List<String> patterns) {
        for (String p : patterns) {
            int star = p.indexOf('*');
            if (p.isEmpty() || star >= 0 && star != p.length() - 1) {
                throw new IllegalArgumentException("an interface pattern must be a name or a prefix ending in * but was '"
                        + p + "'");
            }
        }
        return List.copyOf(patterns);
    }

    private static boolean matchesAny(String name, List<String> patterns) {
        for (String p : patterns) {
            if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** This policy with a further address filter. */
    public HostAddressPolicy withAddressFilter(Predicate<InetAddress> filter) {
        return new HostAddressPolicy(includeLoopback, includeLinkLocalIpv6, ipv4, ipv6, interfaceFilter, filter);
    }
}
