package io.reactiveice.samples.webflux;

import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * The health of one port that every agent of the sample shares ({@code /actuator/health}): UP while it
 * is bound, DOWN once it is closed, with its address, port and sessions, and what it refused, as
 * details. Reading them takes a few counters and never blocks.
 *
 * <p>{@code sessions} is the number of ufrags the port routes: one per session, two for a session in
 * the middle of an ICE restart (its new ufrag and, until the old generation is gone, the one before).
 */
final class SharedPortHealth implements ReactiveHealthIndicator {
    private final Disposable port;
    private final InetSocketAddress address;
    private final Supplier<Map<String, Object>> counts;

    private SharedPortHealth(Disposable port, InetSocketAddress address, Supplier<Map<String, Object>> counts) {
        this.port = Objects.requireNonNull(port, "port");
        this.address = Objects.requireNonNull(address, "address");
        this.counts = counts;
    }

    /** The shared UDP port: sessions, and the datagrams dropped for an unknown ufrag, a rate limit, no route. */
    static SharedPortHealth of(SharedUdpPort port) {
        return new SharedPortHealth(port, port.localAddress(), () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessions", port.routedUfrags());
            m.put("routedRemotes", port.routedRemotes());
            m.put("authenticated", port.authenticated());
            m.put("unknownUfrag", port.unknownUfrag());
            m.put("rateLimited", port.rateLimited());
            m.put("unroutable", port.unroutable());
            return m;
        });
    }

    /** The shared TCP port (RFC 6544): sessions, open connections, and the connections it closed unrouted. */
    static SharedPortHealth of(SharedTcpPort port) {
        return new SharedPortHealth(port, port.localAddress(), () -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sessions", port.routedUfrags());
            m.put("openConnections", port.openConnections());
            m.put("authenticated", port.authenticated());
            m.put("unknownUfrag", port.unknownUfrag());
            m.put("unauthenticated", port.unauthenticated());
            m.put("timedOut", port.timedOut());
            m.put("oversize", port.oversize());
            m.put("refused", port.refused());
            return m;
        });
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            Health.Builder h = port.isDisposed() ? Health.down() : Health.up();
            h.withDetail("address", address.getAddress().getHostAddress()).withDetail("port", address.getPort());
            return h.withDetails(counts.get()).build();
        });
    }
}
