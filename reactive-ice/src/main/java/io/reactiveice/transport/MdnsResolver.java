package io.reactiveice.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.reactiveice.gather.MdnsMessages;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Resolves the {@code .local} names of mDNS ICE candidates
 * (<a href="https://datatracker.ietf.org/doc/draft-ietf-mmusic-mdns-ice-candidates/">draft-ietf-mmusic-mdns-ice-candidates</a>)
 * with one-shot multicast DNS queries (RFC 6762 section 5.1) sent through one chosen interface only,
 * with TTL 255, from a socket of its own; responders answer such a query by unicast to that socket.
 * Each resolution is bounded in time and ends empty when nobody answers.
 */
public final class MdnsResolver {
    private static final String GROUP_V4 = "224.0.0.251";
    private static final String GROUP_V6 = "ff02::fb";

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
            boolean v6 = interfaceAddress instanceof Inet6Address;
            int id = ThreadLocalRandom.current().nextInt(1, 0x10000);
            Sinks.One<InetAddress> found = Sinks.one();
            PacketTransport transport = PacketTransport.udp(server -> server
                    .option(ChannelOption.IP_MULTICAST_IF, nif)
                    .option(ChannelOption.IP_MULTICAST_TTL, 255));
            return transport.bind(new InetSocketAddress(interfaceAddress, 0), (data, sender) -> {
                byte[] bytes = ByteBufUtil.getBytes(data);
                List<InetAddress> addresses = MdnsMessages.addresses(bytes, bytes.length, name);
                addresses.stream().filter(a -> a instanceof Inet6Address == v6).findFirst()
                        .or(() -> addresses.stream().findFirst())
                        .ifPresent(found::tryEmitValue);
            }).flatMap(socket -> {
                InetSocketAddress group = new InetSocketAddress(v6 ? GROUP_V6 : GROUP_V4, MdnsMessages.PORT);
                socket.send(Unpooled.wrappedBuffer(MdnsMessages.query(id, name,
                        v6 ? MdnsMessages.TYPE_AAAA : MdnsMessages.TYPE_A)), group);
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
