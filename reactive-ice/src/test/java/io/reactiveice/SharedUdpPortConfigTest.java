package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The shared port's configuration is fluent and immutable (every call a new instance, nothing bound
 * before {@code bind()} is subscribed), a bad value fails at its call with an {@link IceConfigException}
 * naming the setting, and the bound port has the one lifecycle of every handle. On an in-process network.
 */
class SharedUdpPortConfigTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final InMemoryNetwork net = new InMemoryNetwork(clock, 1_000_000L);

    @AfterEach
    void stopClock() {
        clock.dispose();
    }

    @Test
    void eachCallReturnsANewConfigurationAndLeavesTheEarlierOneAsItWas() {
        SharedUdpPortConfig onNet = SharedUdpPort.create().transport(net).clock(clock);
        SharedUdpPortConfig on3478 = onNet.bindAddress(new InetSocketAddress(LOOPBACK, 3478));
        assertThat(on3478).isNotSameAs(onNet);
        assertThat(onNet.errorRateLimit(5, 5)).isNotSameAs(onNet);

        SharedUdpPort fixed = on3478.bind().block(Duration.ofSeconds(5));
        SharedUdpPort ephemeral = onNet.bind().block(Duration.ofSeconds(5));
        try {
            assertThat(fixed.localAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, 3478));
            assertThat(ephemeral.localAddress().getAddress()).isEqualTo(LOOPBACK);
            assertThat(ephemeral.localAddress().getPort()).isNotEqualTo(3478).isNotZero();
        } finally {
            fixed.dispose();
            ephemeral.dispose();
        }
    }

    @Test
    void nothingIsBoundUntilTheBindIsSubscribed() {
        SharedUdpPortConfig config = SharedUdpPort.create().bindAddress(new InetSocketAddress(LOOPBACK, 3478))
                .transport(net).clock(clock);
        config.bind(); // not subscribed
        SharedUdpPort port = config.bind().block(Duration.ofSeconds(5)); // the address is still free
        assertThat(port.localAddress().getPort()).isEqualTo(3478);
        port.dispose();
    }

    @Test
    void outOfRangeValuesFailAtTheirCallNamingTheSetting() {
        SharedUdpPortConfig config = SharedUdpPort.create();
        assertThatThrownBy(() -> config.errorRateLimit(0, 10)).isInstanceOf(IceConfigException.class)
                .hasMessage("errorRateLimit perSecond must be positive but was 0.0")
                .extracting(e -> ((IceConfigException) e).field()).isEqualTo("errorRateLimit");
        assertThatThrownBy(() -> config.errorRateLimit(Double.NaN, 10)).isInstanceOf(IceConfigException.class)
                .extracting(e -> ((IceConfigException) e).field()).isEqualTo("errorRateLimit");
        assertThatThrownBy(() -> config.errorRateLimit(10, 0.5)).isInstanceOf(IceConfigException.class)
                .hasMessage("errorRateLimit burst must be at least 1 but was 0.5");
        assertThatThrownBy(() -> config.receiveBuffer(0)).isInstanceOf(IceConfigException.class)
                .hasMessage("receiveBuffer must be at least 1 byte but was 0")
                .extracting(e -> ((IceConfigException) e).field()).isEqualTo("receiveBuffer");
        assertThatThrownBy(() -> config.bindAddress(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("bindAddress");
    }

    @Test
    void aReceiveBufferCannotBeCombinedWithATransportOfOneself() {
        PacketTransport udp = PacketTransport.udp();
        assertThatThrownBy(() -> SharedUdpPort.create().receiveBuffer(1 << 20).transport(udp))
                .isInstanceOf(IceConfigException.class)
                .extracting(e -> ((IceConfigException) e).field()).isEqualTo("transport");
        assertThatThrownBy(() -> SharedUdpPort.create().transport(udp).receiveBuffer(1 << 20))
                .isInstanceOf(IceConfigException.class)
                .extracting(e -> ((IceConfigException) e).field()).isEqualTo("receiveBuffer");
    }

    @Test
    void onDisposeCompletesAfterDisposeAndNotBefore() {
        SharedUdpPort port = SharedUdpPort.create().transport(net).clock(clock).bind().block(Duration.ofSeconds(5));
        AtomicBoolean completed = new AtomicBoolean();
        port.onDispose().subscribe(null, e -> { }, () -> completed.set(true));
        clock.advanceTimeBy(Duration.ofMinutes(1));
        assertThat(completed).as("before dispose").isFalse();
        assertThat(port.isDisposed()).isFalse();

        port.dispose();
        assertThat(completed).as("after dispose").isTrue();
        assertThat(port.isDisposed()).isTrue();
        AtomicBoolean late = new AtomicBoolean();
        port.onDispose().subscribe(null, e -> { }, () -> late.set(true));
        assertThat(late).as("subscribed after dispose").isTrue();
    }
}
