package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The WebFlux sample survives a change of the service's own address (issue 13), with Debian's
 * Chromium in the browser tests' {@link NetworkNamespace}: the service runs with
 * {@code reactive-ice.sample.recovery=restart}, its agents limited to the service's end of the veth
 * pair and to the namespace's ICE subnet ({@code reactive-ice.sample.interfaces} and
 * {@code address-prefixes}), so that gathering and the network monitor see that one address and
 * nothing of this host's. The page's signalling goes to the web server on the first subnet's
 * address, which stays.
 *
 * <p>Each case connects the page, checks that ICE traffic flows both ways over the service's address,
 * then deletes that address ({@code ip addr del}) and adds the ICE subnet's other one
 * ({@code ip addr add}), and asks nothing more of anyone: no Restart button, no call into the
 * service. The agent sees the change with its network monitor, restarts ICE on its own, and the
 * sample renegotiates with whoever made the first offer: the page's log says so, the browser selects
 * a pair to the new address, and both sides' checks are answered over it.
 */
class ServiceAddressChangeBrowserIT {
    private static final Logger log = LoggerFactory.getLogger(ServiceAddressChangeBrowserIT.class);
    private static final Duration CONNECT = Duration.ofSeconds(20);
    /** Generous: recovery takes about a second (the monitor polls every second); a loaded machine is slower. */
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    /** The service's consent checks come every 5 s or so, the browser's more often: several of each fit in this. */
    private static final Duration TRAFFIC = Duration.ofSeconds(45);
    private static final Path LOGS = Path.of("target", "browser-logs");
    private static final Set<String> CONNECTED = Set.of("connected", "completed");

    private static NetworkNamespace network;
    private static ConfigurableApplicationContext service;
    private static NamespacedChromium chromium;
    private static String origin;
    private static WebDriver browser;
    /** The ICE subnet's address the service's end has now (1 or 2): each case moves it to the other. */
    private static int current = 1;

