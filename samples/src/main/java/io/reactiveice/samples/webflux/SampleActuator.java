package io.reactiveice.samples.webflux;

import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the sample shows Spring Boot Actuator: the health of its shared ports, as the components
 * {@code sharedUdpPort} and {@code sharedTcpPort} of {@code /actuator/health} (there when the port is
 * configured).
 */
@Configuration(proxyBeanMethods = false)
class SampleActuator {
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
