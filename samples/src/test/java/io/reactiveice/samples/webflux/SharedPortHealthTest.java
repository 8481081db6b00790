package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.SharedTcpPort;
import io.reactiveice.SharedUdpPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The shared ports' health on real ports of 127.0.0.1: UP while bound, with the port's details, DOWN once closed. */
class SharedPortHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void aBoundUdpPortIsUpWithItsPortAndSessionsAndDownOnceClosed() {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(ANY_PORT).bind().block(WAIT);
        SharedPortHealth health = SharedPortHealth.of(port);
        try {
            Health up = health.health().block(WAIT);
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("address", "127.0.0.1")
                    .containsEntry("port", port.localAddress().getPort()).containsEntry("sessions", 0)
                    .containsKeys("unknownUfrag", "rateLimited", "unroutable");
        } finally {
            port.dispose();
        }
        Health down = health.health().block(WAIT);
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("port", port.localAddress().getPort());
    }

    @Test
    void aBoundTcpPortIsUpWithItsPortAndSessionsAndDownOnceClosed() {
        SharedTcpPort port = SharedTcpPort.bind(ANY_PORT).block(WAIT);
        SharedPortHealth health = SharedPortHealth.of(port);
        try {
            Health up = health.health().block(WAIT);
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("port", port.localAddress().getPort())
                    .containsEntry("sessions", 0).containsEntry("openConnections", 0L);
        } finally {
            port.dispose();
        }
        // the server's channel closes on its event loop: wait for it
        Health down = health.health().filter(h -> h.getStatus().equals(Status.DOWN))
                .repeatWhenEmpty(Integer.MAX_VALUE, tries -> tries.delayElements(Duration.ofMillis(10))).block(WAIT);
        assertThat(down).as("DOWN once closed").isNotNull();
    }
}
