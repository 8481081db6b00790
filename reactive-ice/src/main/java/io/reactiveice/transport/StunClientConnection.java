package io.reactiveice.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.reactiveice.internal.transport.ByteBufViews;
import io.reactiveice.internal.transport.PendingTransactions;
import io.reactiveice.internal.transport.StunTransaction;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunDecodeException;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.StunRejection;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;

/**
 * A bound STUN client socket: sends requests, retransmits them on the schedule, and matches
 * responses by transaction id (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2">RFC 8489
 * section 6.2</a>). Responses that match no transaction, fail FINGERPRINT or, where a key was given,
 * fail MESSAGE-INTEGRITY are dropped and counted; they never complete a transaction.
 */
public final class StunClientConnection implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(StunClientConnection.class);

    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final RetransmissionSchedule schedule;
    private final String software;
    private final PendingTransactions<Pending> pending = PendingTransactions.rememberingFinished();
    private final StunMessageReader reader = new StunMessageReader(); // used on the channel's event loop only
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lateResponses = new AtomicLong();
    private Connection connection;

    private record Pending(Sinks.One<StunMessage> sink, IntegrityKey key, InetSocketAddress server, long[] lastSend) {
    }

    StunClientConnection(Scheduler scheduler, RandomGenerator random, RetransmissionSchedule schedule, String software) {
        this.scheduler = scheduler;
        this.random = random;
        this.schedule = schedule;
        this.software = software;
    }

    StunClientConnection attach(Connection connection) {
        this.connection = connection;
        return this;
    }

    /** The local address the socket is bound to. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) connection.channel().localAddress();
    }

    /** How many datagrams were dropped: not STUN, malformed, unmatched, or failing a check. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * How many responses came for a transaction that had already finished: the server's answers to
     * our retransmissions of a request it had answered already (RFC 8489 section 6.2.1). Not dropped
     * as strangers: they are ours, only late.
     */
    public long lateResponses() {
        return lateResponses.get();
    }

    /**
     * A Binding request to a STUN server (RFC 8489 section 3): the address the server saw and the RTT.
     *
     * @param server the server
     * @return the result, or {@link StunTimeoutException} / {@link StunErrorResponseException}
     */
    public Mono<BindingResult> binding(InetSocketAddress server) {
        long[] sentAt = new long[1];
        return request(server, StunMethod.BINDING, w -> { }, null, sentAt).map(response -> {
            InetSocketAddress mapped = response.attribute(StunAttribute.XorMappedAddress.class)
                    .map(StunAttribute.XorMappedAddress::address)
                    .or(() -> response.attribute(StunAttribute.MappedAddress.class).map(StunAttribute.MappedAddress::address))
                    .orElseThrow(() -> new StunDecodeException(StunRejection.MISSING_ATTRIBUTE,
                            "XOR-MAPPED-ADDRESS in the Binding response from " + server));
            Duration rtt = Duration.ofNanos(scheduler.now(TimeUnit.NANOSECONDS) - sentAt[0]);
            return new BindingResult(server, mapped, rtt, response);
        });
    }

    /**
     * A request of any method.
     *
     * @param server the server
     * @param method the method
     * @param attributes writes the request's attributes (before MESSAGE-INTEGRITY and FINGERPRINT)
     * @param key signs the request with MESSAGE-INTEGRITY and requires it on success responses; or {@code null}
     * @return the success response, or a {@link StunTransactionException}
     */
    public Mono<StunMessage> request(InetSocketAddress server, StunMethod method, Consumer<StunMessageWriter> attributes,
            IntegrityKey key) {
        return request(server, method, attributes, key, new long[1]);
    }

    private Mono<StunMessage> request(InetSocketAddress server, StunMethod method, Consumer<StunMessageWriter> attributes,
            IntegrityKey key, long[] lastSend) {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(attributes, "attributes");
        return Mono.defer(() -> {
            TransactionId id = TransactionId.random(random);
            byte[] bytes = encode(method, id, attributes, key);
            Sinks.One<StunMessage> sink = Sinks.one();
            Runnable send = () -> {
                lastSend[0] = scheduler.now(TimeUnit.NANOSECONDS);
                if (log.isTraceEnabled()) {
                    log.trace("[{}] send {} {} to {}", localAddress(), method, id, server);
                }
                connection.channel().writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), server));
            };
            return pending.track(id, new Pending(sink, key, server, lastSend),
                    StunTransaction.run(server, send, sink.asMono(), schedule, scheduler));
        });
    }

    private byte[] encode(StunMethod method, TransactionId id, Consumer<StunMessageWriter> attributes, IntegrityKey key) {
        ByteBuffer buffer = ByteBuffer.allocate(1500);
        StunMessageWriter writer = new StunMessageWriter().begin(buffer, method, StunClass.REQUEST, id);
        if (software != null) {
            writer.putString(StunAttributeType.SOFTWARE.code(), software);
        }
        attributes.accept(writer);
        if (key != null) {
            writer.putMessageIntegrity(key);
        }
        int length = writer.putFingerprint().finish();
        byte[] out = new byte[length];
        buffer.get(0, out, 0, length);
        return out;
    }

    /** Called on the event loop for every datagram; the packet is released by Reactor Netty afterwards. */
    void onDatagram(Object message) {
        if (!(message instanceof DatagramPacket packet)) {
            dropped.incrementAndGet();
            return;
        }
        ByteBuf content = packet.content();
        ByteBuffer view = ByteBufViews.readable(content);
        if (!reader.tryRead(view, view.position(), content.readableBytes()) || !reader.messageClass().isResponse()) {
            drop(packet, reader.rejection() == null ? "not a response" : reader.rejection().reason());
            return;
        }
        Pending p = pending.get(reader.transactionId());
        if (p == null) {
            if (pending.finishedRecently(reader.transactionId())) {
                lateResponses.incrementAndGet();
            } else {
                drop(packet, "no transaction waits for it");
            }
            return;
        }
        if (reader.hasFingerprint() && !reader.fingerprintMatches()) {
            drop(packet, "FINGERPRINT mismatch");
            return;
        }
        boolean success = reader.messageClass() == StunClass.SUCCESS_RESPONSE;
        if (p.key() != null && (reader.hasIntegrity() || success) && !reader.integrityMatches(p.key())) {
            drop(packet, "MESSAGE-INTEGRITY mismatch");
            return;
        }
        try {
            complete(p, StunMessage.from(reader), success);
        } catch (StunDecodeException e) {
            drop(packet, e.getMessage());
        }
    }

    /** Ends a transaction with its response: the value, or an error response as a typed error. */
    private static void complete(Pending p, StunMessage response, boolean success) {
        if (success) {
            p.sink().tryEmitValue(response);
            return;
        }
        int code = response.attribute(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
        String reason = response.attribute(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::reason).orElse("");
        p.sink().tryEmitError(new StunErrorResponseException(p.server(), code, reason, response));
    }

    private void drop(DatagramPacket packet, String why) {
        dropped.incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug("[{}] dropped a datagram from {}: {}", localAddress(), packet.sender(), why);
        }
    }

    /** The Netty channel, for tests that must put raw bytes on the wire. */
    Channel channelForTests() {
        return connection.channel();
    }

    /** Closes the socket; transactions still waiting fail when their timers run out. */
    @Override
    public void dispose() {
        if (connection != null) {
            connection.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        return connection == null || connection.isDisposed();
    }

    /** Completes when the socket is closed. */
    public Mono<Void> onDispose() {
        return connection.onDispose();
    }
}
