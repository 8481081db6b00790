package io.reactiveice.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunDecodeException;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * The reactive shell around one {@link TurnAllocation}: the core runs on one worker of the
 * injected {@link Scheduler} (its serialized context and its only clock), the socket's I/O thread
 * decodes the data path against an immutable {@link ChannelTable}, and senders on any thread frame
 * their data without touching the core except for a peer's first datagram.
 */
final class RelaySession implements TurnRelay {
    private static final Logger log = LoggerFactory.getLogger(TurnRelay.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final ThreadLocal<StunMessageWriter> WRITERS = ThreadLocal.withInitial(StunMessageWriter::new);

    private final String id = "turn-" + IDS.incrementAndGet();
    private final TurnAllocation core; // the worker's only
    private final Scheduler scheduler;
    private final Scheduler.Worker worker;
    private final PacketSocket.Receiver receiver; // null: datagrams go to receive()
    private final Sinks.Many<TurnDatagram> inbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<TurnRelay> allocated = Sinks.one();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final Sinks.One<Throwable> lost = Sinks.one();
    private final Sinks.Many<TurnEvent> events = Sinks.many().multicast().directBestEffort();
    private final StunMessageReader inboundReader = new StunMessageReader(); // the socket's I/O thread only
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean disposing = new AtomicBoolean();
    private volatile PacketSocket socket;
    private volatile ChannelTable table = ChannelTable.EMPTY;
    private volatile InetSocketAddress server;
    private volatile InetSocketAddress relayed;
    private volatile InetSocketAddress mapped;
    private volatile boolean dontFragment;
    private Disposable timer; // the worker's only, like the two fields below
    private long timerAt = Long.MAX_VALUE;
    private boolean finished;

    RelaySession(TurnAllocation core, Scheduler scheduler, PacketSocket.Receiver receiver) {
        this.core = core;
        this.scheduler = scheduler;
        this.worker = scheduler.createWorker();
        this.receiver = receiver;
        this.server = core.server();
    }

    /** Starts the allocation over a bound socket; the Mono gives this relay once the server made it. */
    Mono<TurnRelay> start(PacketSocket bound) {
        this.socket = bound;
        onWorker(() -> {
            if (core.state() == TurnAllocation.State.IDLE) { // not when the connection already closed
                core.start(now());
            }
            drain();
        }, null);
        return allocated.asMono().doOnCancel(this::dispose);
    }

    /** Releases the worker when the socket could not be bound. */
    void abandon() {
        disposing.set(true);
        worker.dispose();
    }

    /** The connection of a TCP or TLS relay closed without our asking (RFC 8656 section 3.1). */
    void onTransportClosed() {
        onWorker(() -> {
            core.transportClosed(now());
            drain();
        }, null);
    }

    // ---- inbound, on the socket's I/O thread ------------------------------------------------------

    void onPacket(ByteBuf data, InetSocketAddress sender) {
        if (!sender.equals(server)) {
            dropped.incrementAndGet();
            return;
        }
        ByteBuffer nio = data.nioBufferCount() == 1 ? data.nioBuffer() : ByteBuffer.wrap(ByteBufUtil.getBytes(data));
        int off = nio.position();
        int len = nio.remaining();
        try {
            if (TurnDataPath.isChannelData(nio, off, len)) {
                deliver(data, off, TurnDataPath.channelData(nio, off, len, table));
            } else if (!inboundReader.tryRead(nio, off, len)) {
                dropped.incrementAndGet();
            } else if (inboundReader.messageClass() == StunClass.INDICATION) {
                deliver(data, off, TurnDataPath.dataIndication(inboundReader));
            } else {
                byte[] copy = new byte[len]; // a control message: the core gets its own copy
                nio.get(off, copy, 0, len);
                onWorker(() -> {
                    core.handleInput(now(), new Datagram(null, server, ByteBuffer.wrap(copy), 0, len));
                    drain();
                }, null);
            }
        } catch (StunDecodeException malformed) {
            dropped.incrementAndGet();
        }
    }

    private void deliver(ByteBuf data, int base, TurnDataPath.Payload payload) {
        if (payload == null) {
            dropped.incrementAndGet();
            return;
        }
        int index = data.readerIndex() + payload.offset() - base;
        if (receiver != null) {
            receiver.onPacket(data.slice(index, payload.length()), payload.peer());
            return;
        }
        ByteBuf kept = data.retainedSlice(index, payload.length());
        if (inbound.tryEmitNext(new TurnDatagram(payload.peer(), kept)).isFailure()) {
            kept.release();
            dropped.incrementAndGet();
        }
    }

    // ---- outbound, on any thread ------------------------------------------------------------------

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        ByteBuf framed = frame(data, to);
        if (framed != null) {
            socket.send(framed, server);
        }
    }

