package io.reactiveice.turn;

import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.Disposable;

/**
 * A relay under test and a UDP peer on 127.0.0.1 behind it, with what each receives as ASCII text:
 * at the relay {@code "<peer port> <text>"}, at the peer {@code "<sender> <text>"}; and the relay's
 * events. Closing it deletes the allocation and closes the peer.
 */
final class RelayAndPeer implements AutoCloseable {
    final TurnRelay relay;
    final PacketSocket peer;
    final ConcurrentLinkedQueue<TurnEvent> events = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> atRelay = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> atPeer = new ConcurrentLinkedQueue<>();
    private final Disposable watching;
    private final Disposable reading;
    private final Duration timeout;

    RelayAndPeer(TurnRelay relay, Duration timeout) {
        this.relay = relay;
        this.timeout = timeout;
        this.watching = relay.events().subscribe(events::add);
        this.reading = relay.receive().subscribe(d -> {
            atRelay.add(d.peer().getPort() + " " + d.content().toString(StandardCharsets.US_ASCII));
            d.content().release();
        });
        this.peer = PacketTransport.udp().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (data, sender) -> atPeer.add(sender + " " + data.toString(StandardCharsets.US_ASCII))).block(timeout);
    }

    int peerPort() {
        return peer.localAddress().getPort();
    }

    @Override
    public void close() {
        reading.dispose();
        peer.dispose();
        relay.close().block(timeout);
        watching.dispose();
    }
}
