package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * The session's pipelines in virtual time over an in-process network: Ta pacing, consent cadence
 * and expiry, and what sending does once consent is lost. Nothing here sleeps.
 */
class IceSessionVirtualTimeTest extends VirtualTimeSessions {

    // RFC 8445 section 14.2: one new check every Ta (50 ms), never two at once.
    @Test
    void checksArePacedByTa() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        a.setRemoteCredentials(new IceCredentials("peer", "PeerPasswordPeerPassword"));
        for (int i = 0; i < 4; i++) { // four remote candidates nobody answers
            a.addRemoteCandidate(IceCandidate.udp("r" + i, 1, CandidatePriority.of(126, 65_535 - i, 1),
                    new InetSocketAddress("127.0.0.2", 50_000 + i), CandidateType.HOST));
        }
        clock.advanceTime();
        StepVerifier.withVirtualTime(() -> Flux.never(), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .then(() -> assertThat(firstSendsTo(50_000, 50_004)).containsExactly(0L))
                .expectNoEvent(Duration.ofMillis(49))
                .then(() -> assertThat(firstSendsTo(50_000, 50_004)).containsExactly(0L))
                .expectNoEvent(Duration.ofMillis(1))
                .then(() -> assertThat(firstSendsTo(50_000, 50_004)).containsExactly(0L, 50L))
                .expectNoEvent(Duration.ofMillis(100))
                .then(() -> assertThat(firstSendsTo(50_000, 50_004)).containsExactly(0L, 50L, 100L, 150L))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    /** The instant (ms) of the first datagram to each port in [from, to), in send order. */
    private List<Long> firstSendsTo(int from, int to) {
        Map<Integer, Long> first = new LinkedHashMap<>();
        for (InMemoryNetwork.Sent s : net.sent) {
            int port = s.to().getPort();
            if (port >= from && port < to) {
                first.putIfAbsent(port, s.atNanos() / MS);
            }
        }
        return List.copyOf(first.values());
    }

    @Test
    void aDisposedSessionRefusesARestartWithATypedErrorAndIgnoresLaterInput() throws Exception {
        connect();
        a.dispose();
        clock.advanceTime();
        assertThat(a.state()).isEqualTo(IceState.CLOSED);

        StepVerifier.withVirtualTime(() -> a.restart(), () -> clock, Long.MAX_VALUE)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("disposed"))
                .verify(Duration.ofSeconds(5));
        int sent = net.sent.size();
        collect(b).forEach(a::addRemoteCandidate); // dropped, and nothing is sent for it
        a.remoteEndOfCandidates();
        clock.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(net.sent.subList(sent, net.sent.size())).noneMatch(x -> x.from().getAddress().getHostAddress()
                .equals("127.0.0.1"));
        assertThat(a.state()).isEqualTo(IceState.CLOSED);
    }

    @Test
    void receiveCanBeSubscribedAgainAfterACancelAndTakesOneSubscriberAtATime() throws Exception {
        connect();
        IceConnection atA = a.connect().block(Duration.ofSeconds(1));
        IceConnection atB = b.connect().block(Duration.ofSeconds(1));
        List<String> got = new CopyOnWriteArrayList<>();
        Consumer<ByteBuf> keep = buf -> {
            got.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        };
        send(atB, "one", "two"); // nobody subscribed yet: both kept
        atA.receive().take(1).subscribe(keep); // cancels after the first datagram
        assertThat(got).containsExactly("one"); // "two" was waiting, not requested: released with the cancel

        send(atB, "three"); // nobody subscribed: kept for the next subscriber
        Disposable second = atA.receive().subscribe(keep);
        assertThat(got).containsExactly("one", "three");
        StepVerifier.create(atA.receive()).expectError(IllegalStateException.class).verify(Duration.ofSeconds(1));
        send(atB, "four");
        assertThat(got).containsExactly("one", "three", "four");
        second.dispose();

        StepVerifier.create(atA.receive().take(1).map(buf -> {
            String text = buf.toString(StandardCharsets.US_ASCII);
            buf.release();
            return text;
        })).then(() -> send(atB, "five")).expectNext("five").expectComplete().verify(Duration.ofSeconds(1));
        a.dispose();
        clock.advanceTime();
        StepVerifier.create(atA.receive()).expectComplete().verify(Duration.ofSeconds(1)); // closed: at once
    }

