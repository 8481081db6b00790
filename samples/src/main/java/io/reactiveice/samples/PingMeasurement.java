package io.reactiveice.samples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The {@code --send N} measurement of the peer protocol: {@code labwarm <n>} probes every 50 ms until
 * one comes back (the remote may not be connected yet), then N {@code labping <seq> <nanoTime>}
 * datagrams padded with {@code .}, then a bounded wait for their echoes. Round-trip times are taken
 * in this process from {@link System#nanoTime()}; every timer runs on the given scheduler.
 */
final class PingMeasurement {
    private static final Logger log = LoggerFactory.getLogger(PingMeasurement.class);
    private static final Duration PROBE_PERIOD = Duration.ofMillis(50);
    private static final String WARM = "labwarm ";
    private static final String PING = "labping ";

    /**
     * The {@code stats} line; the times in milliseconds, {@code null} where nothing was measured.
     *
     * @param sent pings sent
     * @param received distinct pings echoed
     * @param loss the fraction lost
     * @param warmupMs from the first probe to the first echoed probe, or {@code null} if none came back
     * @param rttMin the fastest round trip
     * @param rttMedian the median (nearest rank)
     * @param rttP90 the 90th percentile (nearest rank)
     * @param rttMax the slowest
     */
    record Stats(int sent, int received, double loss, Double warmupMs, Double rttMin, Double rttMedian, Double rttP90,
            Double rttMax) {
    }

    private final int count;
    private final int size;
    private final Duration interval;
    private final Duration waitTime;
    private final Consumer<byte[]> sender;
    private final Scheduler scheduler;
    private final Sinks.One<Long> warmedUp = Sinks.one();
    private final Sinks.Empty<Void> allEchoed = Sinks.empty();
    private final BitSet echoed = new BitSet(); // guarded by this
    private final List<Long> rttNanos = new ArrayList<>(); // guarded by this

    /**
     * A measurement.
     *
     * @param options {@code --send}, {@code --size}, {@code --interval} and {@code --wait}
     * @param sender sends one datagram over the selected pair
     * @param scheduler runs the probe and ping timers
     */
    PingMeasurement(PeerOptions options, Consumer<byte[]> sender, Scheduler scheduler) {
        if (options.send() < 1) {
            throw new IllegalArgumentException("send must be at least 1 but was " + options.send());
        }
        this.count = options.send();
        this.size = options.size();
        this.interval = options.interval();
        this.waitTime = options.waitTime();
        this.sender = sender;
        this.scheduler = scheduler;
    }

    /** Whether a datagram is one of the measurement's probes or pings (an echo must not print it). */
    static boolean isProbe(byte[] payload) {
        return startsWith(payload, WARM) || startsWith(payload, PING);
    }

    /** Warms up, pings, waits for the echoes; gives the stats. */
    Mono<Stats> run() {
        return warmUp().map(Optional::of).defaultIfEmpty(Optional.empty())
                .flatMap(warm -> pings().then(echoes()).then(Mono.fromCallable(() -> stats(warm.orElse(null)))));
    }

    private Mono<Double> warmUp() {
        return Mono.defer(() -> {
            long start = System.nanoTime();
            Disposable probes = Flux.interval(Duration.ZERO, PROBE_PERIOD, scheduler)
                    .subscribe(n -> sender.accept((WARM + n).getBytes(StandardCharsets.US_ASCII)));
            return warmedUp.asMono()
                    .timeout(waitTime, scheduler)
                    .map(at -> (at - start) / 1e6)
                    .onErrorResume(TimeoutException.class, e -> {
                        log.warn("no warm-up probe came back within {} ms; sending the pings anyway",
                                waitTime.toMillis());
                        return Mono.empty();
                    })
                    .doFinally(signal -> probes.dispose());
        });
    }

    private Mono<Void> pings() {
        Flux<Long> ticks = interval.isZero() ? Flux.range(0, count).map(Integer::longValue)
                : Flux.interval(Duration.ZERO, interval, scheduler).take(count);
        return ticks.doOnNext(seq -> sender.accept(ping(seq))).then();
    }

    private Mono<Void> echoes() {
        return allEchoed.asMono().timeout(waitTime, scheduler)
                .onErrorResume(TimeoutException.class, e -> Mono.empty());
    }

    private byte[] ping(long seq) {
        StringBuilder text = new StringBuilder(size).append(PING).append(seq).append(' ').append(System.nanoTime())
                .append(' ');
        while (text.length() < size) {
            text.append('.');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A datagram came back over ICE.
     *
     * @param payload its bytes
     * @return whether it was a probe or ping of this measurement (and so not application data)
     */
    boolean onReceived(byte[] payload) {
        long now = System.nanoTime();
        if (startsWith(payload, WARM)) {
            warmedUp.tryEmitValue(now);
            return true;
        }
        if (!startsWith(payload, PING)) {
            return false;
        }
        String[] fields = new String(payload, StandardCharsets.US_ASCII).split(" ", 4);
        try {
            int seq = Integer.parseInt(fields[1]);
            long sentAt = Long.parseLong(fields[2]);
            record(seq, now - sentAt);
        } catch (RuntimeException malformed) {
            log.debug("ignoring a malformed ping echo");
        }
        return true;
    }

    private synchronized void record(int seq, long rtt) {
        if (seq < 0 || seq >= count || echoed.get(seq)) {
            return;
        }
        echoed.set(seq);
        rttNanos.add(rtt);
        if (echoed.cardinality() == count) {
            allEchoed.tryEmitEmpty();
        }
    }

    private synchronized Stats stats(Double warmupMs) {
        int received = echoed.cardinality();
        List<Long> sorted = new ArrayList<>(rttNanos);
        Collections.sort(sorted);
        return new Stats(count, received, PeerOutput.round((count - received) / (double) count, 4),
                warmupMs == null ? null : PeerOutput.round(warmupMs, 2),
                rank(sorted, 0), rank(sorted, 50), rank(sorted, 90), rank(sorted, 100));
    }

    /** The nearest-rank percentile in milliseconds (0 for the minimum), or {@code null} for no samples. */
    private static Double rank(List<Long> sorted, int percent) {
        if (sorted.isEmpty()) {
            return null;
        }
        int index = Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1);
        return PeerOutput.round(sorted.get(index) / 1e6, 3);
    }

    private static boolean startsWith(byte[] payload, String prefix) {
        if (payload.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (payload[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
