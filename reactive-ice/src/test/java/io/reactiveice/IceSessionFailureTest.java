package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceProtocolEvent;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStateChange;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A session says why it failed: on {@link IceSession#stateChanges()}, {@link IceSession#failure()},
 * {@link IceSession#failureReason()} and in the {@link IceFailedException} of {@link IceSession#connect()}
 * and of a send; and its protocol events are built only while someone subscribes. Two sessions on a
 * virtual clock and an in-memory network.
 */
class IceSessionFailureTest extends VirtualTimeSessions {
    private final List<InetSocketAddress> silent = new CopyOnWriteArrayList<>();

    @Test
    void consentLostIsOnTheStateStreamTheFailureMonoAndTheSendError() throws Exception {
        net.block(s -> silent.contains(s.from()));
        connect();
        List<IceStateChange> changes = new CopyOnWriteArrayList<>();
        AtomicReference<IceFailureReason> failure = new AtomicReference<>();
        a.stateChanges().subscribe(changes::add);
        a.failure().subscribe(failure::set);
        List<IceState> states = new CopyOnWriteArrayList<>();
        a.states().subscribe(states::add);
        silent.add(b.selectedPair().base());

        clock.advanceTimeBy(Duration.ofSeconds(29));
        assertThat(failure.get()).as("not before 30 s of silence").isNull();
        clock.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(failure.get()).isInstanceOf(IceFailureReason.ConsentLost.class);
        assertThat(((IceFailureReason.ConsentLost) failure.get()).pair()).isEqualTo(a.selectedPair());
        assertThat(a.failureReason()).contains(failure.get());
        assertThat(changes.get(changes.size() - 1)).isEqualTo(IceStateChange.failed(failure.get()));
        assertThat(changes).extracting(IceStateChange::state).containsExactly(IceState.COMPLETED,
                IceState.DISCONNECTED, IceState.FAILED);
        assertThat(states).containsExactly(IceState.COMPLETED, IceState.DISCONNECTED, IceState.FAILED);
        AtomicReference<Throwable> sendError = new AtomicReference<>();
        a.connect().block(Duration.ofSeconds(1)).send(reactor.core.publisher.Flux.just(
                io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1}))).subscribe(v -> { }, sendError::set);
        assertThat(sendError.get()).isInstanceOfSatisfying(IceFailedException.class, e -> {
            assertThat(e.reason()).contains(failure.get());
            assertThat(e.getMessage()).startsWith("cannot send: ICE is FAILED: consent lost after 30");
        });
    }

    @Test
    void connectFailsWithTheReasonWhenNoRemoteCandidatesCome() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        collect(a);
        a.setRemoteCredentials(new io.reactiveice.agent.IceCredentials("peer", "peerpassword0000000000000"));
        a.remoteEndOfCandidates();
        AtomicReference<Throwable> error = new AtomicReference<>();
        a.connect().subscribe(c -> { }, error::set);

        clock.advanceTimeBy(Duration.ofMillis(39_499));
        assertThat(error.get()).isNull();
        clock.advanceTimeBy(Duration.ofMillis(1));

        assertThat(a.state()).isEqualTo(IceState.FAILED);
        assertThat(error.get()).isInstanceOfSatisfying(IceFailedException.class, e -> {
            assertThat(e.reason()).containsInstanceOf(IceFailureReason.NoRemoteCandidates.class);
            assertThat(e.getMessage()).isEqualTo("ICE FAILED before a pair was selected: no remote candidates");
        });
    }

    /** Relay-only, and the TURN server refuses: no local candidate, and the reason names the server and why. */
    @Test
    void aRefusedRelayAllocationIsTheGatheringErrorOfTheFailure() throws Exception {
        RelayAllocator refusing = (server, receiver) -> reactor.core.publisher.Mono.error(
                new IllegalStateException("486 Allocation Quota Reached"));
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1).transportPolicy(TransportPolicy.RELAY)
                .iceServers(List.of(IceServer.parse("turn:127.0.0.5:3478", "user", "secret-pass")))
                .relayAllocator(refusing));
        assertThat(collect(a)).isEmpty();
        a.setRemoteCredentials(new io.reactiveice.agent.IceCredentials("peer", "peerpassword0000000000000"));
        a.addRemoteCandidate("candidate:1 1 udp 2130706431 127.0.0.2 4000 typ host");
        a.remoteEndOfCandidates();
        clock.advanceTimeBy(Duration.ofMillis(39_500));

        assertThat(a.failureReason()).hasValueSatisfying(r -> {
            assertThat(r.code()).isEqualTo("gathering-failed");
            assertThat(r.gatheringErrors()).singleElement().satisfies(e -> {
                assertThat(e.url()).isEqualTo("turn:127.0.0.5:3478");
                assertThat(e.cause()).isEqualTo("486 Allocation Quota Reached");
            });
            assertThat(r.message()).doesNotContain("secret-pass");
        });
    }

    @Test
    void aSessionClosedBeforeAPairWasSelectedSaysClosedAndHasNoFailure() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<Boolean> failureEmpty = new AtomicReference<>();
        a.connect().subscribe(c -> { }, error::set);
        a.failure().subscribe(r -> failureEmpty.set(false), e -> { }, () -> failureEmpty.compareAndSet(null, true));
        a.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(error.get()).isInstanceOfSatisfying(IceFailedException.class,
                e -> assertThat(e.reason()).containsInstanceOf(IceFailureReason.Closed.class));
        assertThat(failureEmpty.get()).as("closing is not failing").isTrue();
        assertThat(a.failureReason()).isEmpty();
    }

    @Test
    void protocolEventsAreBuiltOnlyWhileSomeoneSubscribes() throws Exception {
        connect();
        clock.advanceTimeBy(Duration.ofSeconds(10)); // consent checks
        assertThat(a.core.traceEventsBuilt()).isZero();
        assertThat(b.core.traceEventsBuilt()).isZero();

        List<IceProtocolEvent> seen = new CopyOnWriteArrayList<>();
        Disposable subscription = a.protocolEvents().subscribe(seen::add);
        long from = clock.now(TimeUnit.NANOSECONDS);
        clock.advanceTimeBy(Duration.ofSeconds(10));
        subscription.dispose();
        clock.advanceTime();
        long built = a.core.traceEventsBuilt();
        clock.advanceTimeBy(Duration.ofSeconds(10));

        assertThat(seen).isNotEmpty().hasSize((int) built);
        assertThat(seen).filteredOn(IceProtocolEvent.CheckSent.class::isInstance)
                .extracting(e -> ((IceProtocolEvent.CheckSent) e).kind()).contains(IceProtocolEvent.RequestKind.CONSENT);
        assertThat(seen).filteredOn(IceProtocolEvent.ResponseReceived.class::isInstance).isNotEmpty();
        assertThat(seen).extracting(IceProtocolEvent::timestampNanos).isSorted()
                .allMatch(t -> t >= from && t <= from + Duration.ofSeconds(10).toNanos());
        assertThat(a.core.traceEventsBuilt()).as("none after the last subscriber left").isEqualTo(built);
        assertThat(b.core.traceEventsBuilt()).isZero();
    }
}