    @Test
    void datagramsKeptForAReaderWhoNeverCameAreReleasedWhenTheSessionCloses() throws Exception {
        connect();
        IceConnection atA = a.connect().block(Duration.ofSeconds(1));
        ByteBuf kept = Unpooled.copiedBuffer("never read", StandardCharsets.US_ASCII);
        atA.onData(atA.selectedPair().base(), kept, atA.selectedPair().remoteAddress()); // what a socket does: the connection retains it
        assertThat(kept.refCnt()).as("kept for a reader").isEqualTo(2);

        a.dispose();
        clock.advanceTime();

        assertThat(kept.refCnt()).as("the session's reference released at close").isEqualTo(1);
        kept.release();
        StepVerifier.create(atA.receive()).expectComplete().verify(Duration.ofSeconds(1)); // closed: at once
    }

    // The race of a close with a subscriber leaving: the close comes after the leaving subscriber's
    // fresh sink is published and before the next subscriber is let in, and a datagram lands in it.
    @Test
    void aDatagramKeptInTheSinkOfASubscriberLeavingWhileTheSessionClosesIsReleased() throws Exception {
        connect();
        IceConnection atA = a.connect().block(Duration.ofSeconds(1));
        ByteBuf late = Unpooled.copiedBuffer("late", StandardCharsets.US_ASCII);
        atA.renewing = () -> {
            atA.onData(atA.selectedPair().base(), late, atA.selectedPair().remoteAddress()); // retained, kept for the next reader
            atA.close();
        };
        Disposable reading = atA.receive().subscribe(ByteBuf::release);
        reading.dispose(); // the subscriber leaves: renew() runs, and the close inside it
        atA.renewing = () -> { };

        assertThat(late.refCnt()).as("the connection's reference released").isEqualTo(1);
        late.release();
        StepVerifier.create(atA.receive()).expectComplete().verify(Duration.ofSeconds(1)); // closed: at once
    }

    private void send(IceConnection from, String... texts) {
        from.send(Flux.fromArray(texts).map(t -> Unpooled.copiedBuffer(t, StandardCharsets.US_ASCII)))
                .subscribe();
        clock.advanceTimeBy(Duration.ofMillis(5));
    }

    // RFC 7675 section 5.1: consent checks every 4-6 s; lost at 30 s without answers; sending stops.
    @Test
    void consentRunsEveryFiveSecondsAndItsLossStopsSending() throws Exception {
        connect();
        IceConnection connection = a.connect().block(Duration.ofSeconds(1));
        int before = net.sent.size();
        clock.advanceTimeBy(Duration.ofSeconds(60));
        long consentChecks = net.sent.subList(before, net.sent.size()).stream()
                .filter(s -> s.from().getAddress().getHostAddress().equals("127.0.0.1") && s.data()[1] == 0x01
                        && s.data()[0] == 0x00)
                .count();
        assertThat(consentChecks).isBetween(10L, 15L);
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);

