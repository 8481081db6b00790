package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class LatestValueTest {
    @Test
    void aLateSubscriberStartsWithTheLatestValueAndFollowsTheChanges() {
        LatestValue<String> value = new LatestValue<>("a");
        value.next("b");
        List<String> seen = new ArrayList<>();
        Disposable d = value.flux().subscribe(seen::add);
        value.next("c");
        assertThat(seen).containsExactly("b", "c");
        d.dispose();
    }

    @Test
    void holdsNoSinkWhileNobodyListens() {
        LatestValue<String> value = new LatestValue<>("a");
        assertThat(value.listened()).isFalse();
        Disposable first = value.flux().subscribe();
        Disposable second = value.flux().subscribe();
        assertThat(value.listened()).isTrue();
        first.dispose();
        assertThat(value.listened()).isTrue();
        second.dispose();
        assertThat(value.listened()).isFalse();
        value.next("b"); // nobody to tell, and the next subscriber still starts with it
        StepVerifier.create(value.flux().take(1)).expectNext("b").verifyComplete();
        assertThat(value.listened()).isFalse();
    }

    @Test
    void completesItsSubscribersAndReplaysTheFinalValueToLaterOnes() {
        LatestValue<String> value = new LatestValue<>("a");
        StepVerifier.FirstStep<String> live = StepVerifier.create(value.flux());
        Disposable listening = value.flux().subscribe();
        value.next("z");
        value.complete();
        assertThat(listening.isDisposed()).isTrue();
        assertThat(value.listened()).isFalse();
        live.expectNext("z").verifyComplete();
        StepVerifier.create(value.flux()).expectNext("z").verifyComplete();
    }

    @Test
    void withoutAValueYetASubscriberWaitsAndAFinalEmptyValueCompletesAtOnce() {
        LatestValue<String> value = new LatestValue<>(null);
        List<String> seen = new ArrayList<>();
        Disposable d = value.flux().subscribe(seen::add);
        assertThat(seen).isEmpty();
        value.next("first");
        assertThat(seen).containsExactly("first");
        d.dispose();
        LatestValue<String> never = new LatestValue<>(null);
        never.complete();
        StepVerifier.create(never.flux()).verifyComplete();
    }

    @Test
    void aSubscriberThatRequestsLaterLosesNoChangeOnceItListens() {
        LatestValue<Integer> value = new LatestValue<>(0);
        StepVerifier.create(value.flux(), 0)
                .thenRequest(1).expectNext(0)
                .then(() -> {
                    value.next(1);
                    value.next(2);
                })
                .thenRequest(2).expectNext(1, 2)
                .thenCancel().verify();
        assertThat(value.listened()).isFalse();
    }
}
