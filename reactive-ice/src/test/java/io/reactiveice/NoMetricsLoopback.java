package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;

/**
 * The program {@link IceMetricsAbsentTest} runs in a JVM of its own: two sessions on 127.0.0.1 with
 * no metrics configured connect and carry one datagram (sent again until it arrives: UDP may lose
 * it), and it prints {@value #DONE} when the datagram arrived. With the argument {@code --metrics}
 * both record into a Micrometer registry instead, the control case of the test.
 */
final class NoMetricsLoopback {
    static final String DONE = "no-metrics loopback: connected and delivered";

    private NoMetricsLoopback() {
    }

    public static void main(String[] args) {
        boolean metrics = args.length > 0 && args[0].equals("--metrics");
        try (IcePeers p = metrics ? withMetrics() : IcePeers.loopback().signal()) {
            IceConnection ca = p.a.connect().block(IcePeers.TIMEOUT);
            IceConnection cb = p.b.connect().block(IcePeers.TIMEOUT);
            reactor.core.Disposable sending = Flux.interval(java.time.Duration.ofMillis(50)).onBackpressureDrop()
                    .concatMap(i -> ca.send(Flux.just(Unpooled.copiedBuffer("data", StandardCharsets.US_ASCII))))
                    .subscribe();
            ByteBuf first = cb.receive().next().block(IcePeers.TIMEOUT);
            sending.dispose();
            String text = first.toString(StandardCharsets.US_ASCII);
            first.release();
            if (!text.equals("data")) {
                throw new AssertionError("received " + text);
            }
            System.out.println(DONE);
        }
        System.exit(0);
    }

    // in a class of its own, loaded only when called: verifying this one must not load Micrometer
    private static IcePeers withMetrics() {
        return MicrometerPeers.loopback();
    }
}
