package io.reactiveice.internal.transport;

import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunClientTransaction;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.StunTimeoutException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * The timing of one STUN client transaction as a {@link Mono}
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>):
 * send now, resend on the schedule, and fail with {@link StunTimeoutException} when it runs out,
 * unless the response arrives first. A thin shell around the sans-IO {@link StunClientTransaction}:
 * one timer at a time, armed at its {@code nextTimeout()} on a worker of the given {@link Scheduler}
 * (so tests can drive it in virtual time), which touches the transaction on that worker only.
 * Cancelling, or the response, completes the transaction and stops the resends.
 */
public final class StunTransaction {
    /** The engine's id; this shell never sees the request's own id, and the engine uses it as a label only. */
    private static final TransactionId UNLABELLED = new TransactionId(0, 0);

    private StunTransaction() {
    }

    /**
     * The transaction.
     *
     * @param <T> the response type
     * @param server where the request goes, for the timeout error
     * @param send sends the request once; called on the subscribing thread first, on the scheduler's for resends
     * @param response completes with the matched response (or an error response as an error)
     * @param schedule when to send and when to give up
     * @param scheduler the clock and the thread of the resends
     * @return a Mono of the response
     */
    public static <T> Mono<T> run(InetSocketAddress server, Runnable send, Mono<T> response,
            RetransmissionSchedule schedule, Scheduler scheduler) {
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(scheduler, "scheduler");
        return response.or(Mono.<T>create(sink -> new Timer<>(server, send, schedule, scheduler, sink).start()));
    }

    /** Drives one engine: its only timer, armed on one worker, which alone touches the engine after the start. */
    private static final class Timer<T> implements Runnable {
        private final InetSocketAddress server;
        private final Runnable send;
        private final Scheduler scheduler;
        private final Scheduler.Worker worker;
        private final MonoSink<T> sink;
        private final StunClientTransaction engine;

        Timer(InetSocketAddress server, Runnable send, RetransmissionSchedule schedule, Scheduler scheduler,
                MonoSink<T> sink) {
            this.server = server;
            this.send = send;
            this.scheduler = scheduler;
            this.worker = scheduler.createWorker();
            this.sink = sink;
            this.engine = StunClientTransaction.start(UNLABELLED, schedule, now());
        }

        /** The first send, on the subscribing thread; the worker takes over from the first timer on. */
        void start() {
            if (sent()) {
                arm();
            }
            sink.onCancel(this::stop); // runs at once if the subscriber cancelled already
        }

        /** The timer, on the worker. */
        @Override
        public void run() {
            long now = now();
            switch (engine.handleTimeout(now)) {
                case RETRANSMIT -> {
                    if (sent()) {
                        arm();
                    }
                }
                case TIMED_OUT -> {
                    worker.dispose();
                    sink.error(new StunTimeoutException(server, engine.sends(),
                            Duration.ofNanos(now - engine.startedAt())));
                }
                case NONE -> arm();
            }
        }

        /** Sends once; a send that throws ends the transaction with its error. */
        private boolean sent() {
            try {
                send.run();
                return true;
            } catch (RuntimeException e) {
                worker.dispose();
                sink.error(e);
                return false;
            }
        }

        private void arm() {
            long at = engine.nextTimeout();
            if (at != Long.MAX_VALUE) {
                worker.schedule(this, Math.max(0, at - now()), TimeUnit.NANOSECONDS);
            }
        }

        /**
         * The response won, or the subscriber cancelled (any thread): the engine completes on the
         * worker, which then stops, so no resend follows unless one was already due.
         */
        private void stop() {
            try {
                worker.schedule(() -> {
                    engine.complete();
                    worker.dispose();
                });
            } catch (RejectedExecutionException alreadyStopped) {
                // the transaction timed out at the same moment
            }
        }

        private long now() {
            return scheduler.now(TimeUnit.NANOSECONDS);
        }
    }
}
