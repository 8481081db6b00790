package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.reactiveice.SharedUdpPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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

    private static final Logger log = LoggerFactory.getLogger(WebfluxSampleBrowserIT.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
        network.closeAfter(chromium, service, server);
    }

    /** Nothing any test did sent a packet toward an address outside the test network. */
    @AfterEach
    void nothingLeftTheTestNetwork() throws Exception {
        network.assertNothingLeft();
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

    /**
     * Issue 15: the page shows the service's own statistics of the session (its pair table, from
     * {@code IceSession.stats()}), and the service and the browser count the selected pair alike: the
     * requests one sent are the requests the other received, and the responses likewise. When the
     * service offers, the browser answers as the DTLS client and its handshake counts as packets received.
     * Once, the counts are compared after the service's first consent check (RFC 7675, 4 to 6 s after
     * the selection), which the browser counts among the requests it received.
     */
    @ParameterizedTest(name = "{0} agent, {1} offers, after a consent check: {2}")
    @CsvSource({"full, browser, false", "full, service, true", "lite, service, false"})
    void thePageShowsTheServicesPairTableAndBothEndsCountTheSelectedPairAlike(String mode, String offerer,
            boolean afterConsent) throws Exception {
        SamplePage page = connected(browser, mode, offerer);
        boolean full = mode.equals("full");
        boolean browserSendsDtls = offerer.equals("service");
        page.await(CONNECT, "the selected pair in the service's table, checked both ways", p -> {
            Map<String, Object> row = selectedRow(p);
            return row != null && sent(row, "requests") + (full ? 0 : 1) > 0 && received(row, "requests") > 0
                    && sent(row, "responses") > 0 && received(row, "responses") + (full ? 0 : 1) > 0
                    && (!browserSendsDtls || received(row, "packets") > 0);
        });
        Map<String, Object> row = selectedRow(page);
        assertThat(row.get("state")).as(page.report()).isEqualTo("succeeded");
        assertThat(row.get("nominated")).isEqualTo("yes");
        assertThat((String) row.get("remote")).startsWith("⇄ host " + network.browserAddress().getHostAddress() + ":");
        assertThat((String) row.get("local")).startsWith("host " + network.serviceAddress().getHostAddress() + ":");
        if (browserSendsDtls) {
            assertThat(received(row, "bytes")).as("the browser's DTLS handshake").isGreaterThan(0);
        }
        // a snapshot pair read after a few of the browser's checks, so that both ends have counted some
        page.await(CONNECT, "the selected pair at both ends", p -> p.agreement() != null
                && count((Map<?, ?>) p.agreement().get("browser"), "responsesReceived") >= 3
                && (!afterConsent || count((Map<?, ?>) p.agreement().get("service"), "consentRequestsSent") >= 1));
        Map<String, Object> agreement = page.agreement();
        page.screenshot(LOGS.resolve("sample-page-stats-" + mode + "-" + offerer + ".png"));
        Map<?, ?> ours = (Map<?, ?>) agreement.get("service");
        Map<?, ?> theirs = (Map<?, ?>) agreement.get("browser");
        assertThat(agreement.get("browserSelected")).as(page.report()).isEqualTo(true);
        // The two snapshots are taken milliseconds apart (the service's, then the browser's as soon as
        // it arrives), while each side checks the pair every few hundred milliseconds at most, and
        // answers at once: at most one request in flight on the veth at the first snapshot and one
        // sent between the two (or the answer to either), hence a slack of 2; the veth loses nothing
        // at these rates, and a lost check would count in the slack too.
        long slack = 2;
        assertThat(count(theirs, "requestsSent")).as("the browser's requests sent, our requests received: %s", agreement)
                .isCloseTo(count(ours, "requestsReceived"), within(slack));
        assertThat(count(theirs, "responsesReceived")).as("the browser's responses received, our responses sent: %s",
                agreement).isCloseTo(count(ours, "responsesSent"), within(slack));
        // W3C's requestsReceived counts every request; ours apart: new checks, their retransmissions, consent
        assertThat(count(theirs, "requestsReceived")).as("the browser's requests received, our requests sent: %s",
                agreement).isCloseTo(count(ours, "requestsSent") + count(ours, "retransmissionsSent")
                        + count(ours, "consentRequestsSent"), within(slack));
        assertThat(count(theirs, "responsesSent")).as("the browser's responses sent, our responses received: %s",
                agreement).isCloseTo(count(ours, "responsesReceived"), within(slack));
        if (!full) {
            assertThat(count(ours, "requestsSent") + count(ours, "consentRequestsSent")).as("a lite agent checks nothing")
                    .isZero();
        }
        log.info("both ends of the selected pair ({} agent, {} offers): {}", mode, offerer, agreement);
        assertThat(page.errors()).isEmpty();
    }

    /**
     * Issue 15: the server's Actuator, after a browser session on its shared port: {@code /actuator/health}
     * is UP with the port's own indicator (UP while bound, its port and sessions), and
     * {@code /actuator/prometheus} lists the library's {@code reactive_ice_} meters on the Spring
     * MeterRegistry, with the session's checks counted.
     */
    @Test
    void actuatorShowsTheSharedPortsHealthAndTheLibrarysMeters() throws Exception {
        SharedUdpPort port = server.getBean(SharedUdpPort.class);
        SamplePage page = connected(browser, serverOrigin, "lite", "browser");
        JsonNode health = JSON.readTree(get(serverOrigin + "/actuator/health", "application/json"));
        assertThat(health.path("status").asString()).as("%s", health).isEqualTo("UP");
        JsonNode shared = health.path("components").path("sharedUdpPort");
        assertThat(shared.path("status").asString()).as("%s", health).isEqualTo("UP");
        assertThat(shared.path("details").path("port").asInt()).isEqualTo(port.localAddress().getPort());
        assertThat(shared.path("details").path("address").asString())
                .isEqualTo(network.serviceAddress().getHostAddress());
        assertThat(shared.path("details").path("sessions").asInt()).as("the page's session").isGreaterThanOrEqualTo(1);
        assertThat(JSON.readTree(get(origin + "/actuator/health", "application/json")).path("components")
                .has("sharedUdpPort")).as("no shared port, no such indicator").isFalse();

        String prometheus = get(serverOrigin + "/actuator/prometheus", "text/plain");
        assertThat(prometheus).as("the Prometheus text format").contains("# TYPE jvm_memory_used_bytes gauge");
        assertThat(prometheusValue(prometheus, "reactive_ice_checks_received_total"))
                .as("the browser's checks, answered by the page's agent: %s", prometheus).isPositive();
        assertThat(prometheusValue(prometheus, "reactive_ice_selected_pair_changes_total")).isPositive();
        assertThat(prometheus).contains("reactive_ice_sessions{state=\"connected\"}")
                .contains("reactive_ice_shared_port_drops_total{reason=\"unknown-ufrag\",transport=\"udp\"}");
        assertThat(page.errors()).isEmpty();
    }

    private static Map<String, Object> selectedRow(SamplePage page) {
        return page.pairTable().stream().filter(r -> Boolean.TRUE.equals(r.get("selected"))).findFirst().orElse(null);
    }

    /** The first count of a table cell "sent / received". */
    private static long sent(Map<String, Object> row, String field) {
        return Long.parseLong(((String) row.get(field)).split(" / ")[0]);
    }

    private static long received(Map<String, Object> row, String field) {
        return Long.parseLong(((String) row.get(field)).split(" / ")[1]);
    }

    /** The sum of the samples of one metric in the Prometheus text format, over every tag combination. */
    private static double prometheusValue(String text, String metric) {
        return text.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String get(String url, String accept) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
        return response.body();
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
