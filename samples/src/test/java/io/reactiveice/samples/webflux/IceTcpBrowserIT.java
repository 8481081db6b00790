package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * ICE-TCP with Debian's Chromium (issue 14, RFC 6544): the WebFlux sample with one UDP and one TCP
 * port for all its agents ({@code reactive-ice.sample.shared-port} and {@code shared-tcp-port}), and
 * the page in four browsers inside the browser tests' {@link NetworkNamespace}, one per case: full and
 * lite agent, browser as offerer and as answerer. The four run at once, against the one service.
 *
 * <p>With UDP allowed, every page selects a UDP pair, though the service offers its TCP candidate
 * too. With every UDP packet dropped inside the browser's namespace (nftables there, the service's
 * side untouched), Chromium's UDP checks go nowhere, and its active TCP candidate connects to the
 * service's shared TCP port: every page reaches ICE {@code connected} over TCP, as both the browser's
 * getStats and the service's selected pair say, and for 45 s of the page's clock after that neither
 * side reports any state but connected or completed while consent checks go on over the connection.
 * Behind a one-to-one NAT the same works with the service's announced address.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IceTcpBrowserIT {
    private static final Logger log = LoggerFactory.getLogger(IceTcpBrowserIT.class);
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final double OBSERVED_MS = 45_000;
    /** Generous: the window is 45 s of the page's clock, however slow the machine. */
    private static final Duration OBSERVE = Duration.ofSeconds(120);
    private static final Path LOGS = Path.of("target", "browser-logs");
    private static final Set<String> CONNECTED = Set.of("connected", "completed");
    /** Each case: the service's agent, and who offers. */
    private static final List<List<String>> CASES = List.of(List.of("full", "browser"), List.of("full", "service"),
            List.of("lite", "browser"), List.of("lite", "service"));

    private static NetworkNamespace network;
    private static ConfigurableApplicationContext service;
    private static NamespacedChromium chromium;
    private static String origin;
    private static int tcpPort;
    private static int udpPort;
    private static final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        network = NetworkNamespace.create();
        try {
            String address = network.serviceAddress().getHostAddress();
            service = new SpringApplicationBuilder(WebfluxSample.class).run("--server.address=" + address,
                    "--server.port=0", "--reactive-ice.sample.host-addresses=" + address,
                    "--reactive-ice.sample.shared-port=0", "--reactive-ice.sample.shared-tcp-port=0");
            origin = "http://" + address + ":" + service.getEnvironment().getRequiredProperty("local.server.port");
            tcpPort = service.getBean(SharedTcpPort.class).localAddress().getPort();
            udpPort = service.getBean(SharedUdpPort.class).localAddress().getPort();
            chromium = NamespacedChromium.start(network, LOGS);
            for (int i = 0; i < CASES.size(); i++) {
                browsers.add(chromium.open(origin, true, true));
            }
        } catch (Exception | AssertionError e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        network.closeAfter(chromium, service);
    }

    /** Nothing any case did sent a packet toward an address outside the test network. */
    @AfterEach
    void nothingLeftTheTestNetwork() throws Exception {
        network.assertNothingLeft();
    }

    @Test
    @Order(1)
    void withUdpAllowedEveryPageSelectsAUdpPairThoughTcpIsOffered() throws Exception {
        List<SamplePage> pages = connectAll();
        for (int i = 0; i < pages.size(); i++) {
            SamplePage page = pages.get(i);
            assertThat(serviceCandidates(page)).as(page.report())
                    .anyMatch(c -> c.contains(" tcp ") && c.contains(" " + tcpPort + " typ host tcptype passive"))
                    .anyMatch(c -> c.contains(" udp ") && c.contains(" " + udpPort + " typ host"));
            // waited for, not read once: a check lost on the way may let a TCP pair be selected first
            int browser = i;
            page.await(CONNECT, "a UDP pair to the shared UDP port selected in the browser (now "
                    + browserTransport(i) + ")", p -> browserTransport(browser).equals(Map.of("local", "udp",
                    "localTcpType", "none", "remote", "udp", "remoteAddress", network.serviceAddress().getHostAddress(),
                    "remotePort", (long) udpPort)));
            page.await(CONNECT, "a UDP pair selected in the service", p -> serviceLocalCandidate(p)[2].equals("udp"));
        }
        socketsBindLabAddressesOnly();
    }

    @Test
    @Order(2)
    void withAllUdpDroppedAtTheBrowserEveryPageConnectsOverTheSharedTcpPortAndStays() throws Exception {
        SharedTcpPort port = service.getBean(SharedTcpPort.class);
        long authenticated = port.authenticated();
        network.blockUdp();
        try {
            List<SamplePage> pages = connectAll();
            List<Double> since = new ArrayList<>();
            List<Long> responses = new ArrayList<>();
            for (int i = 0; i < pages.size(); i++) {
                SamplePage page = pages.get(i);
                since.add(page.now());
                responses.add(((Number) page.selected().get("responsesReceived")).longValue());
                connectedOverTcp(page, i, network.serviceAddress().getHostAddress(), tcpPort);
            }
            assertThat(network.droppedUdp()).as("Chromium's UDP checks, dropped").isPositive();
            assertThat(port.authenticated() - authenticated).as("connections routed by the shared TCP port")
                    .isGreaterThanOrEqualTo(CASES.size());

            for (int i = 0; i < pages.size(); i++) { // the four pages' windows run at once
                double from = since.get(i);
                pages.get(i).await(OBSERVE, "45 s of the page's clock since connected", p -> p.now() - from >= OBSERVED_MS);
            }
            for (int i = 0; i < pages.size(); i++) {
                SamplePage page = pages.get(i);
                double from = since.get(i);
                assertThat(page.history()).as("the browser's ICE states in 45 s\n%s", page.report())
                        .filteredOn(e -> ((Number) e.get("t")).doubleValue() >= from)
                        .allMatch(e -> CONNECTED.contains(e.get("ice")));
                assertThat(CONNECTED).contains(page.iceState());
                assertThat(serviceStates(page)).as("the service's states in 45 s\n%s", page.report())
                        .filteredOn(e -> ((Number) e.get("t")).doubleValue() >= from)
                        .allMatch(e -> CONNECTED.contains(e.get("state")));
                assertThat(CONNECTED).contains((String) page.service().get("state"));
                List<Object> states = serviceStates(page).stream().map(e -> e.get("state")).toList();
                int completed = states.indexOf("completed");
                assertThat(completed < 0 ? List.of() : states.subList(completed, states.size()))
                        .as("the service's states from completed on: completed stays (RFC 8445 section 8.1.2)")
                        .allMatch("completed"::equals);
                assertThat(((Number) page.selected().get("responsesReceived")).longValue())
                        .as("the agent answered the browser's consent checks over TCP").isGreaterThan(responses.get(i) + 3);
                connectedOverTcp(page, i, network.serviceAddress().getHostAddress(), tcpPort);
                assertThat(page.errors()).isEmpty();
                page.screenshot(LOGS.resolve("sample-page-tcp-" + String.join("-", CASES.get(i)) + "-45s.png"));
            }
            log.info("UDP dropped: {} packets in the browser's namespace; shared TCP port: {} routed, {} open",
                    network.droppedUdp(), port.authenticated(), port.openConnections());
            socketsBindLabAddressesOnly();
        } finally {
            network.unblockUdp();
        }
    }

    /**
     * A service behind a one-to-one NAT (issue 14): the second service announces an address of the ICE
     * subnet, which the browser's namespace maps onto the service's end; with UDP dropped, the page
     * reaches the announced TCP candidate through the NAT, as a lite agent answering and as a full one
     * offering.
     */
    @Test
    @Order(3)
    void withUdpDroppedThePageReachesTheAnnouncedTcpCandidateThroughAOneToOneNat() throws Exception {
        String address = network.serviceAddress().getHostAddress();
        String announced = network.iceAddress(1).getHostAddress();
        network.natToService(network.iceAddress(1));
        network.blockUdp();
        ConfigurableApplicationContext behindNat = null;
        try {
            behindNat = new SpringApplicationBuilder(WebfluxSample.class).run(
                    "--server.address=" + address, "--server.port=0", "--reactive-ice.sample.host-addresses=" + address,
                    "--reactive-ice.sample.announced-address=" + announced, "--reactive-ice.sample.shared-port=0",
                    "--reactive-ice.sample.shared-tcp-port=0");
            int port = behindNat.getBean(SharedTcpPort.class).localAddress().getPort();
            String natOrigin = "http://" + address + ":" + behindNat.getEnvironment().getRequiredProperty("local.server.port");
            List<List<String>> cases = List.of(List.of("lite", "browser"), List.of("full", "service"));
            List<SamplePage> pages = connectAll(natOrigin, cases);
            for (int i = 0; i < pages.size(); i++) {
                SamplePage page = pages.get(i);
                assertThat(serviceCandidates(page)).as("the service's candidates: the announced address only\n%s",
                        page.report()).isNotEmpty().allMatch(c -> c.split(" ")[4].equals(announced));
                connectedOverTcp(page, i, announced, port);
                assertThat(page.errors()).isEmpty();
            }
            socketsBindLabAddressesOnly();
        } finally {
            for (WebDriver browser : browsers) {
                browser.get("about:blank"); // the pages' WebSockets close, so the service shuts down at once
            }
            if (behindNat != null) {
                behindNat.close();
            }
            network.unblockUdp();
        }
    }

    private static List<SamplePage> connectAll() {
        return connectAll(origin, CASES);
    }

    /** Loads the page in a browser per case, connects each, and waits until each browser and its agent say connected. */
    private static List<SamplePage> connectAll(String pageOrigin, List<List<String>> cases) {
        List<SamplePage> pages = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            SamplePage page = new SamplePage(browsers.get(i), pageOrigin + "/").open();
            page.connect(cases.get(i).get(0), cases.get(i).get(1));
            pages.add(page);
        }
        for (SamplePage page : pages) {
            page.awaitIceState("connected", CONNECT);
            page.await(CONNECT, "a selected pair in getStats", p -> p.selected() != null);
            page.await(CONNECT, "the service's agent connected", p -> CONNECTED.contains(p.service().get("state"))
                    && p.service().get("selected") != null);
        }
        return pages;
    }

    /**
     * Both sides' selected pair: TCP, the browser's active candidate to the service's passive one on its
     * shared TCP port, signalled as {@code address} (the service's own, or the one it announces).
     */
    private static void connectedOverTcp(SamplePage page, int i, String address, int port) {
        Map<String, Object> browser = browserTransport(i);
        assertThat(browser).as("the browser's selected pair\n%s", page.report()).containsEntry("local", "tcp")
                .containsEntry("localTcpType", "active").containsEntry("remote", "tcp")
                .containsEntry("remoteAddress", address).containsEntry("remotePort", (long) port);
        String[] local = serviceLocalCandidate(page);
        assertThat(local[2]).as("the service's selected pair\n%s", page.report()).isEqualTo("tcp");
        assertThat(local[4]).isEqualTo(address);
        assertThat(local[5]).isEqualTo(Integer.toString(port));
        assertThat(String.join(" ", local)).endsWith("tcptype passive");
        String remote = (String) ((Map<?, ?>) page.service().get("selected")).get("remote");
        assertThat(remote.split(" ")[1]).isEqualTo(network.browserAddress().getHostAddress());
    }

    /**
     * Every socket of the JVM binds the service's end of the veth pair: the web server, the shared
     * ports, the full agents' active TCP sockets, the connections to ChromeDriver. Loopback is let pass
     * only for what another test class in this JVM may have left open.
     */
    private static void socketsBindLabAddressesOnly() throws Exception {
        String lab = network.serviceAddress().getHostAddress() + ":";
        assertThat(JvmSockets.udp()).as("this JVM's UDP sockets").contains(lab + udpPort)
                .allMatch(a -> a.startsWith(lab) || a.startsWith("127."));
        assertThat(JvmSockets.tcp()).as("this JVM's TCP sockets").contains(lab + tcpPort)
                .allMatch(a -> a.startsWith(lab) || a.startsWith("127."));
    }

    /**
     * The transport of the browser's selected pair, from getStats: {@code local} and {@code remote} protocol,
     * {@code localTcpType} ({@code none} for UDP), {@code remoteAddress}, {@code remotePort}; empty before one.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> browserTransport(int i) {
        WebDriver driver = browsers.get(i);
        return (Map<String, Object>) ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                reactiveIceSample.pc.getStats().then(report => {
                  let pair = null;
                  report.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId); });
                  if (!pair) { done({}); return; }
                  const l = report.get(pair.localCandidateId), r = report.get(pair.remoteCandidateId);
                  done({local: l.protocol, localTcpType: l.tcpType || 'none', remote: r.protocol,
                        remoteAddress: r.address, remotePort: r.port});
                });
                """);
    }

    /** The service's selected pair's local candidate line, split at spaces: [2] transport, [4] address, [5] port. */
    private static String[] serviceLocalCandidate(SamplePage page) {
        return ((String) ((Map<?, ?>) page.service().get("selected")).get("local")).split(" ");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> serviceStates(SamplePage page) {
        return (List<Map<String, Object>>) page.service().get("states");
    }

    private static List<String> serviceCandidates(SamplePage page) {
        return ((List<?>) page.service().get("candidates")).stream().map(String.class::cast).toList();
    }
}
