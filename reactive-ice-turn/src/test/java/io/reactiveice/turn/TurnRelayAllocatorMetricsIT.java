package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactiveice.IceServer;
import io.reactiveice.metrics.MicrometerIceMetrics;
import io.reactiveice.testing.Await;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/**
 * The TURN meters against a real coturn on 127.0.0.1 (issue 15 section 2): the active allocations
 * go up when one is made and down when it is deleted, and an Allocate refused for its credentials
 * is counted by its error code.
 */
class TurnRelayAllocatorMetricsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TurnRelayAllocator client = TurnRelayAllocator.create()
            .localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .metrics(MicrometerIceMetrics.create(registry));

    private static IceServer server(String password) {
        return IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort(), Coturn.USER, password);
    }

    private double active() {
        return registry.get("reactive.ice.turn.allocations.active").gauge().value();
    }

    @Test
    void theActiveAllocationsGoUpWhenOneIsMadeAndDownWhenItIsDeleted() {
        assertThat(active()).isZero();
        TurnRelay first = client.open(server(Coturn.PASSWORD)).block(TIMEOUT);
        TurnRelay second = client.open(server(Coturn.PASSWORD)).block(TIMEOUT);
        assertThat(active()).isEqualTo(2);

        first.close().block(TIMEOUT);
        Await.until(() -> active() == 1, TIMEOUT);
        assertThat(active()).isEqualTo(1);
        second.close().block(TIMEOUT);
        Await.until(() -> active() == 0, TIMEOUT);
        assertThat(active()).isZero();
        assertThat(registry.find("reactive.ice.turn.allocation.failures").counters()).isEmpty();
    }

    // RFC 8489 section 9.2.5: a wrong password is refused with 401 once the client answered the challenge
    @Test
    void anAllocateRefusedForItsCredentialsIsCountedByItsErrorCode() {
        StepVerifier.create(client.open(server("not-the-password")))
                .expectError(TurnAuthenticationException.class)
                .verify(TIMEOUT);

        assertThat(registry.get("reactive.ice.turn.allocation.failures").tag("code", "401").counter().count())
                .isEqualTo(1);
        assertThat(active()).isZero();
    }
}
