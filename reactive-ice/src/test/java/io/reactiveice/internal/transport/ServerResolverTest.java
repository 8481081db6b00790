package io.reactiveice.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** The one resolver of STUN and TURN server hosts (RFC 8489 section 8, RFC 8656 section 3.1). */
class ServerResolverTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Tasks the scheduler was given, run only when the test says. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Scheduler held = Schedulers.fromExecutor(tasks::add);

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void anIpLiteralResolvesAtOnceWithoutTheSchedulerOrALookup() {
        ServerResolver resolver = new ServerResolver(held, host -> {
            throw new AssertionError("looked up " + host);
        });
        StepVerifier.create(resolver.resolve("192.0.2.1", 3478))
                .expectNext(new InetSocketAddress("192.0.2.1", 3478))
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(resolver.resolve("2001:db8::1", 5349))
                .expectNext(new InetSocketAddress("2001:db8::1", 5349))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(tasks).isEmpty();
    }

    @Test
    void aNameIsLookedUpOnTheGivenSchedulerNotOnTheSubscribersThread() throws Exception {
        AtomicReference<Thread> lookedUpOn = new AtomicReference<>();
        InetAddress address = ip("192.0.2.7");
        ServerResolver resolver = new ServerResolver(held, host -> {
            lookedUpOn.set(Thread.currentThread());
            return new InetAddress[] {address};
        });
        AtomicReference<InetSocketAddress> resolved = new AtomicReference<>();
        resolver.resolve("turn.example.test", 3478).subscribe(resolved::set);
        assertThat(lookedUpOn).hasValue(null);
        assertThat(resolved).hasValue(null);
        assertThat(tasks).hasSize(1);

        Thread runner = new Thread(() -> tasks.poll().run(), "the-scheduler");
        runner.start();
        runner.join(TIMEOUT.toMillis());
        assertThat(lookedUpOn.get()).isSameAs(runner);
        assertThat(resolved).hasValue(new InetSocketAddress(address, 3478));
    }

    @Test
    void ofANamesAddressesTheFirstInTheResolversOrderIsTaken() throws Exception {
        InetAddress v6 = ip("2001:db8::7");
        InetAddress v4 = ip("192.0.2.7");
        ServerResolver resolver = new ServerResolver(Schedulers.immediate(), host -> new InetAddress[] {v6, v4});
        StepVerifier.create(resolver.resolve("dual.example.test", 3478))
                .expectNext(new InetSocketAddress(v6, 3478))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void aNameWithoutAnAddressIsATypedErrorThatNamesTheHost() {
        UnknownHostException cause = new UnknownHostException("nowhere.example.test: Name or service not known");
        ServerResolver resolver = new ServerResolver(Schedulers.immediate(), host -> {
            throw cause;
        });
        StepVerifier.create(resolver.resolve("nowhere.example.test", 3478))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(ServerResolver.UnresolvedServerException.class)
                        .isInstanceOf(UnknownHostException.class)
                        .hasMessageContaining("nowhere.example.test")
                        .hasCause(cause)
                        .extracting(x -> ((ServerResolver.UnresolvedServerException) x).host())
                        .isEqualTo("nowhere.example.test"))
                .verify(TIMEOUT);

        ServerResolver empty = new ServerResolver(Schedulers.immediate(), host -> new InetAddress[0]);
        StepVerifier.create(empty.resolve("empty.example.test", 3478))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(ServerResolver.UnresolvedServerException.class)
                        .hasMessageContaining("empty.example.test"))
                .verify(TIMEOUT);
    }

    @Test
    void theSystemResolverIsTheDefaultLookup() {
        StepVerifier.create(ServerResolver.on(Schedulers.boundedElastic()).resolve("localhost", 3478))
                .assertNext(a -> {
                    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
                    assertThat(a.getPort()).isEqualTo(3478);
                })
                .expectComplete()
                .verify(TIMEOUT);
    }
}
