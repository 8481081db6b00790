package io.reactiveice.internal.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.internal.runner.MachineRunner;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.internal.transport.ByteBufViews;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunDecodeException;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.turn.TurnEvent;
import io.reactiveice.turn.TurnRelay;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
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
 * The reactive shell around one {@link TurnAllocation}: the core runs on the one
 * {@link MachineRunner} (a worker of the injected {@link Scheduler}, its serialized context and its
 * only clock), the socket's I/O thread decodes the data path against an immutable
 * {@link ChannelTable}, and senders on any thread frame their data without touching the core except
 * for a peer's first datagram. Seen by users as a {@link TurnRelay} ({@link TurnRelayHandle}) and by
 * the agent as a relayed socket ({@link RelayedSocketAdapter}).
 */
public final class RelaySession {
    private static final Logger log = LoggerFactory.getLogger(TurnRelay.class);
    private static final AtomicLong IDS = new AtomicLong();

    /** Where datagrams from peers go, on the socket's I/O thread. */
    public interface Inbound extends PacketSocket.Receiver {
        /** The relay closed: nothing more arrives. On the worker. */
        default void completed() {
        }
    }

    private final String id = "turn-" + IDS.incrementAndGet();
    private final TurnAllocation core; // the runner's only
    private final MachineRunner<TurnEvent> runner;
    private final Inbound inbound;
    private final SendIds sendIds;
    private final Sinks.One<RelaySession> allocated = Sinks.one();
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
    // the allocation's statistics: written on the worker only, read by any thread
    private volatile TurnAllocation.State allocationState = TurnAllocation.State.IDLE;
    private volatile long lifetimeSeconds;
    private volatile long refreshes;

    public RelaySession(TurnAllocation core, Scheduler scheduler, Inbound inbound, SendIds sendIds) {
        this.core = core;
        this.inbound = inbound;
        this.sendIds = sendIds;
        this.server = core.server();
        this.runner = new MachineRunner<>(core, scheduler, new Output(), id);
    }

    /** Starts the allocation over a bound socket; the Mono gives this session once the server made it. */
    public Mono<RelaySession> start(PacketSocket bound) {
        this.socket = bound;
        runner.run(() -> {
            if (core.state() == TurnAllocation.State.IDLE) { // not when the connection already closed
                core.start(runner.now());
            }
        });
        return allocated.asMono().doOnCancel(this::dispose);
    }

    /** Releases the runner when the socket could not be bound. */
    public void abandon() {
        disposing.set(true);
        runner.run(runner::stop);
    }

    /** The connection of a TCP or TLS relay closed without our asking (RFC 8656 section 3.1). */
    public void onTransportClosed() {
        runner.run(() -> core.transportClosed(runner.now()));
    }

    // ---- inbound, on the socket's I/O thread ------------------------------------------------------

    public void onPacket(ByteBuf data, InetSocketAddress sender) {
        if (!sender.equals(server)) {
            dropped.incrementAndGet();
            return;
        }
        ByteBuffer nio = ByteBufViews.readable(data); // in place, no view allocated per relayed datagram
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
                runner.run(() -> core.handleInput(runner.now(), new Datagram(null, server, ByteBuffer.wrap(copy), 0, len)));
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
        inbound.onPacket(data.slice(data.readerIndex() + payload.offset() - base, payload.length()), payload.peer());
    }

    // ---- outbound, on any thread ------------------------------------------------------------------

