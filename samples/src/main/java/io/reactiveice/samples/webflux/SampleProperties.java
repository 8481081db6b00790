package io.reactiveice.samples.webflux;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's settings, under {@code reactive-ice.sample}.
 *
 * @param hostAddresses the local addresses the agents use, e.g. {@code 192.0.2.10}; empty means every
 *     up, non-loopback interface (browsers never gather loopback addresses, so loopback is of no use
 *     here)
 * @param sharedPort a UDP port on the one host address that every agent shares, as a server facing
 *     many browsers does ({@code 0}: any free port); {@code null}: every agent has a port of its own
 * @param announcedAddress the public address of the one host address, for a service behind a
 *     one-to-one NAT (a cloud VM, a Kubernetes node): signalled as the host candidates' address in place
 *     of the private one ({@code AnnouncedAddress.host}); {@code null}: the host address as it is
 */
@ConfigurationProperties("reactive-ice.sample")
record SampleProperties(List<String> hostAddresses, Integer sharedPort, String announcedAddress) {
    SampleProperties {
        hostAddresses = hostAddresses == null ? List.of() : List.copyOf(hostAddresses);
        if (sharedPort != null && hostAddresses.size() != 1) {
            throw new IllegalArgumentException("reactive-ice.sample.shared-port needs exactly one "
                    + "reactive-ice.sample.host-addresses but there are " + hostAddresses.size());
        }
        if (announcedAddress != null && hostAddresses.size() != 1) {
            throw new IllegalArgumentException("reactive-ice.sample.announced-address needs exactly one "
                    + "reactive-ice.sample.host-addresses, the private address it stands for, but there are "
                    + hostAddresses.size());
        }
        if (sharedPort != null && (sharedPort < 0 || sharedPort > 65_535)) {
            throw new IllegalArgumentException("reactive-ice.sample.shared-port must be 0..65535 but was " + sharedPort);
        }
    }
}
