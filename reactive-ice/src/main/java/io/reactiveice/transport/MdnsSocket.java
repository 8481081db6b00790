package io.reactiveice.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.reactiveice.internal.gather.MdnsMessages;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.function.BiConsumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.udp.UdpResources;
import reactor.netty.udp.UdpServer;

/**
 * The IPv4 mDNS socket both {@link MdnsResolver} and {@link MdnsResponder} use: bound to port 5353
 * of the IPv4 wildcard with address reuse (as every mDNS participant on a host shares it), a member
 * of 224.0.0.251 on one interface only, and sending multicast through that interface only, with
 * TTL 255 (RFC 6762 section 11). If the interface cannot be set, opening fails: multicast must never
 * follow the routing table to another interface.
 */
final class MdnsSocket implements Disposable {
    static final InetSocketAddress GROUP = new InetSocketAddress("224.0.0.251", MdnsMessages.PORT);

    private final Connection connection;

    MdnsSocket(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens the socket.
     *
     * @param nif the only interface it sends multicast through and joins the group on
     * @param receiver gets every datagram (bytes and sender), on the socket's I/O thread
     * @return the open socket, a member of the group; an error if the interface could not be set
     */
    static Mono<MdnsSocket> open(NetworkInterface nif, BiConsumer<byte[], InetSocketAddress> receiver) {
        return Mono.defer(() -> {
            InetAddress wildcard;
            try {
                wildcard = InetAddress.getByAddress(new byte[4]);
            } catch (UnknownHostException e) {
                return Mono.error(e);
            }
            Sinks.Empty<Void> joined = Sinks.empty();
            return UdpServer.create()
                    // an IPv4 socket: on a dual-stack one, IP_MULTICAST_IF would not govern IPv4 multicast
                    .runOn(UdpResources.get(), SocketProtocolFamily.INET)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.IP_MULTICAST_IF, nif)
                    .option(ChannelOption.IP_MULTICAST_TTL, 255)
                    .bindAddress(() -> new InetSocketAddress(wildcard, MdnsMessages.PORT))
                    .handle((in, out) -> in.join(GROUP.getAddress(), nif)
                            .doOnSuccess(v -> joined.tryEmitEmpty())
                            .doOnError(joined::tryEmitError)
                            .thenMany(in.receiveObject())
                            .doOnNext(o -> {
                                if (o instanceof DatagramPacket p) {
                                    receiver.accept(ByteBufUtil.getBytes(p.content()), p.sender());
                                }
                            }).then())
                    .bind()
                    .flatMap(c -> {
                        Object set = c.channel().config().getOption(ChannelOption.IP_MULTICAST_IF);
                        if (!nif.equals(set) || !(c.channel().localAddress() instanceof InetSocketAddress local
                                && local.getAddress() instanceof Inet4Address)) {
                            c.dispose();
                            return Mono.error(new IllegalStateException("cannot send mDNS through " + nif.getName()
                                    + " only (IPv4 socket with IP_MULTICAST_IF " + set + "); refusing to send any"));
                        }
                        // a member of the group before anything is sent, or an answer could come too early
                        return joined.asMono().thenReturn(new MdnsSocket(c))
                                .doOnError(e -> c.dispose());
                    });
        });
    }

    /** Sends a message to the group (through the one interface) or to a unicast address. */
    void send(byte[] message, InetSocketAddress to) {
        connection.channel().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), to));
    }

    @Override
    public void dispose() {
        connection.dispose();
    }

    @Override
    public boolean isDisposed() {
        return connection.isDisposed();
    }

    /** Completes when the socket is closed. */
    Mono<Void> onDispose() {
        return connection.onDispose();
    }
}
