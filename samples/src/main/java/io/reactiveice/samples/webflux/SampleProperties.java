package io.reactiveice.samples.webflux;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sample's settings, under {@code reactive-ice.sample}.
 *
 * @param hostAddresses the local addresses the agents use, e.g. {@code 10.0.0.5}; empty means every
 *     up, non-loopback interface (browsers never gather loopback addresses, so loopback is of no use
 *     here)
 */
@ConfigurationProperties("reactive-ice.sample")
record SampleProperties(List<String> hostAddresses) {
    SampleProperties {
        hostAddresses = hostAddresses == null ? List.of() : List.copyOf(hostAddresses);
    }
}