    /**
     * Sends a stream through the allocation's socket in one {@code sendAll}, so that a UDP relay's
     * datagrams leave in batches (epoll's {@code sendmmsg}) rather than one system call each. Each is
     * framed as {@link #send} frames it; a new peer's first datagram still goes through the core.
     */
    @Override
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        PacketSocket s = socket;
        if (s == null) {
            return Flux.from(data).doOnNext(b -> send(b, destination.apply(b))).then();
        }
        return s.sendAll(Flux.from(data).<ByteBuf>handle((b, sink) -> {
            ByteBuf framed = frame(b, destination.apply(b));
            if (framed != null) {
                sink.next(framed);
            }
        }), framed -> server);
    }

    /**
     * The datagram as it goes to the server: ChannelData on a bound channel, a Send indication once
     * the permission is asked for; or {@code null} when it took another way (a new peer's, queued
     * behind the core's CreatePermission and ChannelBind) or was dropped (no socket, closing).
     * Releases {@code data} either way.
     */
    private ByteBuf frame(ByteBuf data, InetSocketAddress to) {
        PacketSocket s = socket;
        if (s == null || disposing.get()) {
            data.release();
            return null;
        }
        ChannelTable t = table;
        int channel = t.channel(to);
        if (channel >= 0) {
            return channelData(channel, data);
        } else if (t.requested().contains(to)) {
            return sendIndication(data, to, dontFragment);
        }
        // a new peer: the core asks for its permission and channel first, so that the server
        // has the permission before this datagram arrives (one worker, one socket, in order)
        onWorker(() -> {
            core.peerActive(now(), to);
            drain();
            socket.send(sendIndication(data, to, dontFragment), server);
        }, data);
        return null;
    }

    private static ByteBuf channelData(int channel, ByteBuf data) {
        int n = data.readableBytes();
        ByteBuf out = ByteBufAllocator.DEFAULT.ioBuffer(4 + n);
        try {
            out.writeShort(channel).writeShort(n).writeBytes(data, data.readerIndex(), n);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            data.release();
        }
    }

    private static ByteBuf sendIndication(ByteBuf data, InetSocketAddress to, boolean dontFragment) {
        int n = data.readableBytes();
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer(n + TurnDataPath.SEND_OVERHEAD + 4);
        boolean ok = false;
        try {
            byte[] array = data.hasArray() ? data.array() : ByteBufUtil.getBytes(data);
            int offset = data.hasArray() ? data.arrayOffset() + data.readerIndex() : 0;
            int length = TurnDataPath.writeSend(WRITERS.get(), out.nioBuffer(0, out.capacity()),
                    TransactionId.random(ThreadLocalRandom.current()), to, array, offset, n, dontFragment);
            out.writerIndex(length);
            ok = true;
            return out;
        } finally {
            data.release();
            if (!ok) {
                out.release();
            }
        }
    }

    // ---- the core, on the worker ------------------------------------------------------------------

    private void drain() {
        if (finished) {
            return;
        }
        PacketSocket s = socket;
        for (Transmit t = core.pollTransmit(); t != null; t = core.pollTransmit()) {
            s.send(Unpooled.wrappedBuffer(t.data()), t.to());
        }
        table = core.channels();
        server = core.server();
        dontFragment = core.dontFragment();
        for (TurnEvent e = core.pollEvent(); e != null; e = core.pollEvent()) {
            onEvent(e);
        }
        if (!finished) {
            rearm();
        }
    }

    private void onEvent(TurnEvent e) {
        events.tryEmitNext(e);
        if (e instanceof TurnEvent.Allocated a) {
            relayed = a.relayed();
            mapped = a.mapped();
            log.info("[{}] allocated {} on {} (mapped {}, lifetime {} s)", id, a.relayed(), server, a.mapped(),
                    a.lifetime().toSeconds());
            allocated.tryEmitValue(this);
        } else if (e instanceof TurnEvent.AllocationFailed f) {
            log.warn("[{}] allocation failed: {}", id, f.cause().getMessage());
            allocated.tryEmitError(f.cause());
            finish();
        } else if (e instanceof TurnEvent.AllocationLost l) {
            log.warn("[{}] allocation lost: {}", id, l.cause().getMessage());
            lost.tryEmitValue(l.cause());
        } else if (e instanceof TurnEvent.Deallocated) {
            log.info("[{}] deallocated on {}", id, server);
            finish();
        } else if (log.isDebugEnabled()) {
            log.debug("[{}] {}", id, e);
        }
    }

    private void rearm() {
        long at = core.nextTimeout();
        if (at == timerAt) {
            return;
        }
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
        timerAt = at;
        if (at != Long.MAX_VALUE) {
            timer = worker.schedule(this::onTimer, Math.max(0, at - now()), TimeUnit.NANOSECONDS);
        }
    }

    private void onTimer() {
        timer = null;
        timerAt = Long.MAX_VALUE;
        core.handleTimeout(now());
        drain();
    }

    private void finish() {
        finished = true;
        if (timer != null) {
            timer.dispose();
        }
        PacketSocket s = socket;
        if (s != null) {
            s.dispose();
        }
        allocated.tryEmitError(new IllegalStateException("the relay was disposed before the allocation was made"));
        // the I/O thread may be emitting into it right now: wait for it rather than lose the completion
        inbound.emitComplete(Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofSeconds(1)));
        events.tryEmitComplete();
        closed.tryEmitEmpty();
        worker.dispose();
    }

    private long now() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    private void onWorker(Runnable task, ByteBuf owned) {
        try {
            worker.schedule(task);
        } catch (RejectedExecutionException gone) {
            if (owned != null) {
                owned.release();
            }
        }
    }

    // ---- the API ------------------------------------------------------------------------------------

    @Override
    public boolean dontFragment() {
        return dontFragment;
    }

    @Override
    public InetSocketAddress localAddress() {
        return relayed;
    }

    @Override
    public InetSocketAddress mappedAddress() {
        return mapped;
    }

    @Override
    public Mono<Void> permit(InetSocketAddress peer) {
        return Mono.create(sink -> {
            Disposable waiting = events.asFlux()
                    .filter(e -> e instanceof TurnEvent.PermissionCreated p && p.peer().equals(peer.getAddress())
                            || e instanceof TurnEvent.PeerFailed f && f.peer().equals(peer))
                    .next()
                    .subscribe(e -> {
                        if (e instanceof TurnEvent.PeerFailed f) {
                            sink.error(f.cause());
                        } else {
                            sink.success();
                        }
                    }, sink::error, () -> sink.error(new IllegalStateException("the relay closed")));
            sink.onDispose(waiting);
            onWorker(() -> {
                core.permit(now(), peer);
                drain();
            }, null);
        });
    }

    @Override
    public Flux<TurnDatagram> receive() {
        if (receiver != null) {
            return Flux.error(new IllegalStateException("this relay hands datagrams to the receiver it was opened with"));
        }
        return inbound.asFlux().doOnDiscard(TurnDatagram.class, d -> d.content().release());
    }

    @Override
    public Mono<Throwable> lost() {
        return lost.asMono();
    }

    @Override
    public Flux<TurnEvent> events() {
        return events.asFlux();
    }

    @Override
    public Mono<Void> close() {
        dispose();
        return closed.asMono();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public void dispose() {
        if (!disposing.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.schedule(() -> {
                core.deallocate(now());
                drain();
            });
        } catch (RejectedExecutionException gone) {
            PacketSocket s = socket;
            if (s != null) {
                s.dispose();
            }
        }
    }

    @Override
    public boolean isDisposed() {
        return disposing.get();
    }

    @Override
    public String toString() {
        return "TurnRelay[" + id + ", relayed " + relayed + " on " + server + "]";
    }
}
