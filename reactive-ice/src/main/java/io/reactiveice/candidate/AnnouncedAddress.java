package io.reactiveice.candidate;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address to advertise for a local one, for a service behind a one-to-one NAT (a cloud VM's public
 * IP, a Kubernetes node port, Docker's published ports): the agent binds {@code local} and signals
 * {@code announced} with the same port, so peers outside reach the service through the NAT without a
 * STUN server. What pion calls {@code NAT1To1IPs} and mediasoup {@code announcedAddress}.
 *
 * <p>The NAT must forward the port unchanged ({@code announced:port} to {@code local:port}), as a
 * one-to-one NAT does. How the announced address is signalled ({@link Kind}):
 * <ul>
 *   <li>{@link Kind#HOST}: the host candidate carries {@code announced} instead of {@code local}
 *       (pion's {@code ICECandidateTypeHost}); the private address is not revealed.</li>
 *   <li>{@link Kind#SERVER_REFLEXIVE}: the host candidate stays, and a server-reflexive candidate of
 *       {@code announced}, with {@code local} as its related address, is added (pion's
 *       {@code ICECandidateTypeSrflx}); peers on the same private network keep their direct path.</li>
 * </ul>
 * Either way a check that arrives on the private base is answered and paired as the announced
 * candidate's: the socket is the same.
 *
 * @param local a local address of this host, as bound
 * @param announced the address peers reach {@code local} at
 * @param kind how {@code announced} is signalled
 */
public record AnnouncedAddress(InetAddress local, InetAddress announced, Kind kind) {
    /** How the announced address is signalled. */
    public enum Kind {
        /** As the host candidate's address, in place of the local one. */
        HOST,
        /** As a server-reflexive candidate beside the host one, related to it. */
        SERVER_REFLEXIVE
    }

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the two are of different families, or one is a wildcard
     *     or multicast address
     */
    public AnnouncedAddress {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(announced, "announced");
        Objects.requireNonNull(kind, "kind");
        if ((local instanceof Inet4Address) != (announced instanceof Inet4Address)) {
            throw new IllegalArgumentException("announced address " + announced.getHostAddress()
                    + " is not of the family of the local address " + local.getHostAddress());
        }
        for (InetAddress a : new InetAddress[] {local, announced}) {
            if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
                throw new IllegalArgumentException(a.getHostAddress()
                        + " cannot be announced or announced for: it is not a unicast address");
            }
        }
    }

    /** {@code announced} as the host candidate's address for {@code local} ({@link Kind#HOST}). */
    public static AnnouncedAddress host(InetAddress local, InetAddress announced) {
        return new AnnouncedAddress(local, announced, Kind.HOST);
    }

    /** {@code announced} as a server-reflexive candidate related to {@code local} ({@link Kind#SERVER_REFLEXIVE}). */
    public static AnnouncedAddress serverReflexive(InetAddress local, InetAddress announced) {
        return new AnnouncedAddress(local, announced, Kind.SERVER_REFLEXIVE);
    }
}
