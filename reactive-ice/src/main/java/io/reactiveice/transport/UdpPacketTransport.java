package io.reactiveice.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.udp.UdpServer;

/**
 * {@link PacketTransport} over Reactor Netty UDP: each socket is a bound {@code UdpServer} whose
 * inbound datagrams go to the receiver inside the {@code onNext} that delivered them (Reactor
 * Netty releases them afterwards).
 */
final class UdpPacketTransport implements PacketTransport {

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        return UdpServer.create()
                .bindAddress(() -> local)
                .handle((in, out) -> in.receiveObject().doOnNext(o -> {
                    if (o instanceof DatagramPacket p) {
                        receiver.onPacket(p.content(), p.sender());
                    }
                }).then())
                .bind()
                .map(NettySocket::new);
    }

    /** One bound channel. */
    private static final class NettySocket implements PacketSocket {
        private final Connection connection;
        private final Channel channel;
        private final InetSocketAddress local;

        NettySocket(Connection connection) {
            this.connection = connection;
            this.channel = connection.channel();
            this.local = (InetSocketAddress) channel.localAddress();
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public void send(ByteBuf data, InetSocketAddress to) {
            channel.writeAndFlush(new DatagramPacket(data, to), channel.voidPromise());
        }

        @Override
        public void sendLater(ByteBuf data, InetSocketAddress to) {
            channel.write(new DatagramPacket(data, to), channel.voidPromise());
        }

        @Override
        public Mono<Void> sendAll(org.reactivestreams.Publisher<? extends ByteBuf> data,
                java.util.function.Function<ByteBuf, InetSocketAddress> destination) {
            // Reactor Netty writes on the event loop, flushing in batches, with backpressure
            return connection.outbound().sendObject(reactor.core.publisher.Flux.from(data)
                    .map(b -> new DatagramPacket(b, destination.apply(b)))).then();
        }

        @Override
        public void flush() {
            channel.flush();
        }

        @Override
        public void dispose() {
            connection.dispose();
        }

        @Override
        public boolean isDisposed() {
            return connection.isDisposed();
        }
    }
}
