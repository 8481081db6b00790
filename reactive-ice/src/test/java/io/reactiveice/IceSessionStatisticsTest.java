package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * A session's statistics ({@link IceSession#stats()}) in virtual time over the in-memory network, which
 * records every datagram it carries: the counts equal what it carried, the snapshot is taken on the
 * session's worker, and datagrams handed to a session that lost consent are counted as discarded.
 */
class IceSessionStatisticsTest extends VirtualTimeSessions {
    private Disposable reading;

    @AfterEach
    void stopReading() {
        if (reading != null) {
            reading.dispose();
        }
    }

    private IceStats stats(IceSession s) {
        AtomicReference<IceStats> out = new AtomicReference<>();
        s.stats().subscribe(out::set);
        clock.advanceTime();
        assertThat(out.get()).as("taken on the worker").isNotNull();
        return out.get();
    }

    private long data(CandidatePair path, boolean bytes) {
        return net.sent.stream().filter(s -> s.from().equals(path.base()) && s.to().equals(path.remoteAddress())
                && s.data().length > 0 && (s.data()[0] & 0xFF) >= 4).mapToLong(s -> bytes ? s.data().length : 1).sum();
    }

    private long bindingRequests(CandidatePair path, long afterNanos) {
        return net.sent.stream().filter(s -> s.from().equals(path.base()) && s.to().equals(path.remoteAddress())
                && s.atNanos() > afterNanos && s.data()[0] == 0 && s.data()[1] == 1).count();
    }

    @Test
    void theCountsOfBothSidesEqualWhatTheNetworkCarriedAndTheRoundTripIsTwiceItsLatency() throws Exception {
        connect();
        long connected = clock.now(TimeUnit.NANOSECONDS);
        IceConnection ca = a.connect().block(Duration.ofSeconds(1));
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<ByteBuf> received = new java.util.ArrayList<>();
        reading = cb.receive().subscribe(buf -> {
            received.add(buf);
            buf.release();
        });
        for (int i = 0; i < 3; i++) {
            ca.send(Flux.range(0, 10).map(k -> Unpooled.copiedBuffer("data " + "x".repeat(k), StandardCharsets.US_ASCII)))
                    .subscribe();
            clock.advanceTimeBy(Duration.ofSeconds(7)); // consent checks meanwhile, every 4 to 6 s
        }
        cb.send(Flux.just(Unpooled.copiedBuffer("data back", StandardCharsets.US_ASCII))).subscribe();
        clock.advanceTimeBy(Duration.ofMillis(10));
        assertThat(received).hasSize(30);

        IceStats sa = stats(a);
        IceStats sb = stats(b);
        IceCandidatePairStats pa = sa.selectedCandidatePair().orElseThrow();
        IceCandidatePairStats pb = sb.selectedCandidatePair().orElseThrow();
        CandidatePair ab = a.selectedPair();
        CandidatePair ba = b.selectedPair();
        assertThat(pa.packetsSent()).isEqualTo(data(ab, false)).isEqualTo(30);
        assertThat(pa.bytesSent()).isEqualTo(data(ab, true)).isEqualTo(3 * (10 * 5 + 45));
        assertThat(pb.packetsReceived()).isEqualTo(pa.packetsSent());
        assertThat(pb.bytesReceived()).isEqualTo(pa.bytesSent());
        assertThat(pb.packetsSent()).isEqualTo(data(ba, false)).isEqualTo(1);
        assertThat(pa.packetsReceived()).isEqualTo(1);
        assertThat(pa.bytesReceived()).isEqualTo("data back".length());
        // the last datagram a sent left 14 s after connecting; b's left at 21 s and arrived 1 ms later
        assertThat(pa.lastPacketSentTimestamp()).isEqualTo(connected / 1e6 + 14_000);
        assertThat(pa.lastPacketReceivedTimestamp()).isEqualTo(connected / 1e6 + 21_001);
        // RFC 7675: the consent checks are the requests a sent once the checks were over
        assertThat(pa.consentRequestsSent()).isEqualTo(bindingRequests(ab, connected)).isBetween(3L, 6L);
        assertThat(pa.requestsSent() + pa.consentRequestsSent() + pa.retransmissionsSent())
                .isEqualTo(bindingRequests(ab, Long.MIN_VALUE));
        assertThat(pb.requestsReceived()).isEqualTo(pa.requestsSent() + pa.consentRequestsSent());
        assertThat(pa.responsesReceived()).isEqualTo(pb.responsesSent());
        assertThat(pa.currentRoundTripTime()).isCloseTo(0.002, within(1e-9)); // 1 ms each way
        assertThat(sa.selectedCandidatePairId()).isEqualTo(pa.id());
        assertThat(sa.iceState()).isEqualTo(IceState.COMPLETED);
    }

