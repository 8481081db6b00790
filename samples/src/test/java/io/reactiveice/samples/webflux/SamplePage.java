package io.reactiveice.samples.webflux;

import io.reactiveice.sdp.DataChannelDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The WebFlux sample's page, driven through its controls, and read through what it keeps in
 * {@code window.reactiveIceSample} (the state history, the selected pair, the service's messages).
 */
final class SamplePage {
    private final WebDriver driver;
    private final String url;

    SamplePage(WebDriver driver, String url) {
        this.driver = driver;
        this.url = url;
    }

    /** Loads the page afresh: a new RTCPeerConnection and a new signalling connection follow. */
    SamplePage open() {
        driver.get(url);
        return this;
    }

    /** Chooses the service's agent and who offers, then presses Connect. */
    void connect(String mode, String offerer) {
        new Select(driver.findElement(By.id("mode"))).selectByValue(mode);
        new Select(driver.findElement(By.id("offerer"))).selectByValue(offerer);
        driver.findElement(By.id("connect")).click();
    }

    void pressRestart() {
        driver.findElement(By.id("restart")).click();
    }

    void pressClose() {
        driver.findElement(By.id("close")).click();
    }

    /** Waits until the browser's {@code iceConnectionState} is this one; fails with the page's record after the timeout. */
    void awaitIceState(String state, Duration timeout) {
        await(timeout, "iceConnectionState " + state, page -> state.equals(page.iceState()));
    }

    /** Waits, polling the page, until the condition holds. */
    void await(Duration timeout, String what, Predicate<SamplePage> condition) {
        try {
            new WebDriverWait(driver, timeout, Duration.ofMillis(100)).until(d -> condition.test(this));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page did not reach " + what + " in " + timeout + ":\n" + report(), e);
        }
    }

    String iceState() {
        return (String) script("return reactiveIceSample.pc && reactiveIceSample.pc.iceConnectionState");
    }

    /** Every state change, oldest first: {@code t} (the page's clock, ms), {@code ice}, {@code connection}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> history() {
        return (List<Map<String, Object>>) script("return reactiveIceSample.history");
    }

    /** The browser's selected pair from getStats: {@code local} and {@code remote} (type, address, port) and counters. */
    @SuppressWarnings("unchecked")
    Map<String, Object> selected() {
        return (Map<String, Object>) script("return reactiveIceSample.selected");
    }

    /** What the service said: {@code modes}, {@code agent}, {@code state}, {@code states}, {@code selected}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> service() {
        return (Map<String, Object>) script("return reactiveIceSample.service");
    }

    /**
     * The service's pair table as the page shows it, best pair first: per row {@code selected} (a
     * Boolean) and the text of each cell by its field ({@code local}, {@code remote}, {@code state},
     * {@code nominated}, {@code rtt}, {@code requests}, {@code responses}, {@code consent},
     * {@code packets}, {@code bytes}; the counts as "sent / received").
     */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> pairTable() {
        return (List<Map<String, Object>>) script("return [...document.querySelectorAll('#pairs tbody tr')].map(tr =>"
                + " Object.assign({selected: tr.className === 'selected'},"
                + " Object.fromEntries([...tr.querySelectorAll('[data-field]')].map(e => [e.dataset.field, e.textContent]))))");
    }

    /**
     * The selected pair counted at both ends, read together: {@code service} and {@code browser} (their
     * requests and responses sent and received; the service's consent checks and retransmissions
     * apart), {@code browserSelected}, {@code serviceTimestamp}, {@code browserTimestamp} and {@code pageMs} (from
     * the service's snapshot arriving to the browser's read); {@code null} before the first.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> agreement() {
        return (Map<String, Object>) script("return reactiveIceSample.agreement");
    }

    @SuppressWarnings("unchecked")
    List<String> candidates() {
        return (List<String>) script("return reactiveIceSample.candidates");
    }

    @SuppressWarnings("unchecked")
    List<String> errors() {
        return (List<String>) script("return reactiveIceSample.errors");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rtt() {
        return (List<Map<String, Object>>) script("return reactiveIceSample.rtt");
    }

    /** The ICE restarts the service made on its own, oldest first: {@code t}, {@code reason}, {@code ufrag}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> serviceRestarts() {
        return (List<Map<String, Object>>) script("return reactiveIceSample.serviceRestarts");
    }

    /** Each time the browser connected again after such a restart: {@code t}, {@code ms} after it, {@code pair}. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> recoveries() {
        return (List<Map<String, Object>>) script("return reactiveIceSample.recoveries");
    }

    /** How many offers and answers the page made: {@code offers}, {@code answers}. */
    long count(String what) {
        return ((Number) script("return reactiveIceSample." + what)).longValue();
    }

    /** The page's log as people see it, oldest line first. */
    @SuppressWarnings("unchecked")
    List<String> log() {
        return (List<String>) script("return [...document.querySelectorAll('#log li')].map(li => li.textContent).reverse()");
    }

    /** The page's clock, {@code performance.now()}, in milliseconds. */
    double now() {
        return ((Number) script("return performance.now()")).doubleValue();
    }

    /** The remote description, read with the library: the service's ICE parameters as the browser holds them. */
    DataChannelDescription remoteDescription() {
        return DataChannelDescription.parse((String) script("return reactiveIceSample.pc.remoteDescription.sdp"));
    }

    DataChannelDescription localDescription() {
        return DataChannelDescription.parse((String) script("return reactiveIceSample.pc.localDescription.sdp"));
    }

    /** A picture of the page, for people. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        driver.manage().window().setSize(new Dimension(1000, 1400));
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** Everything the page recorded, for failure messages. */
    String report() {
        Object all = script("const s = reactiveIceSample; return JSON.stringify({history: s.history, "
                + "service: s.service, selected: s.selected, candidates: s.candidates, errors: s.errors, "
                + "serviceRestarts: s.serviceRestarts, recoveries: s.recoveries, agreement: s.agreement, "
                + "log: [...document.querySelectorAll('#log li')].slice(0, 40).map(li => li.textContent)}, null, 1)");
        return Objects.toString(all);
    }

    private Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }
}
