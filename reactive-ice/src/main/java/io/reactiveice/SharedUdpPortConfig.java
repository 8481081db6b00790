package io.reactiveice;

import io.netty.channel.ChannelOption;
import io.reactiveice.internal.transport.SourceRateLimiter;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The immutable configuration of a {@link SharedUdpPort} (Reactor Netty style: every call returns a
 * new instance, nothing is bound until the Mono of {@link #bind()} is subscribed). A mistake fails at
 * the call that makes it, with an {@link IceConfigException} naming the setting.
 *
 * <pre>{@code
 * SharedUdpPort.create().bindAddress(new InetSocketAddress("192.0.2.10", 3478)).bind()
 *         .flatMap(port -> IceAgent.create().lite(true).sharedPort(port).start())
 *         .subscribe(session -> ...);
 * }</pre>
 */
public final class SharedUdpPortConfig {
    private static final int MAX_RATE_LIMITED_SOURCES = 100_000;

    private final InetSocketAddress bindAddress;
    private final PacketTransport transport; // null: real UDP with receiveBuffer
    private final Scheduler clock;
    private final double errorsPerSecond;
    private final double errorBurst;
    private final Integer receiveBuffer; // null: SharedUdpPort.DEFAULT_RECEIVE_BUFFER
    private final IceMetrics metrics;

    private SharedUdpPortConfig(InetSocketAddress bindAddress, PacketTransport transport, Scheduler clock,
            double errorsPerSecond, double errorBurst, Integer receiveBuffer) {
        this(bindAddress, transport, clock, errorsPerSecond, errorBurst, receiveBuffer, IceMetrics.NONE);
    }

    private SharedUdpPortConfig(InetSocketAddress bindAddress, PacketTransport transport, Scheduler clock,
            double errorsPerSecond, double errorBurst, Integer receiveBuffer, IceMetrics metrics) {
        this.bindAddress = bindAddress;
        this.transport = transport;
        this.clock = clock;
        this.errorsPerSecond = errorsPerSecond;
        this.errorBurst = errorBurst;
        this.receiveBuffer = receiveBuffer;
        this.metrics = metrics;
    }

    /** The defaults {@link SharedUdpPort#create()} documents. */
    static SharedUdpPortConfig defaults() {
        return new SharedUdpPortConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null,
                Schedulers.parallel(), 100, 200, null);
    }

    /**
     * The address to bind: one interface's address and a port (0 picks one), not the wildcard, for a
     * server; 127.0.0.1 on an ephemeral port unless set.
     */
    public SharedUdpPortConfig bindAddress(InetSocketAddress bindAddress) {
        return new SharedUdpPortConfig(Objects.requireNonNull(bindAddress, "bindAddress"), transport, clock,
                errorsPerSecond, errorBurst, receiveBuffer, metrics);
    }

    /**
     * Where the socket comes from (an in-process network in tests, a tuned Reactor Netty UDP
     * transport in a benchmark); real UDP with {@link #receiveBuffer} unless set.
     *
     * @throws IceConfigException naming {@code transport} if a {@link #receiveBuffer} is set: that
     *     applies to the built-in UDP transport only
     */
    public SharedUdpPortConfig transport(PacketTransport transport) {
        Objects.requireNonNull(transport, "transport");
        if (receiveBuffer != null) {
            throw new IceConfigException("transport", "transport cannot be combined with receiveBuffer "
                    + receiveBuffer + ", which applies to the built-in UDP transport; set SO_RCVBUF in the transport");
        }
        return new SharedUdpPortConfig(bindAddress, transport, clock, errorsPerSecond, errorBurst, receiveBuffer,
                metrics);
    }

    /** Whose {@code now} the rate limit reads: {@link Schedulers#parallel()} unless set (a virtual-time one in tests). */
    public SharedUdpPortConfig clock(Scheduler clock) {
        return new SharedUdpPortConfig(bindAddress, transport, Objects.requireNonNull(clock, "clock"),
                errorsPerSecond, errorBurst, receiveBuffer, metrics);
    }

    /**
     * How many requests each source IP address may send that have a routed ufrag but fail its
     * MESSAGE-INTEGRITY (each of which its session answers with an error): a token bucket of
     * {@code burst} tokens refilled at {@code perSecond}, over at most 100,000 tracked sources;
     * 100 per second with bursts of 200 unless set. Authenticated requests are never limited.
     *
     * @param perSecond such requests per second and source, positive
     * @param burst how many a source may send at once, at least 1
     * @return the new configuration
     * @throws IceConfigException naming {@code errorRateLimit} if either is out of range
     */
    public SharedUdpPortConfig errorRateLimit(double perSecond, double burst) {
        if (!(perSecond > 0)) {
            throw new IceConfigException("errorRateLimit", "errorRateLimit perSecond must be positive but was "
                    + perSecond);
        }
        if (!(burst >= 1)) {
            throw new IceConfigException("errorRateLimit", "errorRateLimit burst must be at least 1 but was " + burst);
        }
        return new SharedUdpPortConfig(bindAddress, transport, clock, perSecond, burst, receiveBuffer, metrics);
    }

    /**
     * The socket's receive buffer ({@code SO_RCVBUF}) on the built-in UDP transport,
     * {@link SharedUdpPort#DEFAULT_RECEIVE_BUFFER} unless set.
     *
     * @param bytes at least 1; Linux grants at most {@code net.core.rmem_max}
     * @return the new configuration
     * @throws IceConfigException naming {@code receiveBuffer} if {@code bytes} is below 1 or a
     *     {@link #transport} is set
     */
    public SharedUdpPortConfig receiveBuffer(int bytes) {
        if (bytes < 1) {
            throw new IceConfigException("receiveBuffer", "receiveBuffer must be at least 1 byte but was " + bytes);
        }
        if (transport != null) {
            throw new IceConfigException("receiveBuffer", "receiveBuffer applies to the built-in UDP transport, but a"
                    + " transport is set; set SO_RCVBUF in that transport");
        }
        return new SharedUdpPortConfig(bindAddress, transport, clock, errorsPerSecond, errorBurst, bytes, metrics);
    }

    /**
     * Where the port reports what it drops, by reason ({@link IceMetrics.PortCounters}: unknown ufrag,
     * rate limited, malformed, unroutable), read from the counts it keeps anyway; {@link IceMetrics#NONE}
     * unless set. The sessions on the port report through {@link IceAgent#metrics} (the same recorder,
     * usually).
     *
     * @param metrics the recorder, e.g. {@code MicrometerIceMetrics.create(registry)}
     * @return the new configuration
     */
    public SharedUdpPortConfig metrics(IceMetrics metrics) {
        return new SharedUdpPortConfig(bindAddress, transport, clock, errorsPerSecond, errorBurst, receiveBuffer,
                Objects.requireNonNull(metrics, "metrics"));
    }

    /** Binds the port; sessions can start on it once the Mono completes, until it is disposed. */
    public Mono<SharedUdpPort> bind() {
        return Mono.defer(() -> SharedUdpPort.bind(bindAddress, transportOrUdp(), clock,
                new SourceRateLimiter(errorsPerSecond, errorBurst, MAX_RATE_LIMITED_SOURCES), metrics));
    }

    private PacketTransport transportOrUdp() {
        if (transport != null) {
            return transport;
        }
        int bytes = receiveBuffer == null ? SharedUdpPort.DEFAULT_RECEIVE_BUFFER : receiveBuffer;
        return PacketTransport.udp(server -> server.option(ChannelOption.SO_RCVBUF, bytes));
    }

    @Override
    public String toString() {
        return "SharedUdpPortConfig[" + bindAddress + (transport == null ? ", udp" : ", " + transport) + "]";
    }
}
