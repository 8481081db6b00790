package io.reactiveice.samples.webflux;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactiveice.IceMetrics;
import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import io.reactiveice.metrics.MicrometerIceMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the sample shows Spring Boot Actuator: the library's meters ({@code reactive.ice.*}, in
 * Prometheus {@code reactive_ice_*}) on the Spring {@link MeterRegistry}, and the health of its shared
 * ports, as the components {@code sharedUdpPort} and {@code sharedTcpPort} of {@code /actuator/health}
 * (there when the port is configured).
 */
@Configuration(proxyBeanMethods = false)
class SampleActuator {
    /** The recorder of every agent and shared port of the sample: Micrometer meters on Spring's registry. */
    @Bean
    IceMetrics iceMetrics(MeterRegistry registry) {
        return MicrometerIceMetrics.create(registry);
    }

    /** With {@code reactive-ice.sample.shared-port}: the shared UDP port's health. */
    @Bean
    @ConditionalOnProperty("reactive-ice.sample.shared-port")
    SharedPortHealth sharedUdpPortHealthIndicator(SharedUdpPort port) {
        return SharedPortHealth.of(port);
    }

    /** With {@code reactive-ice.sample.shared-tcp-port}: the shared TCP port's health. */
    @Bean
    @ConditionalOnProperty("reactive-ice.sample.shared-tcp-port")
    SharedPortHealth sharedTcpPortHealthIndicator(SharedTcpPort port) {
        return SharedPortHealth.of(port);
    }
}