    // a send under way shows once it has sent 64 datagrams, all of them, and is not counted twice when it ends
    @Test
    void aLongSendUnderWayIsSeenWhileItRunsAndCountedOnceWhenItEnds() throws Exception {
        connect();
        IceConnection ca = a.connect().block(Duration.ofSeconds(1));
        Sinks.Many<ByteBuf> endless = Sinks.many().unicast().onBackpressureBuffer();
        Disposable sending = ca.send(endless.asFlux()).subscribe();
        for (int i = 0; i < 100; i++) {
            endless.tryEmitNext(Unpooled.copiedBuffer("data " + i, StandardCharsets.US_ASCII));
        }
        clock.advanceTimeBy(Duration.ofMillis(5));
        CandidatePair ab = a.selectedPair();
        assertThat(stats(a).selectedCandidatePair().orElseThrow().packetsSent()).as("under way")
                .isEqualTo(data(ab, false)).isEqualTo(100);

        endless.tryEmitComplete();
        clock.advanceTime();
        ca.send(Flux.range(0, 10).map(k -> Unpooled.copiedBuffer("data short", StandardCharsets.US_ASCII)))
                .block(Duration.ofSeconds(1));
        IceCandidatePairStats pair = stats(a).selectedCandidatePair().orElseThrow();
        assertThat(pair.packetsSent()).isEqualTo(data(ab, false)).isEqualTo(110);
        assertThat(pair.bytesSent()).isEqualTo(data(ab, true));
        sending.dispose();
    }

    // RFC 7675 section 5.1: once consent is lost nothing more is sent; what the application still
    // hands over is released, and counted as discarded on the selected pair
    @Test
    void datagramsHandedOverAfterConsentWasLostAreCountedAsDiscarded() throws Exception {
        connect();
        IceConnection ca = a.connect().block(Duration.ofSeconds(1));
        net.block(s -> true);
        clock.advanceTimeBy(Duration.ofSeconds(45));
        assertThat(a.state()).isEqualTo(IceState.FAILED);

        StepVerifier.create(ca.send(Flux.just(Unpooled.copiedBuffer("data one", StandardCharsets.US_ASCII),
                        Unpooled.copiedBuffer("data two!", StandardCharsets.US_ASCII))))
                .expectError(IceFailedException.class)
                .verify(Duration.ofSeconds(5));
        IceCandidatePairStats pair = stats(a).candidatePairs().stream()
                .filter(p -> p.pair().base().equals(ca.selectedPair().base())).findFirst().orElseThrow();
        assertThat(pair.packetsDiscardedOnSend()).isEqualTo(2);
        assertThat(pair.bytesDiscardedOnSend()).isEqualTo("data one".length() + "data two!".length());
        assertThat(pair.packetsSent()).isZero();
    }

    @Test
    void aDisposedSessionGivesNoStatistics() throws Exception {
        connect();
        a.dispose();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        StepVerifier.create(a.stats()).expectError(IllegalStateException.class).verify(Duration.ofSeconds(5));
    }
}
