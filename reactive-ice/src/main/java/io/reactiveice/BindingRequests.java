package io.reactiveice;

import io.netty.buffer.Unpooled;
import io.reactiveice.internal.transport.PendingTransactions;
import io.reactiveice.internal.transport.StunTransaction;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * Gathering's Binding transactions to STUN servers (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.2.1">RFC
 * 8489 section 6.2.1</a>, server-reflexive candidates of RFC 8445 section 5.1.1.2), matched to their responses by the one
 * {@link PendingTransactions} table: a request goes out through the socket of its base, its answer comes
 * back among the session's STUN input, which the session offers here first ({@link #onResponse}).
 * Transaction ids come from the session's injected {@link RandomGenerator}.
 */
final class BindingRequests {
    private static final Logger log = LoggerFactory.getLogger(BindingRequests.class);

    private final String id;
    private final Executor serial;
    private final RandomGenerator random;
    private final RetransmissionSchedule schedule;
    private final Scheduler scheduler;
    private final PendingTransactions<Sinks.One<InetSocketAddress>> pending = new PendingTransactions<>();
    private StunMessageReader reader; // the worker's only; made on the first response to a gathering transaction

    /** @param serial the session's serialized context */
    BindingRequests(String id, Executor serial, RandomGenerator random, RetransmissionSchedule schedule,
            Scheduler scheduler) {
        this.id = id;
        this.serial = serial;
        this.random = random;
        this.schedule = schedule;
        this.scheduler = scheduler;
    }

    /**
     * One Binding transaction from {@code socket} to {@code server}: the mapped address it learns. Its
     * id is drawn on the session's serialized context, the only thread that draws from the session's
     * random source.
     */
    Mono<InetSocketAddress> mappedAddress(PacketSocket socket, InetSocketAddress server) {
        return Mono.<TransactionId>create(sink -> serial.execute(() -> sink.success(TransactionId.random(random))))
                .flatMap(tid -> {
                    ByteBuffer buffer = ByteBuffer.allocate(64);
                    int n = new StunMessageWriter().begin(buffer, StunMethod.BINDING, StunClass.REQUEST, tid)
                            .putFingerprint().finish();
                    byte[] request = new byte[n];
                    buffer.get(0, request, 0, n);
                    Sinks.One<InetSocketAddress> response = Sinks.one();
                    return pending.track(tid, response, StunTransaction.run(server,
                            () -> socket.send(Unpooled.wrappedBuffer(request), server), response.asMono(), schedule,
                            scheduler));
                });
    }

    /** On the worker: whether a STUN message answers one of these transactions (then it is consumed). */
    boolean onResponse(byte[] bytes, InetSocketAddress sender) {
        if (pending.isEmpty()) {
            return false; // e.g. every lite session, and every session once gathering is over
        }
        if (reader == null) {
            reader = new StunMessageReader();
        }
        if (!reader.tryRead(bytes, 0, bytes.length) || !reader.messageClass().isResponse()) {
            return false;
        }
        Sinks.One<InetSocketAddress> sink = pending.get(reader.transactionId());
        if (sink == null) {
            return false;
        }
        int i = reader.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS);
        if (reader.messageClass() == StunClass.SUCCESS_RESPONSE && i >= 0
                && (!reader.hasFingerprint() || reader.fingerprintMatches())) {
            try {
                sink.tryEmitValue(reader.xorAddress(i));
            } catch (RuntimeException malformed) {
                log.debug("[{}] malformed Binding response from {}", id, sender);
            }
        }
        return true;
    }
}
