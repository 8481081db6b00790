package io.reactiveice.samples.webflux;

import io.reactiveice.IceAgent;
import io.reactiveice.IceMetrics;
import io.reactiveice.RecoveryPolicy;
import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import io.reactiveice.candidate.AddressPrefix;
import io.reactiveice.candidate.AnnouncedAddress;
import io.reactiveice.candidate.HostAddressPolicy;
import io.reactiveice.candidate.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring WebFlux service that answers browsers with reactive-ice: its page ({@code /}) opens an
 * {@code RTCPeerConnection} with a data channel, signals over the {@code /signalling} WebSocket
 * (see {@link BrowserPeer}), and shows the ICE state, the selected pair and the round-trip time
 * the browser measures on it.
 *
 * <pre>
 * java -jar samples/target/reactive-ice-samples-*-webflux.jar [--server.port=8080]
 *     [--reactive-ice.sample.host-addresses=192.0.2.10 [--reactive-ice.sample.shared-port=3478]
 *     [--reactive-ice.sample.shared-tcp-port=443]
 *     [--reactive-ice.sample.announced-address=198.51.100.7]]
 *     [--reactive-ice.sample.interfaces=eth0] [--reactive-ice.sample.address-prefixes=192.0.2.0/24]
 *     [--reactive-ice.sample.recovery=restart]
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(SampleProperties.class)
public class WebfluxSample {
    private static final Logger log = LoggerFactory.getLogger(WebfluxSample.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Starts the service.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=8080}
     */
    public static void main(String[] args) {
        SpringApplication.run(WebfluxSample.class, args);
    }

    /**
     * The agents' configuration: every interface (or the chosen ones, watched for changes), or exactly
     * the configured addresses; one UDP port, and one TCP port for ICE-TCP, for all, if configured;
     * automatic ICE restarts, if configured.
     */
    @Bean
    IceAgent iceAgents(SampleProperties properties, ObjectProvider<SharedUdpPort> sharedPort,
            ObjectProvider<SharedTcpPort> sharedTcpPort, IceMetrics metrics) {
        IceAgent agents = IceAgent.create().recovery(properties.recovery()).metrics(metrics);
        if (!properties.hostAddresses().isEmpty()) {
            agents = agents.hostAddresses(properties.hostAddresses().stream().map(WebfluxSample::ipLiteral).toList());
        } else if (!properties.interfaces().isEmpty() || !properties.addressPrefixes().isEmpty()) {
            // one policy for gathering and for the network monitor: an address outside it is never used
            agents = agents.hostAddressPolicy(HostAddressPolicy.defaults()
                    .withInterfaces(properties.interfaces(), List.of())
                    .withAddressPrefixes(properties.addressPrefixes().stream().map(WebfluxSample::prefix).toList(),
                            List.of()));
        }
        if (properties.recovery() == RecoveryPolicy.RESTART) {
            log.info("reactive-ice WebFlux sample: full agents restart ICE on their own when their network changes");
        }
        if (properties.announcedAddress() != null) { // behind a one-to-one NAT: signal the public address
            agents = agents.announcedAddresses(List.of(AnnouncedAddress.host(ipLiteral(properties.hostAddresses().get(0)),
                    ipLiteral(properties.announcedAddress(), "reactive-ice.sample.announced-address"))));
        }
        SharedUdpPort port = sharedPort.getIfAvailable();
        agents = port == null ? agents : agents.sharedPort(port);
        SharedTcpPort tcp = sharedTcpPort.getIfAvailable(); // also turns ICE-TCP candidates on, lite and full
        return tcp == null ? agents : agents.sharedTcpPort(tcp);
    }

    /** The one UDP port of every agent, with {@code reactive-ice.sample.shared-port}; bound before the server starts. */
    @Bean(destroyMethod = "dispose")
    @ConditionalOnProperty("reactive-ice.sample.shared-port")
    SharedUdpPort sharedUdpPort(SampleProperties properties, IceMetrics metrics) {
        InetSocketAddress address = new InetSocketAddress(ipLiteral(properties.hostAddresses().get(0)),
                properties.sharedPort());
        return SharedUdpPort.create().bindAddress(address).metrics(metrics).bind().block(BIND_TIMEOUT);
    }

    /**
     * The one TCP port every agent takes its passive ICE-TCP candidate from, with
     * {@code reactive-ice.sample.shared-tcp-port}, on the same address as the UDP one; bound before the
     * server starts. Port 0 is bound again if the kernel happens to hand out the shared UDP port's
     * number, which the agent cannot tell apart from it.
     */
    @Bean(destroyMethod = "dispose")
    @ConditionalOnProperty("reactive-ice.sample.shared-tcp-port")
    SharedTcpPort sharedTcpPort(SampleProperties properties, ObjectProvider<SharedUdpPort> sharedPort,
            IceMetrics metrics) {
        SharedUdpPort udp = sharedPort.getIfAvailable();
        int udpPort = udp == null ? -1 : udp.localAddress().getPort();
        InetSocketAddress address = new InetSocketAddress(ipLiteral(properties.hostAddresses().get(0)),
                properties.sharedTcpPort());
        return SharedTcpPort.bind(address, Schedulers.parallel(), SharedTcpPort.MAX_CONNECTIONS_PER_ADDRESS, metrics)
                .flatMap(tcp -> {
                    if (tcp.localAddress().getPort() != udpPort) {
                        return Mono.just(tcp);
                    }
                    tcp.dispose();
                    return Mono.<SharedTcpPort>error(new IllegalStateException("reactive-ice.sample.shared-tcp-port is bound"
                            + " to " + tcp.localAddress() + ", the number of reactive-ice.sample.shared-port: set them apart"));
                }).retry(properties.sharedTcpPort() == 0 ? 3 : 0).block(BIND_TIMEOUT);
    }

    /** The signalling WebSocket, beside the static page. */
    @Bean
    HandlerMapping signalling(IceAgent iceAgents, JsonMapper json) {
        return new SimpleUrlHandlerMapping(Map.of("/signalling", new SignallingHandler(iceAgents, json)), -1);
    }

    /** Says where the page is, once the server listens. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> announce() {
        return event -> log.info("reactive-ice WebFlux sample: open http://localhost:{}/ in a browser",
                event.getWebServer().getPort());
    }

    private static AddressPrefix prefix(String text) {
        try {
            return AddressPrefix.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reactive-ice.sample.address-prefixes must hold prefixes such as"
                    + " 192.0.2.0/24 but has '" + text + "'", e);
        }
    }

    private static InetAddress ipLiteral(String text) {
        return ipLiteral(text, "reactive-ice.sample.host-addresses");
    }

    private static InetAddress ipLiteral(String text, String property) {
        InetAddress address = IpLiteral.parse(text.strip());
        if (address == null) {
            throw new IllegalArgumentException(property + " must hold IP addresses but has '" + text + "'");
        }
        return address;
    }
}
