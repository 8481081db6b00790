package io.reactiveice.transport;

import io.reactiveice.stun.RetransmissionSchedule;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.udp.UdpServer;

/**
 * The immutable configuration of a STUN client over UDP (Reactor Netty style: every call returns a
 * new instance, nothing happens until {@link #bind()} is subscribed).
 *
 * <pre>{@code
 * StunClient.create().bindAddress(new InetSocketAddress("127.0.0.1", 0))
 *         .bind()
 *         .flatMap(client -> client.binding(server).doFinally(s -> client.dispose()))
 *         .subscribe(result -> log.info("reflexive address {}", result.mappedAddress()));
 * }</pre>
 */
public final class StunClient {
    private final InetSocketAddress bindAddress;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final RetransmissionSchedule schedule;
    private final String software;

    private StunClient(InetSocketAddress bindAddress, Scheduler scheduler, RandomGenerator random,
            RetransmissionSchedule schedule, String software) {
        this.bindAddress = bindAddress;
        this.scheduler = scheduler;
        this.random = random;
        this.schedule = schedule;
        this.software = software;
    }

    /** A client bound to 127.0.0.1 on an ephemeral port, RFC 8489 timing, a secure random source. */
    public static StunClient create() {
        return new StunClient(new InetSocketAddress("127.0.0.1", 0), Schedulers.parallel(), new SecureRandom(),
                RetransmissionSchedule.UDP_DEFAULT, null);
    }

    /** The local address and port to bind (port 0 picks one). */
    public StunClient bindAddress(InetSocketAddress bindAddress) {
        return new StunClient(Objects.requireNonNull(bindAddress, "bindAddress"), scheduler, random, schedule, software);
    }

    /** The scheduler every retransmission timer runs on (a virtual-time one in tests). */
    public StunClient scheduler(Scheduler scheduler) {
        return new StunClient(bindAddress, Objects.requireNonNull(scheduler, "scheduler"), random, schedule, software);
    }

    /** The source of transaction ids (a seeded one in tests). */
    public StunClient random(RandomGenerator random) {
        return new StunClient(bindAddress, scheduler, Objects.requireNonNull(random, "random"), schedule, software);
    }

    /** The retransmission schedule (RFC 8489's defaults unless set). */
    public StunClient schedule(RetransmissionSchedule schedule) {
        return new StunClient(bindAddress, scheduler, random, Objects.requireNonNull(schedule, "schedule"), software);
    }

    /** A SOFTWARE attribute for every request, or {@code null} for none. */
    public StunClient software(String software) {
        if (software != null && software.length() >= 128) {
            throw new IllegalArgumentException("software must be fewer than 128 characters but was " + software.length());
        }
        return new StunClient(bindAddress, scheduler, random, schedule, software);
    }

    /** Binds the socket; the connection is ready when the Mono completes. */
    public Mono<StunClientConnection> bind() {
        return Mono.defer(() -> {
            StunClientConnection client = new StunClientConnection(scheduler, random, schedule, software);
            return UdpServer.create()
                    .bindAddress(() -> bindAddress)
                    .handle((in, out) -> in.receiveObject().doOnNext(client::onDatagram).then())
                    .bind()
                    .map(connection -> client.attach(connection));
        });
    }
}
