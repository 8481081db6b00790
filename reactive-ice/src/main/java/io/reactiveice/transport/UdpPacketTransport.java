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
    /** Which event loop the next socket goes to; shared by every transport in the process. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_LOOP = new java.util.concurrent.atomic.AtomicInteger();

    private final java.util.function.UnaryOperator<UdpServer> configurer;

    UdpPacketTransport(java.util.function.UnaryOperator<UdpServer> configurer) {
        this.configurer = java.util.Objects.requireNonNull(configurer, "configurer");
    }

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        return configurer.apply(UdpServer.create().runOn(nextLoop()))
                .bindAddress(() -> local)
                .handle((in, out) -> in.receiveObject().doOnNext(o -> {
                    if (o instanceof DatagramPacket p) {
                        receiver.onPacket(p.content(), p.sender());
                    }
                }).then())
                .bind()
                .map(NettySocket::new);
    }

    /**
     * The event loops of Reactor Netty's default UDP resources, taken in turn. Binding through the
     * group itself puts every socket on the same loop with epoll on Reactor Netty 1.3 and Netty 4.2
     * (the group's round robin advances twice per bind), so one busy session would starve the others.
     */
    private static io.netty.channel.EventLoopGroup nextLoop() {
        io.netty.channel.EventLoopGroup group = reactor.netty.udp.UdpResources.get()
                .onServer(reactor.netty.resources.LoopResources.DEFAULT_NATIVE);
        java.util.List<io.netty.util.concurrent.EventExecutor> loops = new java.util.ArrayList<>();
        group.forEach(loops::add);
        io.netty.util.concurrent.EventExecutor loop = loops.get(Math.floorMod(NEXT_LOOP.getAndIncrement(), loops.size()));
        return loop instanceof io.netty.channel.EventLoop e ? e : group;
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
