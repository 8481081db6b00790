package io.reactiveice.transport;

import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.netty.udp.UdpServer;

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

    /** Real UDP sockets over Reactor Netty, spread over its event loops. */
    static PacketTransport udp() {
        return udp(server -> server);
    }

    /**
     * Real UDP sockets over Reactor Netty, each {@code UdpServer} passed through {@code configurer}
     * before it binds: channel options such as {@code SO_RCVBUF}, or epoll's {@code recvmmsg}
     * ({@code EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE} together with a receive buffer allocator
     * that holds several datagrams; each datagram is then a slice of that shared buffer, and holding
     * one pins all of it).
     *
     * @param configurer applied to each server before it binds
     * @return the transport
     */
    static PacketTransport udp(UnaryOperator<UdpServer> configurer) {
        return new UdpPacketTransport(configurer);
    }
}
