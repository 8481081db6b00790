package io.reactiveice.transport;

import io.netty.channel.ChannelOption;
import io.reactiveice.internal.transport.SourceRateLimiter;
import io.reactiveice.stun.BindingResponder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.udp.UdpServer;

/**
 * The immutable configuration of an embedded STUN server: a Binding responder over Reactor Netty
 * UDP, IPv4 or IPv6 (RFC 8489 section 6.3). One line starts it:
 *
 * <pre>{@code
 * StunServerHandle server = StunServer.create().bindAddress(new InetSocketAddress("127.0.0.1", 0)).bindNow();
 * }</pre>
 *
 * It answers Binding requests with XOR-MAPPED-ADDRESS and FINGERPRINT, answers 400/401/420 where
 * RFC 8489 says so, and drops and counts everything else without stopping; see
 * {@link BindingResponder}. Error answers, which go to senders nobody authenticated, are short
 * (never larger than the success answer to a bare Binding request with the default SOFTWARE,
 * {@link BindingResponder#errorAnswerBound}, also when SOFTWARE is off) and rate limited per source IP with a
 * {@link SourceRateLimiter}, as the shared port limits unknown sources: 100 per second with bursts
 * of 200 by default, over at most 100,000 tracked sources. The socket asks for a receive buffer of
 * {@link #DEFAULT_RECEIVE_BUFFER}.
 */
public final class StunServer {
    /**
     * The receive buffer a server asks for unless told otherwise, 4 MiB, the same as
     * {@code SharedUdpPort.DEFAULT_RECEIVE_BUFFER}: at 20,000 requests per second the Linux default
     * of 208 KiB overflowed (6% dropped, {@code RcvbufErrors}). Linux caps it at
     * {@code net.core.rmem_max} without complaint; raise that on a busy server.
     */
    public static final int DEFAULT_RECEIVE_BUFFER = 4 << 20;
    private static final int MAX_RATE_LIMITED_SOURCES = 100_000;

    private final InetSocketAddress bindAddress;
    private final String software;
    private final String username;
    private final String password;
    private final int receiveBuffer;
    private final double errorsPerSecond;
    private final double errorBurst;
    private final Scheduler clock;

    private StunServer(InetSocketAddress bindAddress, String software, String username, String password,
            int receiveBuffer, double errorsPerSecond, double errorBurst, Scheduler clock) {
        this.bindAddress = bindAddress;
        this.software = software;
        this.username = username;
        this.password = password;
        this.receiveBuffer = receiveBuffer;
        this.errorsPerSecond = errorsPerSecond;
        this.errorBurst = errorBurst;
        this.clock = clock;
    }

    /**
     * A server on 127.0.0.1, ephemeral port, SOFTWARE "reactive-ice", no authentication, a receive
     * buffer of {@link #DEFAULT_RECEIVE_BUFFER}, error answers limited to 100 per second and source
     * IP with bursts of 200, on the clock of {@link Schedulers#parallel()}.
     */
    public static StunServer create() {
        return new StunServer(new InetSocketAddress("127.0.0.1", 0), BindingResponder.DEFAULT_SOFTWARE, null, null,
                DEFAULT_RECEIVE_BUFFER, 100, 200, Schedulers.parallel());
    }

    /** The address and port to listen on (e.g. {@code [::1]:3478}; port 0 picks one). */
    public StunServer bindAddress(InetSocketAddress bindAddress) {
        return new StunServer(Objects.requireNonNull(bindAddress, "bindAddress"), software, username, password,
                receiveBuffer, errorsPerSecond, errorBurst, clock);
    }

    /**
     * The SOFTWARE attribute of every success response, or {@code null} for none; error answers are
     * bounded the same either way ({@link BindingResponder#errorAnswerBound}), so that turning it off
     * does not silence the 401s and 420s (RFC 8489 section 6.3.1.1).
     */
    public StunServer software(String software) {
        return new StunServer(bindAddress, software, username, password, receiveBuffer, errorsPerSecond, errorBurst,
                clock);
    }

    /**
     * Requires the short-term credential on every request (RFC 8489 section 9.1): USERNAME must be
     * {@code username} and MESSAGE-INTEGRITY must verify under {@code password}.
     */
    public StunServer shortTermCredential(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new StunServer(bindAddress, software, username, password, receiveBuffer, errorsPerSecond, errorBurst,
                clock);
    }

    /**
     * The socket's receive buffer ({@code SO_RCVBUF}), {@link #DEFAULT_RECEIVE_BUFFER} unless set.
     *
     * @param bytes at least 1; Linux grants at most {@code net.core.rmem_max}
     * @return the new configuration
     */
    public StunServer receiveBuffer(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("receiveBuffer must be at least 1 byte but was " + bytes);
        }
        return new StunServer(bindAddress, software, username, password, bytes, errorsPerSecond, errorBurst, clock);
    }

    /**
     * How many error answers (400, 401, 420) each source IP address gets: a token bucket of
     * {@code burst} tokens refilled at {@code perSecond}. Success answers are never limited.
     *
     * @param perSecond error answers per second and source, positive
     * @param burst how many a source may have at once, at least 1
     * @return the new configuration
     */
    public StunServer errorRateLimit(double perSecond, double burst) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("errorRateLimit perSecond must be positive but was " + perSecond);
        }
        if (!(burst >= 1)) {
            throw new IllegalArgumentException("errorRateLimit burst must be at least 1 but was " + burst);
        }
        return new StunServer(bindAddress, software, username, password, receiveBuffer, perSecond, burst, clock);
    }

    /**
     * Whose {@code now} the error rate limit reads: {@link Schedulers#parallel()} unless set (a
     * virtual-time scheduler in tests).
     */
    public StunServer clock(Scheduler clock) {
        return new StunServer(bindAddress, software, username, password, receiveBuffer, errorsPerSecond, errorBurst,
                Objects.requireNonNull(clock, "clock"));
    }

    /** Binds; the server answers once the Mono completes, until the handle is disposed. */
    public Mono<StunServerHandle> bind() {
        return Mono.defer(() -> {
            BindingHandler handler = newHandler();
            return UdpServer.create()
                    .bindAddress(() -> bindAddress)
                    .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                    .handle((in, out) -> out.sendObject(in.receiveObject().mapNotNull(handler)))
                    .bind()
                    .map(connection -> new StunServerHandle(connection, handler.responder()));
        });
    }

    /** Binds and waits up to 10 s; for demos, tests and a service's start-up, never on an event loop. */
    public StunServerHandle bindNow() {
        return bind().block(Duration.ofSeconds(10));
    }

    /** One server's datagram handler: its responder, and its rate limit (used by its one event loop). */
    BindingHandler newHandler() {
        SourceRateLimiter limiter = new SourceRateLimiter(errorsPerSecond, errorBurst, MAX_RATE_LIMITED_SOURCES);
        Scheduler c = clock;
        return new BindingHandler(new BindingResponder(software, username, password,
                source -> limiter.tryAcquire(source.getAddress(), c.now(TimeUnit.NANOSECONDS))));
    }
}
