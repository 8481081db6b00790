package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.SharedUdpPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * veth pair. The service and its agents bind the service end of the pair only. One namespace, two
 * services (the second with one UDP port for all its agents) and one ChromeDriver serve the whole
 * class; every test loads the page afresh, and after each one the namespace's sink for traffic
 * toward the outside must have seen nothing.
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
    private static final Path LOGS = Path.of("target", "browser-logs");
    /** The states in which ICE carries data. */
    private static final Set<String> CONNECTED = Set.of("connected", "completed");

    private static NetworkNamespace network;
    private static ConfigurableApplicationContext service;
    /** A second service, as a server facing many browsers runs: one UDP port for all. */
    private static ConfigurableApplicationContext server;
    private static String serverOrigin;
    private static NamespacedChromium chromium;
    private static String origin;
    private static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        network = NetworkNamespace.create();
        try {
            String address = network.serviceAddress().getHostAddress();
            // Arguments, not default properties: they must win over the sample's application.properties.
            service = new SpringApplicationBuilder(WebfluxSample.class).run("--server.address=" + address,
                    "--server.port=0", "--reactive-ice.sample.host-addresses=" + address);
            origin = "http://" + address + ":" + service.getEnvironment().getRequiredProperty("local.server.port");
            server = new SpringApplicationBuilder(WebfluxSample.class).run("--server.address=" + address,
                    "--server.port=0", "--reactive-ice.sample.host-addresses=" + address,
                    "--reactive-ice.sample.shared-port=0");
            serverOrigin = "http://" + address + ":" + server.getEnvironment().getRequiredProperty("local.server.port");
            chromium = NamespacedChromium.start(network, LOGS);
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
            if (server != null) {
                server.close();
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
        SamplePage page = connected(browser, mode, offerer);

        Map<?, ?> local = (Map<?, ?>) page.selected().get("local");
        Map<?, ?> remote = (Map<?, ?>) page.selected().get("remote");
        assertThat(local.get("type")).as(page.report()).isEqualTo("host");
        assertThat(local.get("address")).isEqualTo(network.browserAddress().getHostAddress());
        assertThat(remote.get("type")).isEqualTo("host");
        assertThat(remote.get("address")).isEqualTo(network.serviceAddress().getHostAddress());
        assertThat((List<?>) page.service().get("candidates")).as("the agent's candidates: its one address only")
                .isNotEmpty().allMatch(c -> ((String) c).split(" ")[4].equals(network.serviceAddress().getHostAddress()));
        Map<?, ?> agent = (Map<?, ?>) page.service().get("agent");
        assertThat(agent.get("mode")).isEqualTo(mode);
        boolean serviceControls = mode.equals("full") && offerer.equals("service");
        assertThat(agent.get("role")).isEqualTo(serviceControls ? "controlling" : "controlled");
        assertThat(page.remoteDescription().ice().lite()).isEqualTo(mode.equals("lite"));
        assertThat(page.history()).as("no DTLS, so the connection never connects").noneMatch(
                e -> e.get("connection").equals("connected") || e.get("ice").equals("failed"));
        assertThat(page.errors()).isEmpty();
    }

    @ParameterizedTest(name = "{0} agent")
    @ValueSource(strings = {"full", "lite"})
    void consentKeepsTheBrowserConnectedForFortyFiveSeconds(String mode) throws Exception {
        SamplePage page = connected(browser, mode, "browser");
        double since = last(page.history()).get("t") instanceof Number t ? t.doubleValue() : 0;
        long responses = count(page.selected(), "responsesReceived");

        page.await(Duration.ofSeconds(90), "45 s of the page's clock since connected",
                p -> p.now() - since >= OBSERVED_MS);
        page.screenshot(LOGS.resolve("sample-page-" + mode + "-45s.png"));
        assertThat(page.history()).as(page.report())
                .filteredOn(e -> ((Number) e.get("t")).doubleValue() >= since)
                .allMatch(e -> CONNECTED.contains(e.get("ice")));
        assertThat(CONNECTED).contains(page.iceState());
        assertThat(count(page.selected(), "responsesReceived")).as("the agent answered the browser's checks")
                .isGreaterThan(responses + 3);
        assertThat(page.rtt()).isNotEmpty().allMatch(r -> ((Number) r.get("ms")).doubleValue() >= 0);
        assertThat(CONNECTED).contains((String) page.service().get("state"));
    }

    @ParameterizedTest(name = "{0} agent, {1} offers")
    @CsvSource({"full, browser", "full, service", "lite, browser", "lite, service"})
    void iceRestartFromThePageConnectsOnNewCredentialsAndCandidates(String mode, String offerer) {
        SamplePage page = connected(browser, mode, offerer);
        String serviceUfrag = page.remoteDescription().ice().ufrag();
        String browserUfrag = page.localDescription().ice().ufrag();
        Object browserPort = ((Map<?, ?>) page.selected().get("local")).get("port");
        long selections = count(page.service(), "selections");

        page.pressRestart();
        page.await(CONNECT, "new ICE credentials on both sides", p -> !p.remoteDescription().ice().ufrag()
                .equals(serviceUfrag) && !p.localDescription().ice().ufrag().equals(browserUfrag));
        page.await(CONNECT, "a pair of the new generation, in the browser and in the service",
                p -> !browserPort.equals(((Map<?, ?>) p.selected().get("local")).get("port"))
                        && count(p.service(), "selections") > selections);
        assertThat(CONNECTED).as(page.report()).contains(page.iceState());
        assertThat(page.history()).noneMatch(e -> e.get("ice").equals("failed"));
        assertThat(page.errors()).isEmpty();
    }

    @ParameterizedTest(name = "{0} agent, {1} offers")
    @CsvSource({"full, browser", "lite, service"})
    void closingTheAgentDisconnectsTheBrowserAndARestartReconnectsIt(String mode, String offerer) {
        SamplePage page = connected(browser, mode, offerer);
        String closedAgent = (String) ((Map<?, ?>) page.service().get("agent")).get("ufrag");

        page.pressClose();
        page.await(CONNECT, "the service's agent closed", p -> "closed".equals(p.service().get("state")));
        page.awaitIceState("disconnected", DISCONNECT);

        page.pressRestart();
        page.awaitIceState("connected", CONNECT);
        assertThat(((Map<?, ?>) page.service().get("agent")).get("ufrag")).as("a new agent").isNotEqualTo(closedAgent);
        assertThat(page.remoteDescription().ice().ufrag()).isEqualTo(((Map<?, ?>) page.service().get("agent")).get("ufrag"));
        page.await(CONNECT, "the new agent connected", p -> CONNECTED.contains(p.service().get("state")));
        assertThat(page.errors()).isEmpty();
    }

    /**
     * Without media permission Chromium gathers only the address of its default route, under an mDNS
     * name unless told otherwise. The sample's agent does not resolve names (Chromium's responder
     * answers only queries from port 5353, by multicast, which the library's one-shot resolver does
     * not send): it drops the name and finds the browser from its checks, as a peer-reflexive
     * candidate (RFC 8445 section 7.3.1.3).
     */
    @ParameterizedTest(name = "local addresses hidden behind mDNS names: {0}")
    @ValueSource(booleans = {true, false})
    void withoutMediaPermissionTheBrowserOffersItsDefaultRouteAddress(boolean hideLocalIps) throws Exception {
        WebDriver unpermitted = chromium.open(origin, false, hideLocalIps);
        try {
            SamplePage page = connected(unpermitted, "full", "browser");
            String browserAddress = network.browserAddress().getHostAddress();
            assertThat(page.candidates()).as(page.report()).hasSize(1);
            String address = page.candidates().get(0).split(" ")[4];
            if (hideLocalIps) {
                assertThat(address).matches("[0-9a-f-]{36}\\.local");
            } else {
                assertThat(address).isEqualTo(browserAddress);
            }
            Map<?, ?> selected = (Map<?, ?>) page.service().get("selected");
            // The name is dropped, so only the checks can tell the agent where the browser is; an address
            // may arrive by signalling or by a check first.
            assertThat((String) selected.get("remote")).matches((hideLocalIps ? "prflx " : "(host|prflx) ")
                    + browserAddress.replace(".", "\\.") + " \\d+");
        } finally {
            unpermitted.quit();
        }
    }

    /** Two browsers at once, one facing a lite and one a full agent, both agents on the server's one UDP port. */
    @Test
    void browsersConnectToAgentsSharingTheServersOnePort() throws Exception {
        SharedUdpPort port = server.getBean(SharedUdpPort.class);
        WebDriver first = chromium.open(serverOrigin, true, true);
        WebDriver second = chromium.open(serverOrigin, true, true);
        try {
            List<SamplePage> pages = List.of(connected(first, serverOrigin, "lite", "browser"),
                    connected(second, serverOrigin, "full", "service"));
            assertThat(port.routedUfrags()).as("sessions on the shared port").isGreaterThanOrEqualTo(2);
            for (SamplePage page : pages) {
                assertThat((List<?>) page.service().get("candidates")).as(page.report()).isNotEmpty()
                        .allMatch(c -> ((String) c).contains(" " + network.serviceAddress().getHostAddress() + " "
                                + port.localAddress().getPort() + " typ host"));
                Map<?, ?> remote = (Map<?, ?>) page.selected().get("remote");
                assertThat(remote.get("address")).isEqualTo(network.serviceAddress().getHostAddress());
                assertThat(((Number) remote.get("port")).intValue()).isEqualTo(port.localAddress().getPort());
            }
        } finally {
            first.quit();
            second.quit();
        }
    }

    /** Loads the page, connects, and waits until both the browser and the service say connected. */
    private static SamplePage connected(WebDriver driver, String mode, String offerer) {
        return connected(driver, origin, mode, offerer);
    }

    private static SamplePage connected(WebDriver driver, String pageOrigin, String mode, String offerer) {
        SamplePage page = new SamplePage(driver, pageOrigin + "/").open();
        page.connect(mode, offerer);
        page.awaitIceState("connected", CONNECT);
        page.await(CONNECT, "a selected pair in getStats", p -> p.selected() != null);
        page.await(CONNECT, "the service's agent connected", p -> CONNECTED.contains(p.service().get("state")));
        return page;
    }

    private static Map<String, Object> last(List<Map<String, Object>> history) {
        return history.get(history.size() - 1);
    }

    private static long count(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).longValue();
    }
}