    /** As {@link TurnRelay#send(ByteBuf, InetSocketAddress)}. */
    void send(ByteBuf data, InetSocketAddress to) {
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
    Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
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
            return RelayFrames.channelData(channel, data);
        } else if (t.requested().contains(to)) {
            return RelayFrames.sendIndication(data, to, dontFragment, sendIds.next());
        }
        // a new peer: the core asks for its permission and channel first, so that the server
        // has the permission before this datagram arrives (one worker, one socket, in order)
        runner.run(() -> {
            core.peerActive(runner.now(), to);
            runner.drainOutput();
            socket.send(RelayFrames.sendIndication(data, to, dontFragment, sendIds.next()), server);
        }, data::release);
        return null;
    }

    // ---- the API, for TurnRelayHandle and RelayedSocketAdapter -----------------------------------

    /** As {@link TurnRelay#permit}. */
    Mono<Void> permit(InetSocketAddress peer) {
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
            runner.run(() -> core.permit(runner.now(), peer));
        });
    }

    boolean dontFragment() {
        return dontFragment;
    }

    InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** The local address of the socket or connection to the server, or {@code null} if it is the wildcard. */
    java.net.InetAddress clientAddress() {
        PacketSocket s = socket;
        InetSocketAddress local = s == null ? null : s.localAddress();
        return local == null || local.getAddress().isAnyLocalAddress() ? null : local.getAddress();
    }

    InetSocketAddress mappedAddress() {
        return mapped;
    }

    Flux<TurnEvent> events() {
        return events.asFlux();
    }

    /** Emits why, if the allocation is lost (RFC 8656 section 7.3); never completes otherwise. */
    public Mono<Throwable> lost() {
        return lost.asMono();
    }

    long dropped() {
        return dropped.get();
    }

    /** Completes when the relay is closed: deleted, expired or lost. */
    public Mono<Void> onDispose() {
        return closed.asMono();
    }

    /** Deletes the allocation (RFC 8656 section 8) and closes the socket; completes when done. */
    Mono<Void> close() {
        dispose();
        return closed.asMono();
    }

    /** Starts {@link #close()} without waiting. */
    void dispose() {
        if (!disposing.compareAndSet(false, true)) {
            return;
        }
        if (!runner.run(() -> core.deallocate(runner.now()))) {
            PacketSocket s = socket;
            if (s != null) {
                s.dispose();
            }
        }
    }

    boolean isDisposed() {
        return disposing.get();
    }

    /**
     * The allocation's state, lifetime and refreshes now, from what the worker last published; any
     * thread. {@code null} before the relayed address is known.
     */
    public RelayAllocationStats allocationStats() {
        InetSocketAddress r = relayed;
        if (r == null) {
            return null;
        }
        RelayAllocationStats.State state = switch (allocationState) {
            case IDLE, ALLOCATING -> RelayAllocationStats.State.ALLOCATING;
            case ALLOCATED -> RelayAllocationStats.State.ALLOCATED;
            case DEALLOCATING -> RelayAllocationStats.State.DEALLOCATING;
            case CLOSED -> RelayAllocationStats.State.CLOSED;
            case FAILED -> RelayAllocationStats.State.FAILED;
        };
        return new RelayAllocationStats(r, state, Duration.ofSeconds(lifetimeSeconds), refreshes);
    }

    @Override
    public String toString() {
        return "TurnRelay[" + id + ", relayed " + relayed + " on " + server + "]";
    }

    // ---- the core's output, on the worker ---------------------------------------------------------

    private final class Output implements MachineRunner.Output<TurnEvent> {
        @Override
        public void snapshot(List<TurnEvent> drained) {
            table = core.channels();
            server = core.server();
            dontFragment = core.dontFragment();
            allocationState = core.state();
        }

        @Override
        public void transmit(Transmit t) {
            socket.send(Unpooled.wrappedBuffer(t.data()), t.to());
        }

        @Override
        public void emit(TurnEvent e) {
            events.tryEmitNext(e);
            if (e instanceof TurnEvent.Refreshed r) {
                lifetimeSeconds = r.lifetime().toSeconds();
                refreshes++; // the worker's only: a volatile single writer
            }
            if (e instanceof TurnEvent.Allocated a) {
                lifetimeSeconds = a.lifetime().toSeconds();
                relayed = a.relayed();
                mapped = a.mapped();
                log.info("[{}] allocated {} on {} (mapped {}, lifetime {} s)", id, a.relayed(), server, a.mapped(),
                        a.lifetime().toSeconds());
                allocated.tryEmitValue(RelaySession.this);
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

        private void finish() {
            runner.stop();
            PacketSocket s = socket;
            if (s != null) {
                s.dispose();
            }
            allocated.tryEmitError(new IllegalStateException("the relay was disposed before the allocation was made"));
            inbound.completed();
            events.tryEmitComplete();
            closed.tryEmitEmpty();
        }
    }
}