    @BeforeAll
    static void start() throws Exception {
        network = NetworkNamespace.create();
        try {
            network.addServiceAddress(network.iceAddress(current));
            String address = network.serviceAddress().getHostAddress();
            service = new SpringApplicationBuilder(WebfluxSample.class).run("--server.address=" + address,
                    "--server.port=0", "--reactive-ice.sample.interfaces=" + network.serviceLink(),
                    "--reactive-ice.sample.address-prefixes=" + network.iceSubnet(),
                    "--reactive-ice.sample.recovery=restart");
            origin = "http://" + address + ":" + service.getEnvironment().getRequiredProperty("local.server.port");
            chromium = NamespacedChromium.start(network, LOGS);
            browser = chromium.open(origin, true, true);
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

    @ParameterizedTest(name = "{0} offers")
    @ValueSource(strings = {"browser", "service"})
    void theServiceRestartsIceWhenItsAddressIsReplacedAndThePageReconnects(String offerer) throws Exception {
        InetAddress before = network.iceAddress(current);
        InetAddress after = network.iceAddress(3 - current);
        SamplePage page = new SamplePage(browser, origin + "/").open();
        page.connect("full", offerer);
        page.awaitIceState("connected", CONNECT);
        page.await(CONNECT, "the service's agent connected", p -> CONNECTED.contains(p.service().get("state")));
        page.await(CONNECT, "a selected pair to " + before.getHostAddress(), p -> before.equals(remoteAddress(p)));
        trafficFlowsBothWays(page, "before the change");
        assertThat(serviceCandidateAddresses(page)).as(page.report()).isNotEmpty().containsOnly(before);
        String serviceUfrag = page.remoteDescription().ice().ufrag();
        long descriptions = page.count(offerer.equals("browser") ? "offers" : "answers");

        long changed = System.nanoTime();
        network.removeServiceAddress(before);
        network.addServiceAddress(after);
        current = 3 - current;

        page.await(RECOVERY, "the service's restart, and the browser connected again to " + after.getHostAddress(),
                p -> !p.recoveries().isEmpty() && after.equals(remoteAddress(p)) && CONNECTED.contains(p.iceState()));
        long recovered = System.nanoTime();
        page.await(RECOVERY, "the service's agent connected again", p -> CONNECTED.contains(p.service().get("state"))
                && localAddressOfServicePair(p).equals(after.getHostAddress()));
        List<String> lines = page.log();
        log.info("{} offers: the last lines of the page's log:\n  {}", offerer,
                String.join("\n  ", lines.subList(Math.max(0, lines.size() - 12), lines.size())));
        Map<String, Object> restart = page.serviceRestarts().get(0);
        log.info("{} offers: the page connected again {} ms after the address change ({} ms after the service's"
                + " restart as the page logged it, reading getStats every 100 ms meanwhile); {} restart(s)", offerer,
                (recovered - changed) / 1_000_000, page.recoveries().get(0).get("ms"), page.serviceRestarts().size());

        assertThat(restart.get("reason")).as(page.report()).isEqualTo("network-change");
        assertThat(restart.get("ufrag")).as("new credentials").isNotEqualTo(serviceUfrag);
        assertThat(page.remoteDescription().ice().ufrag()).isNotEqualTo(serviceUfrag);
        assertThat(page.log()).as("the page's log").anyMatch(line -> line.contains(
                "the service restarted ICE after a network change")).anyMatch(line -> line.matches(
                ".*browser: ICE (connected|completed) again after the service's restart, over .*"
                        + after.getHostAddress().replace(".", "\\.") + ":\\d+.*"));
        assertThat(page.count(offerer.equals("browser") ? "offers" : "answers"))
                .as("the page renegotiated as %s", offerer.equals("browser") ? "offerer" : "answerer")
                .isGreaterThan(descriptions);
        trafficFlowsBothWays(page, "after the change");
        assertThat(serviceCandidateAddresses(page)).as("the agent's candidates: the ICE subnet's addresses only")
                .containsOnly(before, after);
        // every UDP socket of the JVM: the agent's on the ICE subnet, none on a wildcard; loopback is let
        // pass only for what another test class in this JVM may have left open
        assertThat(JvmSockets.udp()).as("this JVM's UDP sockets")
                .anyMatch(a -> a.startsWith(after.getHostAddress() + ":"))
                .allMatch(a -> a.startsWith(before.getHostAddress() + ":") || a.startsWith(after.getHostAddress() + ":")
                        || a.startsWith("127."));
        assertThat(page.history()).noneMatch(e -> e.get("ice").equals("failed"));
        assertThat(page.errors()).isEmpty();
        page.screenshot(LOGS.resolve("sample-page-address-change-" + offerer + ".png"));
    }

    /**
     * The browser's checks of the selected pair are answered, and the service's checks reach the
     * browser, more than once from now on: ICE traffic in both directions over the pair.
     */
    private static void trafficFlowsBothWays(SamplePage page, String when) {
        Map<String, Object> now = page.selected();
        long responses = count(now, "responsesReceived");
        long requests = count(now, "requestsReceived");
        Object address = ((Map<?, ?>) now.get("remote")).get("address");
        Object port = ((Map<?, ?>) now.get("remote")).get("port");
        page.await(TRAFFIC, "checks answered and received on the pair to " + address + ":" + port + " " + when, p -> {
            Map<?, ?> s = p.selected();
            Map<?, ?> remote = (Map<?, ?>) s.get("remote");
            return address.equals(remote.get("address")) && port.equals(remote.get("port"))
                    && count(s, "responsesReceived") >= responses + 2 && count(s, "requestsReceived") >= requests + 2;
        });
    }

    private static InetAddress remoteAddress(SamplePage page) {
        Map<?, ?> selected = page.selected();
        if (selected == null) {
            return null;
        }
        try {
            return InetAddress.getByName((String) ((Map<?, ?>) selected.get("remote")).get("address"));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The service's selected pair's local address, from its {@code selected} message's candidate line. */
    private static String localAddressOfServicePair(SamplePage page) {
        Map<?, ?> selected = (Map<?, ?>) page.service().get("selected");
        return selected == null ? "" : ((String) selected.get("local")).split(" ")[4];
    }

    private static List<InetAddress> serviceCandidateAddresses(SamplePage page) throws Exception {
        List<InetAddress> out = new ArrayList<>();
        for (Object c : (List<?>) page.service().get("candidates")) {
            out.add(InetAddress.getByName(((String) c).split(" ")[4]));
        }
        return out;
    }

    private static long count(Map<?, ?> map, String key) {
        return ((Number) map.get(key)).longValue();
    }
}
