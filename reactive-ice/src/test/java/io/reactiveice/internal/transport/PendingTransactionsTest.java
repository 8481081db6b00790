package io.reactiveice.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.StunTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** RFC 8489 section 6.3: a response finds its transaction by id, for exactly as long as the transaction runs. */
class PendingTransactionsTest {
    private static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
    private static final TransactionId ID = new TransactionId(0x0102030405060708L, 0x090a0b0c);

    private final PendingTransactions<String> pending = PendingTransactions.rememberingFinished();

    @Test
    void aTransactionIsMatchedFromBeforeItsFirstSendUntilItAnswers() {
        List<String> seenAtFirstSend = new ArrayList<>();
        Sinks.One<String> response = Sinks.one();
        Mono<String> transaction = Mono.defer(() -> {
            seenAtFirstSend.add(pending.get(ID));
            return response.asMono();
        });
        Mono<String> tracked = pending.track(ID, "waiting", transaction);
        assertThat(pending.isEmpty()).as("nothing until subscribed").isTrue();
        StepVerifier.create(tracked)
                .then(() -> assertThat(pending.get(ID)).isEqualTo("waiting"))
                .then(() -> response.tryEmitValue("answer"))
                .expectNext("answer")
                .verifyComplete();
        assertThat(seenAtFirstSend).containsExactly("waiting");
        assertThat(pending.get(ID)).isNull();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aTransactionThatFailsOrIsCancelledNoLongerMatches() {
        StepVerifier.create(pending.track(ID, "failing", Mono.<String>error(new StunTimeoutException(null, 7,
                        Duration.ofMillis(39_500)))))
                .verifyError(StunTimeoutException.class);
        assertThat(pending.get(ID)).isNull();

        StepVerifier.create(pending.track(ID, "cancelled", Mono.<String>never()))
                .then(() -> assertThat(pending.get(ID)).isEqualTo("cancelled"))
                .thenCancel()
                .verify(VERIFY_TIMEOUT);
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void anEndingTransactionDoesNotRemoveALaterOneWithTheSameId() {
        Sinks.One<String> first = Sinks.one();
        Mono<String> earlier = pending.track(ID, "earlier", first.asMono());
        StepVerifier.create(earlier).then(() -> {
            // a later transaction registered under the same id (a collision of random ids)
            pending.track(ID, "later", Mono.<String>never()).subscribe();
            first.tryEmitValue("answer");
        }).expectNext("answer").verifyComplete();
        assertThat(pending.get(ID)).isEqualTo("later");
    }

    @Test
    void aFinishedTransactionIsRememberedAsOursUntilThirtyTwoMoreHaveFinished() {
        // RFC 8489 section 6.2.1: a server that answers the first send and a retransmission answers twice;
        // the second answer finds no transaction but is ours, only late.
        assertThat(pending.finishedRecently(ID)).as("never ran here").isFalse();
        StepVerifier.create(pending.track(ID, "answered", Mono.just("answer"))).expectNext("answer").verifyComplete();
        assertThat(pending.get(ID)).isNull();
        assertThat(pending.finishedRecently(ID)).isTrue();
        for (int n = 0; n < PendingTransactions.FINISHED_REMEMBERED - 1; n++) {
            TransactionId other = new TransactionId(n, n);
            StepVerifier.create(pending.track(other, "later", Mono.just("x"))).expectNext("x").verifyComplete();
        }
        assertThat(pending.finishedRecently(ID)).as("31 later ones leave it remembered").isTrue();
        TransactionId last = new TransactionId(99, 99);
        StepVerifier.create(pending.track(last, "later", Mono.just("x"))).expectNext("x").verifyComplete();
        assertThat(pending.finishedRecently(ID)).as("the 32nd later one pushes it out").isFalse();
        assertThat(pending.finishedRecently(last)).isTrue();
    }
}
