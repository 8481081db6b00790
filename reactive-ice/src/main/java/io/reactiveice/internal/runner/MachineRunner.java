package io.reactiveice.internal.runner;

import io.reactiveice.internal.sansio.ProtocolMachine;
import io.reactiveice.internal.sansio.Transmit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * The one shell loop around a {@link ProtocolMachine}: the machine's serialized context on one worker
 * of a {@link Scheduler}, which is also its only clock. The ICE session and the TURN relay both run
 * their core here.
 *
 * <ul>
 *   <li><b>Mailbox.</b> Inputs from any thread queue in a lock-free mailbox; the worker gets one drain
 *       task per burst, not one per input, so a description applied as several calls, or datagrams
 *       that arrive while the worker is busy, cost one hand-off.
 *   <li><b>Output.</b> After each burst and each timeout the runner polls the machine dry: first its
 *       events, handed to {@link Output#snapshot} (so that state other threads read is current before
 *       anything leaves), then its transmits, then the events again, one by one, to {@link Output#emit}.
 *   <li><b>Timer.</b> One timer, re-armed only when {@link ProtocolMachine#nextTimeout()} moves.
 * </ul>
 *
 * <p>An input that throws is logged and the loop goes on: a bug in one input never leaves the mailbox
 * marked busy. Once {@link #stop() stopped}, inputs are refused and the ones still queued are
 * discarded (their {@code onDiscard} runs, to release what they own).
 *
 * @param <E> the machine's event type
 */
public final class MachineRunner<E> implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(MachineRunner.class);
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<MachineRunner> WIP =
            AtomicIntegerFieldUpdater.newUpdater(MachineRunner.class, "wip");

    /** Where a machine's output goes; called on the worker only. */
    public interface Output<E> {
        /**
         * The events of one drain, before any of its datagrams is sent: update the snapshots that
         * other threads read.
         */
        default void snapshot(List<E> events) {
        }

        /** A datagram to send. */
        void transmit(Transmit transmit);

        /** An event, after the drain's datagrams went out. */
        void emit(E event);
    }

    /** An input that owns something to release if it never runs. */
    private record Discardable(Runnable input, Runnable onDiscard) implements Runnable {
        @Override
        public void run() {
            input.run();
        }
    }

    private final ProtocolMachine<?, E> machine;
    private final Scheduler scheduler;
    private final Scheduler.Worker worker;
    private final Output<E> output;
    private final String id;
    private final Queue<Runnable> inbox = Queues.<Runnable>unboundedMultiproducer().get();
    @SuppressWarnings("unused") // through WIP
    private volatile int wip; // inputs offered and not yet drained; the offer that makes it 1 schedules a drain
    private volatile boolean stopped;
    private Disposable timer; // the worker's only, like timerAt
    private long timerAt = Long.MAX_VALUE;

    /**
     * A runner for {@code machine} on a new worker of {@code scheduler}.
     *
     * @param id names the machine in log lines
     */
    public MachineRunner(ProtocolMachine<?, E> machine, Scheduler scheduler, Output<E> output, String id) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.output = Objects.requireNonNull(output, "output");
        this.id = Objects.requireNonNull(id, "id");
        this.worker = scheduler.createWorker();
    }

    /** The machine's clock: the scheduler's time in nanoseconds. */
    public long now() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    /**
     * How far the scheduler's milliseconds (the epoch with Reactor's schedulers) are ahead of
     * {@link #now()}'s, whose origin is arbitrary ({@code System.nanoTime}); 0 in virtual time.
     */
    public long epochOffsetMillis() {
        long nanos = now();
        return scheduler.now(TimeUnit.MILLISECONDS) - Math.floorDiv(nanos, 1_000_000L);
    }

    /** The worker, for timers of the shell that must run in the machine's context. */
    public Scheduler.Worker worker() {
        return worker;
    }

    /**
     * Runs an input on the worker, then drains the machine's output and re-arms its timer.
     *
     * @return {@code false}, dropping the input, once the runner is stopped
     */
    public boolean run(Runnable input) {
        return offer(Objects.requireNonNull(input, "input"));
    }

    /**
     * As {@link #run(Runnable)}, for an input that owns a resource: {@code onDiscard} runs instead of
     * the input if it never runs (refused now, or still queued when the runner stops).
     */
    public boolean run(Runnable input, Runnable onDiscard) {
        return offer(new Discardable(Objects.requireNonNull(input, "input"), Objects.requireNonNull(onDiscard, "onDiscard")));
    }

    private boolean offer(Runnable input) {
        if (stopped) {
            discard(input);
            return false;
        }
        inbox.offer(input);
        if (WIP.getAndIncrement(this) == 0) {
            try {
                worker.schedule(this::drainInbox);
            } catch (RejectedExecutionException e) { // stopped in the meantime, or the scheduler shut down
                stopped = true;
                discardQueued();
                return false;
            }
        }
        return true;
    }

    /**
     * Stops the runner: its timer is cancelled, its worker released, and later inputs are refused.
     * Call it on the worker (from an input or from {@link Output#emit}); the input running now completes.
     */
    public void stop() {
        stopped = true;
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
        worker.dispose();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void dispose() {
        stop();
    }

    @Override
    public boolean isDisposed() {
        return stopped;
    }

    private void drainInbox() {
        int missed = 1;
        do {
            boolean ran = false; // an offer counted in missed may already have been drained with the one before
            for (Runnable input = inbox.poll(); input != null; input = inbox.poll()) {
                ran = true;
                if (stopped) {
                    discard(input);
                    continue;
                }
                try {
                    input.run();
                } catch (RuntimeException e) {
                    log.warn("[{}] input failed", id, e);
                }
            }
            if (ran && !stopped) {
                try {
                    drainOutput();
                } catch (RuntimeException e) { // never leave the mailbox marked busy: later inputs would wait forever
                    log.warn("[{}] output failed", id, e);
                }
            }
            missed = WIP.addAndGet(this, -missed);
        } while (missed != 0);
    }

    /**
     * Polls the machine dry and re-arms its timer. Runs after every burst of inputs and every timeout;
     * an owner calls it directly only from the worker, after changing the machine outside {@link #run}.
     */
    public void drainOutput() {
        List<E> events = null;
        for (E e = machine.pollEvent(); e != null; e = machine.pollEvent()) {
            if (events == null) {
                events = new ArrayList<>(2);
            }
            events.add(e);
        }
        output.snapshot(events == null ? List.of() : events);
        for (Transmit t = machine.pollTransmit(); t != null; t = machine.pollTransmit()) {
            output.transmit(t);
        }
        if (events != null) {
            events.forEach(output::emit);
        }
        if (!stopped) {
            armTimer();
        }
    }

    private void armTimer() {
        long next = machine.nextTimeout();
        if (next == timerAt) {
            return;
        }
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
        timerAt = next;
        if (next != Long.MAX_VALUE) {
            try {
                timer = worker.schedule(this::onTimeout, Math.max(0, next - now()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) { // the scheduler shut down under us: nothing more will run
                timerAt = Long.MAX_VALUE;
            }
        }
    }

    private void onTimeout() {
        timerAt = Long.MAX_VALUE;
        timer = null;
        if (stopped) {
            return;
        }
        try {
            machine.handleTimeout(now());
            drainOutput();
        } catch (RuntimeException e) {
            log.warn("[{}] timeout failed", id, e);
        }
    }

    private void discardQueued() {
        for (Runnable input = inbox.poll(); input != null; input = inbox.poll()) {
            discard(input);
        }
    }

    private static void discard(Runnable input) {
        if (input instanceof Discardable d) {
            try {
                d.onDiscard().run();
            } catch (RuntimeException e) {
                log.warn("discarding an input failed", e);
            }
        }
    }
}
