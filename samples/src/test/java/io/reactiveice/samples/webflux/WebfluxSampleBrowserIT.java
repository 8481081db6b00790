package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The WebFlux sample with Debian's Chromium: the sample's own page, in a browser inside a network
 * namespace of the test's, connects its ICE transport to the service's reactive-ice agent over a
 * veth pair. The service and its agents bind the service end of the pair only. One namespace, one
 * service and one ChromeDriver serve the whole class; every test loads the page afresh.
 *
 * <p>What Chromium does here: its {@code iceConnectionState} reaches {@code connected} without
 * DTLS, its {@code connectionState} never does; when the peer stops answering it reports
 * {@code disconnected} after about 7.5 s.
 */
class WebfluxSampleBrowserIT {
    private static final Duration CONNECT = Duration.ofSeconds(20);
    /** Chromium says disconnected after about 7.5 s of silence. */
    private static final Duration DISCONNECT = Duration.ofSeconds(30);
    private static final double OBSERVED_MS = 45_000;

    private static NetworkNamespace network;
    private static ConfigurableApplicationContext service;
    private static NamespacedChromium chromium;
    private static String origin;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        network = NetworkNamespace.create();
        try {
            String address = network.serviceAddress().getHostAddress();
            service = new SpringApplicationBuilder(WebfluxSample.class).properties("server.address=" + address,
                    "server.port=0", "reactive-ice.sample.host-addresses=" + address).run();
            origin = "http://" + address + ":" + service.getEnvironment().getRequiredProperty("local.server.port");
            chromium = NamespacedChromium.start(network, Path.of("target", "browser-logs"));
            browser = chromium.open(origin, true, true);
        } catch (Exception | AssertionError e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
            if (service != null) {
                service.close();
            }
        } finally {
            network.close();
        }
    }

    /** Nothing any test did sent a packet toward an address outside the test network. */
    @AfterEach
    void nothingLeftTheTestNetwork() throws Exception {
        assertThat(network.sinkPackets()).as("packets sent toward %s", NetworkNamespace.PUBLIC_PROBE).isZero();
    }

    @ParameterizedTest(name = "{0} agent, {1} offers")
    @CsvSource({"full, browser", "full, service", "lite, browser", "lite, service"})
    void browserConnectsToTheAgentOverTheVethPair(String mode, String offerer) {
        assumeLite(mode);
        SamplePage page = new SamplePage(browser, origin + "/").open();
        page.connect(mode, offerer);
        page.awaitIceState("connected", CONNECT);

        Map<String, Object> pair = page.selected();
        page.await(CONNECT, "a selected pair in getStats", p -> p.selected() != null);
        pair = page.selected();
        assertThat(pair.get("local")).as(page.report()).isEqualTo(Map.of("type", "host",
                "address", network.browserAddress().getHostAddress(), "port", ((Map<?, ?>) pair.get("local")).get("port")));
        assertThat(((Map<?, ?>) pair.get("remote")).get("address")).isEqualTo(network.serviceAddress().getHostAddress());
        page.await(CONNECT, "the service's agent connected", p -> List.of("connected", "completed")
                .contains(p.service().get("state")));
        Map<?, ?> agent = (Map<?, ?>) page.service().get("agent");
        assertThat(agent.get("mode")).isEqualTo(mode);
        boolean serviceControls = mode.equals("full") && offerer.equals("service");
        assertThat(agent.get("role")).isEqualTo(serviceControls ? "controlling" : "controlled");
        assertThat(page.remoteDescription().ice().lite()).isEqualTo(mode.equals("lite"));
        assertThat(page.history()).as("no DTLS, so the connection never connects").noneMatch(
                e -> e.get("connection").equals("connected") || e.get("ice").equals("failed"));
        assertThat(page.errors()).isEmpty();
    }

    private static void assumeLite(String mode) {
        if (mode.equals("lite")) {
            assumeTrue(LiteMode.available(), "ICE-lite needs IceAgent.lite(boolean) (issue 5, section 1)");
        }
    }
}
