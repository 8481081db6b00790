package io.reactiveice.samples.webflux;

import io.reactiveice.testing.ExternalProgram;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Debian's Chromium inside a {@link NetworkNamespace}: ChromeDriver runs in the namespace (so every
 * browser it starts does too) and this JVM drives it over the W3C protocol at the namespace's
 * address. Selenium Manager never runs (a remote driver needs none, and the build sets
 * {@code SE_OFFLINE}), and Selenium's tracing is off.
 */
final class NamespacedChromium implements AutoCloseable {
    private static final int PORT = 9515;
    private static final Duration READY = Duration.ofSeconds(30);
    /** The switches every browser of the tests gets, with a fresh profile of its own. */
    private static final List<String> SWITCHES = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");

    private final Process chromedriver;
    private final URI address;
    private final Path logs;
    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    private NamespacedChromium(Process chromedriver, URI address, Path logs) {
        this.chromedriver = chromedriver;
        this.address = address;
        this.logs = logs;
    }

    /**
     * Starts ChromeDriver in the namespace, reachable from the service's address only, and waits
     * until it is ready.
     *
     * @param network the namespace
     * @param logs where ChromeDriver's log goes
     * @return the running driver service
     */
    static NamespacedChromium start(NetworkNamespace network, Path logs) throws IOException {
        ExternalProgram.require("chromium", "chromium");
        Path chromedriver = ExternalProgram.require("chromedriver", "chromium-driver");
        System.setProperty("webdriver.remote.enableTracing", "false");
        Files.createDirectories(logs);
        Process p = network.start(List.of(chromedriver.toString(), "--port=" + PORT,
                "--allowed-ips=" + network.serviceAddress().getHostAddress()), logs.resolve("chromedriver.log"));
        URI address = URI.create("http://" + network.browserAddress().getHostAddress() + ":" + PORT);
        NamespacedChromium chromium = new NamespacedChromium(p, address, logs);
        try {
            chromium.awaitReady();
        } catch (RuntimeException e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    /**
     * A new browser with a fresh profile.
     *
     * @param origin the page's origin, e.g. {@code http://10.213.0.1:8080}: plain HTTP on a private
     *     address, which Chromium is told to treat as secure so that permissions apply to it
     * @param mediaPermission whether camera and microphone are allowed, which makes Chromium
     *     gather every interface's address; without, it gathers only the default route's
     * @param hideLocalIps whether host candidates carry mDNS names rather than addresses (Chromium's
     *     default, which applies only without media permission)
     * @return the driver
     */
    WebDriver open(String origin, boolean mediaPermission, boolean hideLocalIps) throws IOException {
        Path profile = Files.createTempDirectory("reactive-ice-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(SWITCHES);
        options.addArguments("--user-data-dir=" + profile, "--unsafely-treat-insecure-origin-as-secure=" + origin);
        if (!hideLocalIps) {
            options.addArguments("--disable-features=WebRtcHideLocalIpsWithMdns");
        }
        if (mediaPermission) {
            options.setExperimentalOption("prefs", Map.of(
                    "profile.default_content_setting_values.media_stream_mic", 1,
                    "profile.default_content_setting_values.media_stream_camera", 1));
        }
        WebDriver driver = new RemoteWebDriver(address.toURL(), options);
        drivers.add(driver);
        return driver;
    }

    /** Quits every browser, stops ChromeDriver and deletes the profiles. */
    @Override
    public void close() throws IOException {
        for (WebDriver driver : drivers) {
            try {
                driver.quit();
            } catch (RuntimeException e) {
                // the namespace's teardown kills whatever is left
            }
        }
        chromedriver.destroy();
        for (Path profile : profiles) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Polls ChromeDriver's status on a Reactor timer until it says it is ready. */
    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest status = HttpRequest.newBuilder(address.resolve("/status")).timeout(Duration.ofSeconds(2)).build();
        Mono.fromCallable(() -> http.send(status, HttpResponse.BodyHandlers.ofString()).body())
                .filter(body -> body.contains("\"ready\":true"))
                .repeatWhenEmpty(Integer.MAX_VALUE, attempts -> attempts.delayElements(Duration.ofMillis(100)))
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, Duration.ofMillis(100)).filter(e -> chromedriver.isAlive()))
                .timeout(READY)
                .onErrorMap(e -> new AssertionError("ChromeDriver did not get ready in " + READY + " (alive: "
                        + chromedriver.isAlive() + "); see " + logs.resolve("chromedriver.log"), e))
                .block();
    }
}
