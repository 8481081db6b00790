package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The receive buffer of {@link IceConnection}: a unicast sink over a queue that holds at most its
 * capacity, refusing the rest while nobody reads, and takes more again once the reader has drained it.
 */
class IceConnectionReceiveBufferTest {

    @Test
    void holdsExactlyItsCapacityWhileNobodyReadsAndTakesMoreOnceDrained() {
        Sinks.Many<Integer> sink = Sinks.many().unicast().onBackpressureBuffer(new IceConnection.BoundedQueue<>(40));
        for (int i = 0; i < 40; i++) {
            assertThat(sink.tryEmitNext(i)).isEqualTo(Sinks.EmitResult.OK);
        }
        assertThat(sink.tryEmitNext(40)).isEqualTo(Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER); // full, nobody reads
        assertThat(sink.tryEmitNext(41)).isEqualTo(Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER);

        StepVerifier.create(sink.asFlux(), 0)
                .thenRequest(40)
                .expectNextCount(40)
                .then(() -> {
                    for (int i = 100; i < 140; i++) {
                        assertThat(sink.tryEmitNext(i)).isEqualTo(Sinks.EmitResult.OK);
                    }
                    assertThat(sink.tryEmitNext(140)).isEqualTo(Sinks.EmitResult.FAIL_OVERFLOW); // full, not requested
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(40)
                .then(sink::tryEmitComplete)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void theQueueCountsWhatItHolds() {
        IceConnection.BoundedQueue<String> q = new IceConnection.BoundedQueue<>(2);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.offer("a")).isTrue();
        assertThat(q.offer("b")).isTrue();
        assertThat(q.offer("c")).isFalse();
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.peek()).isEqualTo("a");
        assertThat(q.poll()).isEqualTo("a");
        assertThat(q.offer("c")).isTrue();
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.size()).isZero();
        assertThat(q.poll()).isNull();
    }
}
