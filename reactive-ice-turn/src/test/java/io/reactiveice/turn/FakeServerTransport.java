package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.reactiveice.internal.turn.FakeTurnServer;
import io.reactiveice.internal.turn.TurnDataPath;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.PasswordAlgorithm;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunBytes;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.transport.PacketTransport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * An in-process TURN server behind a {@link PacketTransport}: answers synchronously, records what
 * it got and when (on the given clock), and can push Data indications and ChannelData to the client.
 */
final class FakeServerTransport implements PacketTransport {
    static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40_000);
    static final InetSocketAddress RELAYED = new InetSocketAddress("127.0.0.1", 50_000);
    static final String REALM = "example.org";
    static final IntegrityKey KEY = IntegrityKey.longTerm("alice", REALM, "wonderland", PasswordAlgorithm.MD5);

    /** One message the server got. @param at virtual nanoseconds @param bytes the datagram */
    record Received(long at, byte[] bytes) {
        boolean isChannelData() {
            return (bytes[0] & 0xF0) == 0x40;
        }

        StunMessage message() {
            return StunMessage.decode(bytes);
        }

        String what() {
            return isChannelData() ? "ChannelData" : message().method().name() + " " + message().messageClass();
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Scheduler clock;
    volatile boolean answer = true;
    volatile boolean acceptCredentials = true;
    private volatile PacketSocket.Receiver client;

    FakeServerTransport(Scheduler clock) {
        this.clock = clock;
    }

    @Override
    public Mono<PacketSocket> bind(InetSocketAddress local, PacketSocket.Receiver receiver) {
        client = receiver;
        return Mono.just(new PacketSocket() {
            private volatile boolean disposed;

            @Override
            public InetSocketAddress localAddress() {
                return CLIENT;
            }

            @Override
            public void send(ByteBuf data, InetSocketAddress to) {
                byte[] bytes = ByteBufUtil.getBytes(data);
                data.release();
                if (!disposed && to.equals(SERVER)) {
                    onRequest(bytes);
                }
            }

            @Override
            public void dispose() {
                disposed = true;
            }

            @Override
            public boolean isDisposed() {
                return disposed;
            }
        });
    }

    List<String> what() {
        return received.stream().map(Received::what).toList();
    }

    private void onRequest(byte[] bytes) {
        received.add(new Received(clock.now(TimeUnit.NANOSECONDS), bytes));
        if (!answer || (bytes[0] & 0xF0) == 0x40) {
            return;
        }
        StunMessage m = StunMessage.decode(bytes);
        if (m.messageClass() != StunClass.REQUEST) {
            return;
        }
        boolean signed = m.attribute(StunAttribute.MessageIntegrity.class).isPresent();
        if (!signed || !acceptCredentials) {
            deliver(FakeTurnServer.error(bytes, null, 401, "Unauthorized", new StunAttribute.Realm(REALM),
                    new StunAttribute.Nonce("nonce")));
        } else if (m.method().equals(StunMethod.ALLOCATE)) {
            deliver(FakeTurnServer.success(bytes, KEY, new StunAttribute.XorRelayedAddress(RELAYED),
                    new StunAttribute.XorMappedAddress(CLIENT), new StunAttribute.Lifetime(600)));
        } else if (m.method().equals(StunMethod.REFRESH)) {
            deliver(FakeTurnServer.success(bytes, KEY,
                    m.attribute(StunAttribute.Lifetime.class).orElse(new StunAttribute.Lifetime(600))));
        } else {
            deliver(FakeTurnServer.success(bytes, KEY));
        }
    }

    /** Sends a Data indication from a peer to the client (RFC 8656 section 11.3). */
    void dataIndication(InetSocketAddress peer, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(200);
        int n = new StunMessageWriter().begin(out, StunMethod.DATA, StunClass.INDICATION,
                        TransactionId.random(new SplittableRandom(3)))
                .put(new StunAttribute.XorPeerAddress(peer)).put(new StunAttribute.Data(
                        StunBytes.of(data))).finish();
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        deliver(bytes);
    }

    /** Sends ChannelData on a channel to the client (RFC 8656 section 12.6). */
    void channelData(int channel, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(4 + data.length);
        TurnDataPath.writeChannelData(out, channel, ByteBuffer.wrap(data), false);
        deliver(out.array());
    }

    private void deliver(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            client.onPacket(buf, SERVER);
        } finally {
            buf.release();
        }
    }
}
