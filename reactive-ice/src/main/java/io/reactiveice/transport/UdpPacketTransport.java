package io.reactiveice.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.VoidChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.resources.LoopResources;
import reactor.netty.udp.UdpResources;
import reactor.netty.udp.UdpServer;

/**
 * {@link PacketTransport} over Reactor Netty UDP: each socket is a bound {@code UdpServer} whose
 * inbound datagrams go to the receiver inside the {@code onNext} that delivered them (Reactor
 * Netty releases them afterwards).
 */
final class UdpPacketTransport implements PacketTransport {
    /** Which event loop the next socket goes to; shared by every transport in the process. */
    private static final AtomicInteger NEXT_LOOP = new AtomicInteger();

    private final UnaryOperator<UdpServer> configurer;

    UdpPacketTransport(UnaryOperator<UdpServer> configurer) {
        this.configurer = Objects.requireNonNull(configurer, "configurer");
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
    private static EventLoopGroup nextLoop() {
        EventLoopGroup group = UdpResources.get().onServer(LoopResources.DEFAULT_NATIVE);
        List<EventExecutor> loops = new ArrayList<>();
        group.forEach(loops::add);
        EventExecutor loop = loops.get(Math.floorMod(NEXT_LOOP.getAndIncrement(), loops.size()));
        return loop instanceof EventLoop e ? e : group;
    }

    /** One bound channel. */
    private static final class NettySocket implements PacketSocket {
        private final Connection connection;
        private final Channel channel;
        private final InetSocketAddress local;
        /**
         * The promise of every send: void (no allocation per datagram) and silent on failure. A UDP send
         * that fails ({@code ENETUNREACH} to a peer address whose route went away with a local address,
         * {@code EPERM} from a firewall) is a datagram lost, which ICE's retransmissions and consent
         * already handle; with the channel's own void promise the failure reached the pipeline as an
         * exception and Reactor Netty closed the channel, so one check towards an unreachable candidate
         * took the whole socket, and every pair on it, down (issue 13's two-link lab).
         */
        private final ChannelPromise silent;

        NettySocket(Connection connection) {
            this.connection = connection;
            this.channel = connection.channel();
            this.silent = new VoidChannelPromise(channel, false);
            this.local = (InetSocketAddress) channel.localAddress();
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public void send(ByteBuf data, InetSocketAddress to) {
            channel.writeAndFlush(new DatagramPacket(data, to), silent);
        }

        // A promise of its own (a STUN transmit's, not the data path's): its failure goes to the
        // listener only, never into the pipeline, so the channel stays open as with the silent one.
        @Override
        public void send(ByteBuf data, InetSocketAddress to, Consumer<Throwable> onFailure) {
            channel.writeAndFlush(new DatagramPacket(data, to)).addListener(f -> {
                if (!f.isSuccess()) {
                    onFailure.accept(f.cause());
                }
            });
        }

        @Override
        public void sendLater(ByteBuf data, InetSocketAddress to) {
            channel.write(new DatagramPacket(data, to), silent);
        }

        @Override
        public Mono<Void> sendAll(Publisher<? extends ByteBuf> data,
                Function<ByteBuf, InetSocketAddress> destination) {
            // Reactor Netty writes on the event loop, flushing in batches, with backpressure
            return connection.outbound().sendObject(Flux.from(data)
                    .map(b -> new DatagramPacket(b, destination.apply(b)))).then();
        }

        @Override
        public void flush() {
            channel.flush();
        }

        @Override
        public Optional<ScheduledExecutorService> eventLoop() {
            return Optional.of(channel.eventLoop());
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