        long cut = clock.now(TimeUnit.MILLISECONDS);
        net.block(s -> true);
        StepVerifier.withVirtualTime(() -> a.states().skip(1), () -> clock, Long.MAX_VALUE)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(2_000)) // the last answer came at most 6 s before the cut
                .thenAwait(Duration.ofSeconds(10))
                .expectNext(IceState.DISCONNECTED)
                .thenAwait(Duration.ofSeconds(30))
                .expectNext(IceState.FAILED)
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(clock.now(TimeUnit.MILLISECONDS) - cut).isGreaterThanOrEqualTo(30_000);
        StepVerifier.create(connection.send(Flux.just(Unpooled.copiedBuffer(new byte[] {0x6c, 1}))))
                .expectError(IceFailedException.class)
                .verify(Duration.ofSeconds(5));
    }

    // RFC 7675 section 5.1: DISCONNECTED is a warning, not a failure: sending goes on until consent is
    // lost, and a path that comes back after 12 s carries data again within a second.
    @Test
    void sendsGoOutWhileDisconnectedAndAPathBackAfterTwelveSecondsIsUsedWithinASecond() throws Exception {
        connect();
        IceConnection ca = a.connect().block(Duration.ofSeconds(1));
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<String> atB = new CopyOnWriteArrayList<>();
        Disposable reading = cb.receive().subscribe(buf -> {
            atB.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        });
        List<long[]> statesAt = new CopyOnWriteArrayList<>();
        Disposable watching = a.states().subscribe(st -> statesAt.add(
                new long[] {clock.now(TimeUnit.MILLISECONDS), st.ordinal()}));
        try {
            long cut = clock.now(TimeUnit.MILLISECONDS);
            net.block(x -> true);
            clock.advanceTimeBy(Duration.ofSeconds(10));
            assertThat(a.state()).isEqualTo(IceState.DISCONNECTED);
            int before = net.sent.size();
            StepVerifier.create(ca.send(Flux.just(Unpooled.copiedBuffer("lab during", StandardCharsets.US_ASCII))))
                    .verifyComplete();
            assertThat(net.sent.subList(before, net.sent.size())).anyMatch(x -> x.data()[0] == 'l'
                    && x.from().getAddress().getHostAddress().equals("127.0.0.1"));

            clock.advanceTimeBy(Duration.ofMillis(cut + 12_000 - clock.now(TimeUnit.MILLISECONDS)));
            assertThat(a.state()).isEqualTo(IceState.DISCONNECTED);
            long back = clock.now(TimeUnit.MILLISECONDS);
            net.block(x -> false);
            clock.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(a.state()).isIn(IceState.CONNECTED, IceState.COMPLETED);
            assertThat(b.state()).isIn(IceState.CONNECTED, IceState.COMPLETED);
            long[] recovered = statesAt.get(statesAt.size() - 1);
            assertThat(recovered[0] - back).isLessThanOrEqualTo(1_000);
            StepVerifier.create(ca.send(Flux.just(Unpooled.copiedBuffer("lab after", StandardCharsets.US_ASCII))))
                    .verifyComplete();
            clock.advanceTimeBy(Duration.ofMillis(10));
            assertThat(atB).containsExactly("lab after"); // the one sent into the dead path was lost
        } finally {
            reading.dispose();
            watching.dispose();
        }
    }

    // RFC 8445 section 12.2: data from the peer may arrive before our own check on the pair succeeds
    // (here B's checks are lost for 600 ms); it is kept for the reader, not dropped.
    @Test
    void dataFromAnAuthenticatedPeerArrivingBeforeOurCheckSucceedsIsDelivered() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.2", 2));
        long clears = 600;
        net.block(x -> x.from().getAddress().getHostAddress().equals("127.0.0.2") && x.data()[0] == 0
                && x.data()[1] == 1 && clock.now(TimeUnit.MILLISECONDS) < clears);
        signal();
        clock.advanceTimeBy(Duration.ofMillis(20));
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceState.CHECKING); // its own check has not come back yet
        IceConnection ca = a.connect().block(Duration.ofSeconds(1));
        StepVerifier.create(ca.send(Flux.just(Unpooled.copiedBuffer("lab early", StandardCharsets.US_ASCII))))
                .verifyComplete();
        clock.advanceTimeBy(Duration.ofMillis(clears));
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<String> atB = new CopyOnWriteArrayList<>();
        Disposable reading = cb.receive().subscribe(buf -> {
            atB.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        });
        try {
            assertThat(atB).containsExactly("lab early");
            assertThat(cb.dropped()).isZero();
        } finally {
            reading.dispose();
        }
    }
}
