package io.reactiveice.transport;

import io.reactiveice.stun.RetransmissionSchedule;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The timing of one STUN client transaction as a {@link Mono}
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC 8489 section 6.2.1</a>):
 * send now, resend on the schedule, and fail with {@link StunTimeoutException} when it runs out,
 * unless the response arrives first. Every delay runs on the given {@link Scheduler}, so tests can
 * drive it in virtual time. Cancelling stops the resends.
 */
public final class StunTransaction {
    private StunTransaction() {
    }

    /**
     * The transaction.
     *
     * @param <T> the response type
     * @param server where the request goes, for the timeout error
     * @param send sends the request once; called on the scheduler's thread for resends
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
        return Mono.defer(() -> {
            long start = scheduler.now(TimeUnit.NANOSECONDS);
            AtomicInteger sends = new AtomicInteger();
            Runnable counted = () -> {
                sends.incrementAndGet();
                send.run();
            };
            Mono<T> timer = Mono.fromRunnable(counted)
                    .thenMany(Flux.range(1, schedule.sends() - 1)
                            .concatMap(n -> Mono.delay(schedule.gapBefore(n), scheduler).doOnNext(x -> counted.run())))
                    .then(Mono.delay(schedule.finalWait(), scheduler))
                    .then(Mono.error(() -> new StunTimeoutException(server, sends.get(),
                            Duration.ofNanos(scheduler.now(TimeUnit.NANOSECONDS) - start))));
            return response.or(timer);
        });
    }
}
