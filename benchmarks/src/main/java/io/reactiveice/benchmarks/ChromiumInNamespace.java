package io.reactiveice.benchmarks;

import io.reactiveice.testing.ExternalProgram;
import io.reactiveice.testing.NetworkNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Debian's headless Chromium inside a {@link NetworkNamespace}, as the samples' browser tests run it
 * ({@code NamespacedChromium}): Debian's ChromeDriver is started inside the namespace (so the browser
 * it starts is too), accepts connections from the namespace's host end only, and this JVM drives it
 * over the W3C protocol with Selenium's remote client, which needs no Selenium Manager (the module
 * does not even ship it). The browser gets the tests' switches (no downloads, no background
 * networking), a fresh profile, host candidates with addresses rather than mDNS names, and media
 * permission, under which Chromium gathers every interface's address instead of the default route's
 * only (the namespace has no default route).
 */
final class ChromiumInNamespace implements AutoCloseable {
    private static final int PORT = 9515;
    private static final Duration READY = Duration.ofSeconds(30);
    private static final List<String> SWITCHES = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-features=WebRtcHideLocalIpsWithMdns");

    private final Process chromedriver;
    private final Path profile;
    private WebDriver driver;

    private ChromiumInNamespace(Process chromedriver, Path profile) {
        this.chromedriver = chromedriver;
        this.profile = profile;
    }

    /**
     * Starts ChromeDriver in the namespace and one browser whose pages may come from {@code origin}.
     *
     * @param network the namespace: ChromeDriver listens on its end, for its host end only
     * @param origin the page's origin (plain HTTP on a lab address, treated as secure)
     * @param log where ChromeDriver's output goes
     * @return the browser, to be closed
     */
    static ChromiumInNamespace start(NetworkNamespace network, String origin, Path log) throws IOException,
            InterruptedException {
        ExternalProgram.require("chromium", "chromium");
        Path chromedriver = ExternalProgram.require("chromedriver", "chromium-driver");
        System.setProperty("webdriver.remote.enableTracing", "false");
        Process p = new ProcessBuilder(network.exec(chromedriver.toString(), "--port=" + PORT,
                "--allowed-ips=" + network.hostAddress().getHostAddress()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChromiumInNamespace chromium = new ChromiumInNamespace(p, Files.createTempDirectory("reactive-ice-bench-chromium-"));
        try {
            URI address = URI.create("http://" + network.peerAddress().getHostAddress() + ":" + PORT);
            chromium.awaitReady(address, log);
            ChromeOptions options = new ChromeOptions();
            options.setBinary("/usr/bin/chromium");
            options.addArguments(SWITCHES);
            options.addArguments("--user-data-dir=" + chromium.profile, "--unsafely-treat-insecure-origin-as-secure="
                    + origin);
            options.setExperimentalOption("prefs", Map.of(
                    "profile.default_content_setting_values.media_stream_mic", 1,
                    "profile.default_content_setting_values.media_stream_camera", 1));
            chromium.driver = new RemoteWebDriver(new URL(address.toString()), options);
        } catch (IOException | InterruptedException | RuntimeException e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    WebDriver driver() {
        return driver;
    }

    /** Quits the browser, ends ChromeDriver and whatever it left (its own descendants, by handle), deletes the profile. */
    @Override
    public void close() throws IOException {
        try {
            if (driver != null) {
                driver.quit();
            }
        } catch (RuntimeException e) {
            // the browser's processes are ended below
        }
        List<ProcessHandle> left = chromedriver.descendants().toList();
        chromedriver.destroy();
        left.forEach(ProcessHandle::destroy);
        try {
            if (!chromedriver.waitFor(10, TimeUnit.SECONDS)) {
                chromedriver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        left.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** Polls ChromeDriver's status until it says it is ready. */
    private void awaitReady(URI address, Path log) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest status = HttpRequest.newBuilder(address.resolve("/status")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline && chromedriver.isAlive()) {
            try {
                if (http.send(status, HttpResponse.BodyHandlers.ofString()).body().contains("\"ready\":true")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("ChromeDriver did not get ready in " + READY + " (alive: "
                + chromedriver.isAlive() + "); see " + log);
    }
}
