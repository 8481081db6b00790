package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Real UDP that counts ChannelData datagrams each way (first byte 0x40 to 0x4F), to see which framing
 * was used, and Send indications that carry DONT-FRAGMENT.
 */
final class CountingTransport implements PacketTransport {
    final AtomicInteger channelDataSent = new AtomicInteger();
    final AtomicInteger channelDataSentInBatches = new AtomicInteger(); // through sendAll
    final AtomicInteger channelDataReceived = new AtomicInteger();
    final AtomicInteger stunSent = new AtomicInteger();
    final AtomicInteger sendIndicationsWithDontFragment = new AtomicInteger();
    private final PacketTransport udp = PacketTransport.udp();
    volatile InetSocketAddress lastLocal;

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        return udp.bind(local, (data, sender) -> {
            if (isChannelData(data)) {
                channelDataReceived.incrementAndGet();
            }
            receiver.onPacket(data, sender);
        }).doOnNext(socket -> lastLocal = socket.localAddress()).map(socket -> new PacketSocket() {
            @Override
            public InetSocketAddress localAddress() {
                return socket.localAddress();
            }

            @Override
            public void send(ByteBuf data, InetSocketAddress to) {
                (isChannelData(data) ? channelDataSent : stunSent).incrementAndGet();
                if (isSendIndicationWithDontFragment(data)) {
                    sendIndicationsWithDontFragment.incrementAndGet();
                }
                socket.send(data, to);
            }

            @Override
            public Mono<Void> sendAll(Publisher<? extends ByteBuf> data,
                    Function<ByteBuf, InetSocketAddress> destination) {
                return socket.sendAll(Flux.from(data).doOnNext(b -> {
                    if (isChannelData(b)) {
                        channelDataSent.incrementAndGet();
                        channelDataSentInBatches.incrementAndGet();
                    } else {
                        stunSent.incrementAndGet();
                    }
                }), destination);
            }

            @Override
            public void dispose() {
                socket.dispose();
            }

            @Override
            public boolean isDisposed() {
                return socket.isDisposed();
            }
        });
    }

    private static boolean isSendIndicationWithDontFragment(ByteBuf data) {
        StunMessageReader reader = new StunMessageReader();
        return reader.tryRead(data.nioBuffer(), 0, data.readableBytes())
                && reader.messageClass() == StunClass.INDICATION && reader.method().equals(StunMethod.SEND)
                && reader.indexOf(StunAttributeType.DONT_FRAGMENT) >= 0;
    }

    private static boolean isChannelData(ByteBuf data) {
        return data.readableBytes() >= 4 && (data.getUnsignedByte(data.readerIndex()) & 0xF0) == 0x40;
    }
}
