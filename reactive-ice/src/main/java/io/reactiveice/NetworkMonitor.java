package io.reactiveice;

import io.reactiveice.candidate.HostAddressPolicy;
import io.reactiveice.internal.gather.AddressDiff;
import io.reactiveice.internal.gather.HostAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Watches the set of usable local addresses (issue 13: networks change under a live session), so
 * that sessions gather on an address that appears and drop the candidates of one that disappears.
 * One monitor serves any number of sessions: it enumerates once per interval, diffs once, and hands
 * its subscribers only the changes, so an unchanged poll costs nothing per session.
 *
 * <p>{@link #system} is the monitor an {@link IceAgent} uses by default: the interfaces enumerated with
 * the agent's {@link HostAddressPolicy} (the filters gathering uses) every interval, timed on the
 * agent's scheduler and enumerated on {@link Schedulers#boundedElastic()} ({@code NetworkInterface}
 * enumeration blocks), one per JVM for each policy, interval and scheduler. {@link #of} makes one from
 * any source of address sets, the seam tests use to change addresses without touching interfaces;
 * {@link #polling} polls any blocking source.
 *
 * <p>A monitor runs only while subscribed: the first subscriber starts the polling, the last one to
 * leave stops it.
 */
public final class NetworkMonitor {
    private static final Logger log = LoggerFactory.getLogger(NetworkMonitor.class);
    private static final Map<Key, NetworkMonitor> SYSTEM = new ConcurrentHashMap<>();

    private record Key(HostAddressPolicy policy, Duration interval, Scheduler scheduler) {
    }

    /**
     * A change of the usable local addresses.
     *
     * @param addresses every usable address now, best first (RFC 8421 order): the order of the local
     *     preferences of candidates gathered on the appeared ones
     * @param appeared the addresses that were not there before (on the monitor's first enumeration, every
     *     address)
     * @param disappeared the addresses that are gone
     */
    public record Change(List<InetAddress> addresses, List<InetAddress> appeared, List<InetAddress> disappeared) {
        /** Copies the lists. */
        public Change {
            addresses = List.copyOf(addresses);
            appeared = List.copyOf(appeared);
            disappeared = List.copyOf(disappeared);
        }
    }

    private final Flux<Change> changes;

    private NetworkMonitor(Publisher<List<InetAddress>> sets) {
        // one diff per connection: the first subscriber after an idle spell starts from scratch
        this.changes = Flux.defer(() -> {
            AddressDiff diff = new AddressDiff();
            return Flux.from(sets).<Change>handle((set, sink) -> {
                if (diff.next(set)) {
                    sink.next(new Change(diff.current(), diff.appeared(), diff.disappeared()));
                }
            });
        }).replay(1).refCount();
    }

    /**
     * A monitor of the addresses that {@code addressSets} emits, each emission the whole set now, best
     * first: consecutive equal sets are one. E.g. a {@code Sinks.many().replay().latest()} that a test
     * feeds.
     */
    public static NetworkMonitor of(Publisher<List<InetAddress>> addressSets) {
        return new NetworkMonitor(Objects.requireNonNull(addressSets, "addressSets"));
    }

    /**
     * A monitor that calls {@code source} at once and then every {@code interval}, timed on
     * {@code timer} and called on {@code blocking}; a poll still running when the next is due makes
     * that one skipped, and a failed poll is logged and skipped.
     */
    public static NetworkMonitor polling(Callable<List<InetAddress>> source, Duration interval, Scheduler timer,
            Scheduler blocking) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timer, "timer");
        Objects.requireNonNull(blocking, "blocking");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive but was " + interval);
        }
        return new NetworkMonitor(Flux.interval(Duration.ZERO, interval, timer)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(source).subscribeOn(blocking).onErrorResume(e -> {
                    log.warn("network monitor: the local addresses could not be listed: {}", e.toString());
                    return Mono.empty();
                }), 1));
    }

    /**
     * The shared monitor of this JVM's interfaces for {@code policy}, polled every {@code interval} on
     * {@code scheduler} (the enumeration itself runs on {@link Schedulers#boundedElastic()}): the same
     * instance for equal arguments, however many agents ask.
     */
    public static NetworkMonitor system(HostAddressPolicy policy, Duration interval, Scheduler scheduler) {
        Key key = new Key(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(interval, "interval"),
                Objects.requireNonNull(scheduler, "scheduler"));
        return SYSTEM.computeIfAbsent(key, k -> polling(() -> HostAddresses.enumerate(k.policy()), k.interval(),
                k.scheduler(), Schedulers.boundedElastic()));
    }

    /**
     * The changes: first, once known, the latest one, whose {@link Change#addresses() addresses} are the
     * set now (a subscriber starts from those), then each change as it is seen. Never completes while
     * the source runs; shared between subscribers.
     */
    public Flux<Change> changes() {
        return changes;
    }
}
