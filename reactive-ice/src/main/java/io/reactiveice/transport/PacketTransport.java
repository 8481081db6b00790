package io.reactiveice.transport;

import java.net.InetSocketAddress;
import reactor.core.publisher.Mono;

/**
 * Binds {@link PacketSocket}s. The agent's only way to the network, so that tests can hand it an
 * in-process network (lossy, delayed, NAT-ing) in addition to real sockets.
 */
@FunctionalInterface
public interface PacketTransport {

    /**
     * Binds a socket.
     *
     * @param local the address (port 0 picks one)
     * @param receiver gets every datagram that arrives
     * @return the bound socket
     */
    Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver);

    /** Real UDP sockets over Reactor Netty. */
    static PacketTransport udp() {
        return new UdpPacketTransport();
    }
}
