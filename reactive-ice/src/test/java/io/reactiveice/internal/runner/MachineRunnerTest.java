package io.reactiveice.internal.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The one shell loop, around a toy machine, in virtual time. */
class MachineRunnerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9);
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    /** Sends one datagram per input and per timeout; its next timeout is whatever the test sets. */
    static final class Toy implements ProtocolMachine<String, String> {
        final ArrayDeque<Transmit> out = new ArrayDeque<>();
        final ArrayDeque<String> events = new ArrayDeque<>();
        long next = Long.MAX_VALUE;
        int timeouts;
        final List<Long> timeoutTimes = new ArrayList<>();

        @Override
        public boolean handleInput(long now, String input) {
            out.add(new Transmit(null, PEER, input.getBytes()));
            events.add("got " + input);
            return true;
        }

        @Override
        public void handleTimeout(long now) {
            timeouts++;
            timeoutTimes.add(now);
            next = Long.MAX_VALUE;
            events.add("timeout");
        }

        @Override
        public long nextTimeout() {
            return next;
        }

        @Override
        public Transmit pollTransmit() {
            return out.poll();
        }

        @Override
        public String pollEvent() {
            return events.poll();
        }
    }

    private final Toy toy = new Toy();
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger snapshots = new AtomicInteger();
    private final MachineRunner<String> runner = new MachineRunner<>(toy, time, new MachineRunner.Output<>() {
        @Override
        public void snapshot(List<String> events) {
            snapshots.incrementAndGet();
            log.add("snapshot " + events);
        }

        @Override
        public void transmit(Transmit t) {
            log.add("send " + new String(t.data()));
        }

        @Override
        public void emit(String event) {
            log.add("emit " + event);
        }
    }, "toy");

    @AfterEach
    void stop() {
        time.dispose();
    }

    @Test
    void aBurstOfInputsIsOneDrainWithSnapshotBeforeSendsAndEventsAfter() {
        // the second input arrives while the worker is busy with the first: it joins the same drain
        runner.run(() -> {
            toy.handleInput(runner.now(), "a");
            runner.run(() -> toy.handleInput(runner.now(), "b"));
            assertThat(log).as("b waits for a to finish").isEmpty();
        });
        time.advanceTime();
        assertThat(snapshots.get()).isEqualTo(1);
        assertThat(log).containsExactly("snapshot [got a, got b]", "send a", "send b", "emit got a", "emit got b");
    }

    @Test
    void theTimerFiresAtTheMachinesDeadlineAndIsReArmedWhenItMoves() {
        runner.run(() -> toy.next = Duration.ofMillis(100).toNanos());
        time.advanceTime();
        runner.run(() -> toy.next = Duration.ofMillis(300).toNanos()); // the deadline moves later
        time.advanceTimeBy(Duration.ofMillis(299));
        assertThat(toy.timeouts).isZero();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(toy.timeouts).isEqualTo(1);
        assertThat(toy.timeoutTimes).containsExactly(Duration.ofMillis(300).toNanos());
        assertThat(log).endsWith("emit timeout");
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(toy.timeouts).isEqualTo(1);
    }

    @Test
    void aThrowingInputIsLoggedAndTheLoopGoesOn() {
        runner.run(() -> {
            throw new IllegalStateException("a bug in one input");
        });
        runner.run(() -> toy.handleInput(runner.now(), "after"));
        time.advanceTime();
        assertThat(log).contains("send after");
    }

    @Test
    void onceStoppedInputsAreRefusedAndWhatTheyOwnIsDiscarded() {
        AtomicInteger discarded = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        runner.run(runner::stop);
        runner.run(ran::incrementAndGet, discarded::incrementAndGet); // queued behind the stop
        time.advanceTime();
        assertThat(ran.get()).isZero();
        assertThat(discarded.get()).isEqualTo(1);
        assertThat(runner.run(ran::incrementAndGet, discarded::incrementAndGet)).isFalse();
        assertThat(discarded.get()).isEqualTo(2);
        assertThat(runner.isDisposed()).isTrue();
    }
}
