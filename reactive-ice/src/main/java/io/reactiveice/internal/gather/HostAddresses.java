package io.reactiveice.internal.gather;

import io.reactiveice.candidate.HostAddressPolicy;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Enumerates the local addresses a {@link HostAddressPolicy} accepts, ordered per RFC 8421 (IPv6
 * and IPv4 interleaved, IPv6 first). This blocks on the operating system: call it off any event
 * loop (the agent runs it on {@code Schedulers.boundedElastic()}).
 */
public final class HostAddresses {
    private HostAddresses() {
    }

    /**
     * The accepted addresses of all up interfaces.
     *
     * @param policy which addresses qualify
     * @return the addresses, best first
     * @throws SocketException if the interfaces cannot be listed
     */
    public static List<InetAddress> enumerate(HostAddressPolicy policy) throws SocketException {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (policy.accepts(nif, a)) {
                    (a instanceof Inet6Address ? v6 : v4).add(a);
                }
            }
        }
        return interleave(v6, v4);
    }

    /** RFC 8421 section 4: alternate the families, starting with IPv6. */
    public static List<InetAddress> interleave(List<InetAddress> v6, List<InetAddress> v4) {
        List<InetAddress> out = new ArrayList<>(v6.size() + v4.size());
        for (int i = 0; i < Math.max(v6.size(), v4.size()); i++) {
            if (i < v6.size()) {
                out.add(v6.get(i));
            }
            if (i < v4.size()) {
                out.add(v4.get(i));
            }
        }
        return out;
    }

    /**
     * The local preference of the address at {@code index} in preference order (RFC 8421 section 4
     * with RFC 8445 section 5.1.2.1): 65535 for the first, one less for each later one.
     */
    public static int localPreference(int index) {
        return Math.max(0, 65_535 - index);
    }
}
