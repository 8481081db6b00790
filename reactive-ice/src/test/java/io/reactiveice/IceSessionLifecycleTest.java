package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.sdp.IceParameters;
import io.reactiveice.transport.PacketSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The session's lifecycle and what it reads or draws on its worker, in virtual time: {@code onDispose()}
 * and {@code close()} complete only once the session is fully closed, a restart draws its credentials
 * when it is subscribed, and the role is a snapshot that the worker publishes.
 */
class IceSessionLifecycleTest extends VirtualTimeSessions {

    @Test
    void onDisposeCompletesAfterClosedWasEmittedAndEverySocketWasReleased() throws Exception {
        connect();
        List<PacketSocket> sockets = a.sockets();
        List<IceState> states = new CopyOnWriteArrayList<>();
        a.states().subscribe(states::add);
        List<String> atDispose = new CopyOnWriteArrayList<>();
        a.onDispose().subscribe(null, e -> atDispose.add("error " + e),
                () -> atDispose.add("states " + states + ", sockets released "
                        + sockets.stream().allMatch(PacketSocket::isDisposed)));
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(atDispose).as("not before the session is disposed").isEmpty();

        a.dispose();
        clock.advanceTime();

        assertThat(sockets).isNotEmpty();
        assertThat(atDispose).containsExactly("states [COMPLETED, CLOSED], sockets released true");
        assertThat(a.onDispose().block(Duration.ofSeconds(1))).as("replayed to a late subscriber").isNull();
    }

    // The close's input runs on the worker after the task that subscribed it: close() waits for it.
    @Test
    void closeDisposesWhenSubscribedAndCompletesOnlyOnceTheSessionIsClosed() throws Exception {
        connect();
        List<PacketSocket> sockets = a.sockets();
        Mono<Void> close = a.close();
        assertThat(a.isDisposed()).as("nothing happens before the subscription").isFalse();

        List<String> seen = new CopyOnWriteArrayList<>();
        clock.schedule(() -> {
            close.subscribe(null, e -> seen.add("error " + e), () -> seen.add("closed in state " + a.state()
                    + ", sockets released " + sockets.stream().allMatch(PacketSocket::isDisposed)));
            seen.add("subscribed, disposed " + a.isDisposed());
        });
        clock.advanceTime();

        assertThat(seen).containsExactly("subscribed, disposed true", "closed in state CLOSED, sockets released true");
    }

    // With its scheduler shut down nothing runs on the worker any more: the close runs on the caller.
    @Test
    void aSessionWhoseSchedulerIsGoneStillReleasesItsSocketsAndCompletesOnDispose() throws Exception {
        ShutDown scheduler = new ShutDown(clock);
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1).scheduler(scheduler));
        List<PacketSocket> sockets = a.sockets();
        scheduler.shut = true;

        a.dispose();

        assertThat(sockets).isNotEmpty().allMatch(PacketSocket::isDisposed);
        assertThat(a.state()).isEqualTo(IceState.CLOSED);
        assertThat(a.onDispose().block(Duration.ofSeconds(1))).isNull();
    }

    /** The clock, whose workers refuse every task once {@link #shut}, as a scheduler that was shut down does. */
    private static final class ShutDown implements Scheduler {
        private final Scheduler clock;
        volatile boolean shut;

        ShutDown(Scheduler clock) {
            this.clock = clock;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return clock.schedule(task);
        }

        @Override
        public long now(TimeUnit unit) {
            return clock.now(unit);
        }

        @Override
        public Worker createWorker() {
            Worker worker = clock.createWorker();
            return new Worker() {
                @Override
                public Disposable schedule(Runnable task) {
                    return schedule(task, 0, TimeUnit.NANOSECONDS);
                }

                @Override
                public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                    if (shut) {
                        throw new RejectedExecutionException("shut down");
                    }
                    return worker.schedule(task, delay, unit);
                }

                @Override
                public void dispose() {
                    worker.dispose();
                }

                @Override
                public boolean isDisposed() {
                    return worker.isDisposed();
                }
            };
        }
    }

    // RFC 8445 section 9: every restart has credentials of its own, drawn when it happens.
    @Test
    void aRestartDrawsItsCredentialsWhenSubscribedAndEachSubscriptionRestartsOnce() throws Exception {
        CountingRandom random = new CountingRandom(3);
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1).random(random));
        IceCredentials initial = a.localCredentials();
        long draws = random.draws.get();

        Mono<IceCredentials> restart = a.restart();
        assertThat(random.draws.get()).as("building the restart draws nothing").isEqualTo(draws);
        assertThat(a.localCredentials()).isEqualTo(initial);

        IceCredentials first = restart.block(Duration.ofSeconds(1));
        assertThat(random.draws.get()).as("the subscription draws").isGreaterThan(draws);
        assertThat(a.localCredentials()).isEqualTo(first).isNotEqualTo(initial);
        IceCredentials second = restart.block(Duration.ofSeconds(1));
        assertThat(second).as("a second subscription is a second restart").isNotEqualTo(first);
        assertThat(a.localCredentials()).isEqualTo(second);
    }

    // RFC 8445 section 6.1.1: a full agent facing a lite one takes the controlling role. The role that
    // other threads read is published by the worker with the state, after the inputs it ran, as the
    // state and the selected pair are: an input queued behind the switch still reads the old role.
    @Test
    void theRoleIsASnapshotThatTheWorkerPublishesAfterTheInputsItRan() throws Exception {
        a = start(agent(IceRole.CONTROLLED, "127.0.0.1", 1));
        List<IceRole> seen = new CopyOnWriteArrayList<>();
        clock.schedule(() -> { // both inputs queue behind this task: the worker runs them in one burst
            a.setRemoteParameters(new IceParameters("peer", "PeerPasswordPeerPassword", List.of(), true));
            a.run(() -> seen.add(a.role()));
        });
        clock.advanceTime();

        assertThat(seen).as("not published in the middle of a burst").containsExactly(IceRole.CONTROLLED);
        assertThat(a.role()).isEqualTo(IceRole.CONTROLLING);
    }

    // RFC 8489 section 6: a transaction id is random; here it comes from the agent's random source,
    // so two sessions seeded alike ask a STUN server with the same id (a static SecureRandom would not).
    @Test
    void gatheringDrawsItsBindingTransactionIdsFromTheAgentsRandomSource() throws Exception {
        List<IceServer> stun = List.of(IceServer.parse("stun:127.0.0.9:3478")); // nobody answers there
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 5).iceServers(stun));
        b = start(agent(IceRole.CONTROLLING, "127.0.0.2", 5).iceServers(stun));
        clock.advanceTime();

        byte[] fromA = firstBindingTo9From("127.0.0.1");
        byte[] fromB = firstBindingTo9From("127.0.0.2");
        assertThat(Arrays.copyOfRange(fromA, 8, 20)).as("the transaction id")
                .isEqualTo(Arrays.copyOfRange(fromB, 8, 20));
    }

    private byte[] firstBindingTo9From(String ip) {
        return net.sent.stream()
                .filter(s -> s.to().getAddress().getHostAddress().equals("127.0.0.9")
                        && s.from().getAddress().getHostAddress().equals(ip))
                .findFirst().orElseThrow().data();
    }

    /** A seeded random source that counts what is drawn from it (every draw goes through nextLong). */
    private static final class CountingRandom implements RandomGenerator {
        private final SplittableRandom random;
        final AtomicLong draws = new AtomicLong();

        CountingRandom(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public long nextLong() {
            draws.incrementAndGet();
            return random.nextLong();
        }
    }
}
