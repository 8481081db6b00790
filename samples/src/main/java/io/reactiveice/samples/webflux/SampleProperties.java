package io.reactiveice.samples.webflux;

import io.reactiveice.RecoveryPolicy;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's settings, under {@code reactive-ice.sample}.
 *
 * @param hostAddresses the local addresses the agents use, e.g. {@code 192.0.2.10}; empty means every
 *     up, non-loopback interface (browsers never gather loopback addresses, so loopback is of no use
 *     here). Fixed addresses are never watched for changes.
 * @param sharedPort a UDP port on the one host address that every agent shares, as a server facing
 *     many browsers does ({@code 0}: any free port); {@code null}: every agent has a port of its own
 * @param sharedTcpPort a TCP port on the one host address that every agent (lite and full) takes its
 *     passive ICE-TCP candidate from (RFC 6544), for browsers on networks that block UDP, which offer
 *     only active TCP candidates ({@code 0}: any free port); {@code null}: no ICE-TCP. Not the same
 *     number as {@code sharedPort}: the agent does not support a UDP and a TCP shared port on one
 *     address and port
 * @param announcedAddress the public address of the one host address, for a service behind a
 *     one-to-one NAT (a cloud VM, a Kubernetes node): signalled as the host candidates' address in place
 *     of the private one ({@code AnnouncedAddress.host}); {@code null}: the host address as it is
 * @param interfaces without {@code hostAddresses}: only the interfaces with these names, or name
 *     prefixes ending in {@code *} ({@code eth0}, {@code wl*}); empty: every interface. Applies to
 *     gathering and to the network monitor ({@code HostAddressPolicy.withInterfaces})
 * @param addressPrefixes without {@code hostAddresses}: only local addresses in these prefixes, e.g.
 *     {@code 192.0.2.0/24}; empty: every address. Applies to gathering and to the network monitor
 *     ({@code HostAddressPolicy.withAddressPrefixes})
 * @param recovery what a full agent does on its own when its network changes under a live page:
 *     {@code renominate} (the default) moves and renominates only; {@code restart} also restarts ICE
 *     when no path is left (the service's own address replaced, say), and the page renegotiates: the
 *     side that made the first offer makes the new one. Needs the agents to watch their interfaces,
 *     so not with {@code hostAddresses}
 */
@ConfigurationProperties("reactive-ice.sample")
record SampleProperties(List<String> hostAddresses, Integer sharedPort, Integer sharedTcpPort, String announcedAddress,
        List<String> interfaces, List<String> addressPrefixes, RecoveryPolicy recovery) {
    SampleProperties {
        hostAddresses = hostAddresses == null ? List.of() : List.copyOf(hostAddresses);
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        addressPrefixes = addressPrefixes == null ? List.of() : List.copyOf(addressPrefixes);
        recovery = recovery == null ? RecoveryPolicy.RENOMINATE : recovery;
        if (sharedPort != null && hostAddresses.size() != 1) {
            throw new IllegalArgumentException("reactive-ice.sample.shared-port needs exactly one "
                    + "reactive-ice.sample.host-addresses but there are " + hostAddresses.size());
        }
        if (announcedAddress != null && hostAddresses.size() != 1) {
            throw new IllegalArgumentException("reactive-ice.sample.announced-address needs exactly one "
                    + "reactive-ice.sample.host-addresses, the private address it stands for, but there are "
                    + hostAddresses.size());
        }
        if (sharedTcpPort != null && hostAddresses.size() != 1) {
            throw new IllegalArgumentException("reactive-ice.sample.shared-tcp-port needs exactly one "
                    + "reactive-ice.sample.host-addresses but there are " + hostAddresses.size());
        }
        requirePort("reactive-ice.sample.shared-port", sharedPort);
        requirePort("reactive-ice.sample.shared-tcp-port", sharedTcpPort);
        if (sharedTcpPort != null && sharedTcpPort != 0 && sharedTcpPort.equals(sharedPort)) {
            throw new IllegalArgumentException("reactive-ice.sample.shared-tcp-port must differ from "
                    + "reactive-ice.sample.shared-port, but both are " + sharedPort + " on " + hostAddresses.get(0)
                    + ": the agent does not support a UDP and a TCP shared port on the same address and port");
        }
        if (!hostAddresses.isEmpty() && !(interfaces.isEmpty() && addressPrefixes.isEmpty())) {
            throw new IllegalArgumentException("reactive-ice.sample.interfaces and reactive-ice.sample.address-prefixes"
                    + " choose among the interfaces' addresses, so they cannot go with reactive-ice.sample.host-addresses");
        }
        if (recovery == RecoveryPolicy.RESTART && !hostAddresses.isEmpty()) {
            throw new IllegalArgumentException("reactive-ice.sample.recovery=restart needs agents that watch their"
                    + " interfaces, which agents on fixed reactive-ice.sample.host-addresses do not: choose the"
                    + " addresses with reactive-ice.sample.interfaces or reactive-ice.sample.address-prefixes instead");
        }
    }

    private static void requirePort(String property, Integer port) {
        if (port != null && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException(property + " must be 0..65535 but was " + port);
        }
    }
}
