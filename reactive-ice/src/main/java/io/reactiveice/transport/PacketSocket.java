package io.reactiveice.transport;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One bound datagram socket, as the ICE agent sees it: send a datagram, hear every datagram that
 * arrives. Implemented over Reactor Netty UDP ({@link UdpPacketTransport}) and, in tests, by
 * in-process networks that lose, delay or translate packets.
 */
public interface PacketSocket extends Disposable {

    /** Receives every datagram; called on the socket's I/O thread. */
    @FunctionalInterface
    interface Receiver {
        /**
         * One datagram. {@code data} is valid only during the call and is released afterwards: a
         * receiver that keeps it must {@code retain()} it.
         *
         * @param data the payload
         * @param sender who sent it
         */
        void onPacket(ByteBuf data, InetSocketAddress sender);
    }

    /** The local address this socket is bound to. */
    InetSocketAddress localAddress();

    /**
     * Sends one datagram; takes ownership of {@code data} (releases it when sent or dropped).
     *
     * @param data the payload
     * @param to the destination
     */
    void send(ByteBuf data, InetSocketAddress to);

    /**
     * Sends one datagram as {@link #send(ByteBuf, InetSocketAddress)} does, and tells {@code onFailure}
     * (on the socket's I/O thread) when the datagram could not leave, e.g. {@code ENETUNREACH} towards
     * an address whose route went with a local address. The default sends and never tells: a socket
     * that cannot see its send failures loses those datagrams silently, as UDP may.
     *
     * @param data the payload
     * @param to the destination
     * @param onFailure told the cause of a send that failed
     */
    default void send(ByteBuf data, InetSocketAddress to, Consumer<Throwable> onFailure) {
        send(data, to);
    }

    /**
     * Sends a stream of datagrams with backpressure; each goes to the address {@code destination}
     * gives for it at that moment. The default sends one by one.
     *
     * @param data the payloads, each released when sent or dropped
     * @param destination where each goes
     * @return completes when the stream is sent
     */
    default Mono<Void> sendAll(Publisher<? extends ByteBuf> data,
            Function<ByteBuf, InetSocketAddress> destination) {
        return Flux.from(data).doOnNext(b -> send(b, destination.apply(b))).then();
    }

    /** Flushes datagrams written with {@link #sendLater}. */
    default void flush() {
    }

    /** Queues a datagram without flushing; the default sends at once. */
    default void sendLater(ByteBuf data, InetSocketAddress to) {
        send(data, to);
    }

    /**
     * The event loop this socket's datagrams are received on, if it has one (a Reactor Netty socket
     * does): work that handles them can run there without a thread hand-off, as the sessions of a
     * {@code SharedUdpPort} do. The default has none; a wrapper should return its socket's.
     */
    default Optional<ScheduledExecutorService> eventLoop() {
        return Optional.empty();
    }
}
