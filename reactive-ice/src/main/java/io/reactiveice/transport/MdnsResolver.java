package io.reactiveice.transport;

import io.reactiveice.internal.gather.MdnsMessages;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Resolves the {@code .local} names of mDNS ICE candidates
 * (<a href="https://datatracker.ietf.org/doc/draft-ietf-mmusic-mdns-ice-candidates/">draft-ietf-mmusic-mdns-ice-candidates</a>)
 * with multicast DNS queries (RFC 6762) sent from port 5353 through one chosen interface only, with
 * TTL 255, taking the answer whether it comes by multicast or unicast (Chromium's responder answers
 * queries from port 5353 only, by multicast). Each resolution is bounded in time and ends empty when
 * nobody answers. IPv4 only.
 */
public final class MdnsResolver {
    private final InetAddress interfaceAddress;
    private final Duration timeout;
    private final Scheduler scheduler;

    private MdnsResolver(InetAddress interfaceAddress, Duration timeout, Scheduler scheduler) {
        this.interfaceAddress = interfaceAddress;
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    /**
     * A resolver whose queries leave through the interface that has this address, and only that one.
     *
     * @param interfaceAddress a local address (e.g. a server's LAN address)
     * @return the resolver, waiting 2 s for an answer
     */
    public static MdnsResolver on(InetAddress interfaceAddress) {
        if (!(Objects.requireNonNull(interfaceAddress, "interfaceAddress") instanceof Inet4Address)) {
            throw new IllegalArgumentException("interfaceAddress must be IPv4 but was " + interfaceAddress);
        }
        return new MdnsResolver(Objects.requireNonNull(interfaceAddress, "interfaceAddress"), Duration.ofSeconds(2),
                Schedulers.parallel());
    }

    /** How long to wait for an answer (default 2 s). */
    public MdnsResolver timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
        return new MdnsResolver(interfaceAddress, timeout, scheduler);
    }

    /** The scheduler of the timeout (a virtual-time one in tests). */
    public MdnsResolver scheduler(Scheduler scheduler) {
        return new MdnsResolver(interfaceAddress, timeout, Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** The local address whose interface queries leave through. */
    public InetAddress interfaceAddress() {
        return interfaceAddress;
    }

    /**
     * Resolves a name to the first address of its family that an answer gives.
     *
     * @param name a {@code .local} name
     * @return the address, or empty when nobody answered in time
     */
    public Mono<InetAddress> resolve(String name) {
        if (!MdnsMessages.isMdnsName(name)) {
            return Mono.error(new IllegalArgumentException("not an mDNS name: " + name));
        }
        return Mono.defer(() -> {
            NetworkInterface nif = LocalInterfaces.of(interfaceAddress);
            Sinks.One<InetAddress> found = Sinks.one();
            return MdnsSocket.open(nif, (bytes, sender) -> MdnsMessages.addresses(bytes, bytes.length, name)
                            .stream().filter(a -> a instanceof Inet4Address).findFirst()
                            .ifPresent(found::tryEmitValue))
                    .flatMap(socket -> {
                        socket.send(MdnsMessages.query(0, name, MdnsMessages.TYPE_A), MdnsSocket.GROUP);
                        return found.asMono()
                                .timeout(timeout, Mono.empty(), scheduler)
                                .doFinally(signal -> socket.dispose());
                    });
        });
    }

    @Override
    public String toString() {
        return "MdnsResolver[" + interfaceAddress.getHostAddress() + ", " + timeout + "]";
    }
}
