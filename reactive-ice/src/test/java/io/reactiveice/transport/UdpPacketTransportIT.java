package io.reactiveice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.reactiveice.testing.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Real UDP sockets: data both ways, the configuration hook, and sockets spread over event loops. */
class UdpPacketTransportIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void socketsAreSpreadOverSeveralEventLoops() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<PacketSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                sockets.add(PacketTransport.udp().bind(new InetSocketAddress("127.0.0.1", 0),
                        (data, sender) -> threads.add(Thread.currentThread().getName())).block(TIMEOUT));
            }
            PacketSocket sender = sockets.get(0);
            for (PacketSocket s : sockets) {
                sender.send(Unpooled.wrappedBuffer(new byte[] {0x6c}), s.localAddress());
            }
            Await.until(() -> threads.size() >= 2, TIMEOUT);
            assertThat(threads).hasSizeGreaterThanOrEqualTo(2);
        } finally {
            sockets.forEach(PacketSocket::dispose);
        }
    }

    @Test
    void theConfigurationHookIsAppliedToEverySocket() {
        List<String> configured = new ArrayList<>();
        PacketSocket s = PacketTransport.udp(server -> {
            configured.add("yes");
            return server.option(ChannelOption.SO_RCVBUF, 1 << 20);
        }).bind(new InetSocketAddress("127.0.0.1", 0), (data, sender) -> { }).block(TIMEOUT);
        try {
            assertThat(configured).containsExactly("yes");
            assertThat(s.localAddress().getPort()).isPositive();
        } finally {
            s.dispose();
        }
    }
}
