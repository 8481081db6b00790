package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The ufrag routes a session holds on {@link SharedUdpPort}s are all or nothing: a restart that one
 * port refuses leaves no new route on another, and nothing routed while a session or one of its
 * views is being disposed outlives the dispose. On an in-process network in virtual time.
 */
class SharedPortRoutingTest {
    private static final long MS = 1_000_000L;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final InMemoryNetwork net = new InMemoryNetwork(clock, MS);
    private final List<Disposable> cleanup = new ArrayList<>();

    @AfterEach
    void dispose() {
        cleanup.forEach(Disposable::dispose);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        clock.dispose();
    }

    /** A random source whose future can be read ahead: a copy draws the same numbers. */
    private static final class Replayable implements RandomGenerator {
        private long state;

        Replayable(long state) {
            this.state = state;
        }

        @Override
        public long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        Replayable copy() {
            return new Replayable(state);
        }
    }

    private SharedUdpPort port(int number) {
        SharedUdpPort p = SharedUdpPort.create().bindAddress(new InetSocketAddress(LOOPBACK, number)).transport(net)
                .clock(clock).errorRateLimit(10, 10).bind()
                .block(Duration.ofSeconds(5));
        cleanup.add(p);
        return p;
    }

    private IceSession start(IceAgent agent) {
        AtomicReference<IceSession> out = new AtomicReference<>();
        agent.start().subscribe(out::set);
        clock.advanceTime();
        assertThat(out.get()).as("session started").isNotNull();
        cleanup.add(out.get());
        return out.get();
    }

    /** A view of {@code port} for {@code session}, as a second host socket of it would be. */
    private static SharedPortSocket view(SharedUdpPort port) {
        return (SharedPortSocket) port.transport(10).bind(port.localAddress(), (data, sender) -> { })
                .block(Duration.ofSeconds(1));
    }

    // RFC 8445 section 9: a restart either routes the new ufrag on every shared port of the session or on none.
    @Test
    void aRestartThatTheLastOfTwoSharedPortsRefusesLeavesTheNewUfragRoutedOnNeither() {
        SharedUdpPort first = port(3478);
        SharedUdpPort second = port(3479);
        Replayable random = new Replayable(11);
        IceSession session = start(IceAgent.create().lite(true).sharedPort(first).scheduler(clock).random(random));
        session.register(view(second));
        List<PacketSocket> order = session.sockets(); // the order the restart routes them in
        assertThat(order).hasSize(2);
        SharedUdpPort last = order.get(1).localAddress().equals(first.localAddress()) ? first : second;
        SharedUdpPort other = last == first ? second : first;
        IceCredentials next = IceCredentials.generate(random.copy()); // what the restart will draw
        start(IceAgent.create().lite(true).sharedPort(last).scheduler(clock).credentials(next)
                .random(new SplittableRandom(2)));
        int routedBefore = other.routedUfrags();

        AtomicReference<Throwable> failed = new AtomicReference<>();
        session.restart().subscribe(c -> { }, failed::set);
        clock.advanceTime();

        assertThat(failed.get()).isInstanceOfSatisfying(IceConfigException.class,
                e -> assertThat(e.field()).isEqualTo("credentials"));
        assertThat(other.routedUfrags()).as("the port routed first forgot the new ufrag").isEqualTo(routedBefore);
        assertThat(session.localCredentials()).isNotEqualTo(next);
        session.dispose();
        clock.advanceTime();
        assertThat(other.routedUfrags()).isZero();
        assertThat(last.routedUfrags()).as("the other session's ufrag").isOne();
    }

    @Test
    void aSharedSocketThatJoinsASessionAfterItWasDisposedIsDisposedAndRoutesNothing() {
        SharedUdpPort port = port(3478);
        IceSession session = start(IceAgent.create().lite(true).sharedPort(port).scheduler(clock)
                .random(new SplittableRandom(1)));
        SharedPortSocket late = view(port);
        session.dispose();
        clock.advanceTime();
        session.register(late); // a bind that completes after the session was disposed

        assertThat(late.isDisposed()).isTrue();
        assertThat(port.routedUfrags()).isZero();
    }

    // A route added while the view is being disposed must not outlive it; the two race on two threads.
    @Test
    void aUfragRoutedWhileItsViewIsDisposedIsNotLeftRouted() throws Exception {
        SharedUdpPort port = port(3478);
        SplittableRandom random = new SplittableRandom(3);
        CyclicBarrier together = new CyclicBarrier(2);
        for (int i = 0; i < 1_000; i++) {
            SharedPortSocket view = view(port);
            IceCredentials credentials = IceCredentials.generate(random);
            Thread disposer = new Thread(() -> {
                await(together);
                view.dispose();
            });
            disposer.start();
            await(together);
            view.route(credentials);
            disposer.join();
            assertThat(port.routedUfrags()).as("routes left after %d races", i + 1).isZero();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // Beyond its limit a view forgets the route it sent to least recently, not the one it learned first.
    @Test
    void beyondItsLimitAViewForgetsTheRouteItSentToLeastRecently() {
        SharedUdpPort port = port(3478);
        List<InetSocketAddress> received = new CopyOnWriteArrayList<>();
        SharedPortSocket view = (SharedPortSocket) port.transport(2)
                .bind(port.localAddress(), (data, sender) -> received.add(sender)).block(Duration.ofSeconds(1));
        cleanup.add(view);
        List<PacketSocket> peers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            PacketSocket p = net.bind(new InetSocketAddress(LOOPBACK, 7_000 + i), (data, sender) -> { }).block();
            cleanup.add(p);
            peers.add(p);
        }
        view.send(data(), peers.get(0).localAddress()); // learned first
        view.send(data(), peers.get(1).localAddress());
        view.send(data(), peers.get(0).localAddress()); // used again: now the most recent
        view.send(data(), peers.get(2).localAddress()); // beyond the limit of two
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(port.routedRemotes()).isEqualTo(2);

        for (PacketSocket p : peers) {
            p.send(data(), port.localAddress());
        }
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(received).as("routed: the first and the third peer")
                .containsExactlyInAnyOrder(peers.get(0).localAddress(), peers.get(2).localAddress());
        assertThat(port.unroutable()).as("forgotten: the second, sent to least recently").isOne();
    }

    private static ByteBuf data() {
        return Unpooled.copiedBuffer("data", StandardCharsets.US_ASCII);
    }
}
