package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.HostAddressPolicy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The network monitor (issue 13): one enumeration per interval however many sessions watch, only
 * changes handed on, polling only while someone watches; in virtual time with a counting source.
 */
class NetworkMonitorTest {
    private static final InetAddress A1 = ip("127.0.0.1");
    private static final InetAddress A2 = ip("127.0.0.2");

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicReference<List<InetAddress>> addresses = new AtomicReference<>(List.of(A1));
    private final NetworkMonitor monitor = NetworkMonitor.polling(() -> {
        polls.incrementAndGet();
        return addresses.get();
    }, Duration.ofSeconds(1), clock, clock);

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void manySessionsShareOneEnumerationPerInterval() {
        InMemoryNetwork net = new InMemoryNetwork(clock, 1_000_000L);
        IceAgent agent = IceAgent.create().role(IceRole.CONTROLLING).scheduler(clock).random(new SplittableRandom(1))
                .packetTransport(net).networkMonitor(monitor);
        List<IceSession> sessions = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            agent.start().subscribe(sessions::add);
        }
        clock.advanceTime();
        assertThat(sessions).hasSize(20);
        assertThat(polls.get()).as("the first enumeration serves all twenty").isEqualTo(1);
        assertThat(sessions).allSatisfy(s -> assertThat(s.sockets()).hasSize(1));

        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(polls.get()).isEqualTo(6); // at 0, 1, ..., 5 s

        addresses.set(List.of(A1, A2));
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(polls.get()).isEqualTo(7);
        assertThat(sessions).allSatisfy(s -> assertThat(s.sockets()).hasSize(2));

        sessions.forEach(IceSession::dispose);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        int afterLast = polls.get();
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(polls.get()).as("no polling once nobody watches").isEqualTo(afterLast);
        clock.dispose();
    }

    @Test
    void subscribersSeeTheSetNowAndThenOnlyChanges() {
        List<NetworkMonitor.Change> first = new CopyOnWriteArrayList<>();
        List<NetworkMonitor.Change> late = new CopyOnWriteArrayList<>();
        Disposable d1 = monitor.changes().subscribe(first::add);
        clock.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(first).containsExactly(new NetworkMonitor.Change(List.of(A1), List.of(A1), List.of()));

        Disposable d2 = monitor.changes().subscribe(late::add);
        assertThat(late).as("the latest, to start from").containsExactlyElementsOf(first);
        addresses.set(List.of(A2));
        clock.advanceTimeBy(Duration.ofSeconds(3));
        NetworkMonitor.Change moved = new NetworkMonitor.Change(List.of(A2), List.of(A2), List.of(A1));
        assertThat(first).hasSize(2).last().isEqualTo(moved);
        assertThat(late).hasSize(2).last().isEqualTo(moved);
        assertThat(polls.get()).isEqualTo(7); // 0..6 s, one each, for both subscribers
        d1.dispose();
        d2.dispose();
        clock.dispose();
    }

    @Test
    void theSystemMonitorIsOnePerPolicyIntervalAndScheduler() {
        HostAddressPolicy policy = HostAddressPolicy.defaults();
        NetworkMonitor m = NetworkMonitor.system(policy, Duration.ofSeconds(1), Schedulers.parallel());
        assertThat(NetworkMonitor.system(HostAddressPolicy.defaults(), Duration.ofSeconds(1), Schedulers.parallel()))
                .isSameAs(m);
        assertThat(NetworkMonitor.system(policy, Duration.ofSeconds(2), Schedulers.parallel())).isNotSameAs(m);
        clock.dispose();
    }
}
