package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Two agents over real UDP sockets on 127.0.0.1. */
class IceSessionIT {

    @Test
    void twoAgentsConnectOverLoopbackAndSelectTheSamePath() {
        try (IcePeers p = IcePeers.loopback().signal()) {
            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);
            CandidatePair pa = ca.selectedPair();
            CandidatePair pb = cb.selectedPair();
            assertThat(pa.base()).isEqualTo(pb.remoteAddress());
            assertThat(pb.base()).isEqualTo(pa.remoteAddress());
            assertThat(pa.local().type()).isEqualTo(CandidateType.HOST);
            assertThat(pa.base().getAddress().isLoopbackAddress()).isTrue();
            StepVerifier.create(p.a.states().takeUntil(s -> s == IceState.COMPLETED))
                    .thenConsumeWhile(s -> s != IceState.COMPLETED)
                    .expectNext(IceState.COMPLETED)
                    .verifyComplete();
        }
    }

    @Test
    void tenThousandDatagramsEachWayArriveOnceAndInFull() {
        try (IcePeers p = IcePeers.loopback().signal()) {
            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);
            transfer(ca, cb, "a->b");
            transfer(cb, ca, "b->a");
        }
    }

    /** Sends 10,000 numbered datagrams in windows of 100 (so the receive buffer never overflows). */
    private static void transfer(IceConnection from, IceConnection to, String tag) {
        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        Disposable reading = to.receive().subscribe(buf -> {
            try {
                received.add(buf.toString(StandardCharsets.US_ASCII));
            } finally {
                buf.release();
            }
        });
        try {
            int total = 10_000;
            int window = 100;
            for (int start = 0; start < total; start += window) {
                int first = start;
                from.send(Flux.range(first, window).map(i -> datagram(tag, i))).block(IcePeers.TIMEOUT);
                int expected = first + window;
                Flux.interval(java.time.Duration.ofMillis(1)).takeUntil(x -> received.size() >= expected)
                        .blockLast(IcePeers.TIMEOUT);
            }
            List<String> all = new ArrayList<>(received);
            assertThat(all).hasSize(total).doesNotHaveDuplicates();
            assertThat(all).allMatch(s -> s.startsWith("data " + tag + " "));
        } finally {
            reading.dispose();
        }
    }

    private static ByteBuf datagram(String tag, int i) {
        return Unpooled.copiedBuffer("data " + tag + " " + i + " " + ".".repeat(60), StandardCharsets.US_ASCII);
    }
}
