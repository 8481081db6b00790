/**
 * The reactive transports (API): the STUN client ({@link io.reactiveice.transport.StunClient}, RFC 8489
 * transactions as {@code Mono}s) and the embedded STUN server ({@link io.reactiveice.transport.StunServer}),
 * one-shot mDNS ({@link io.reactiveice.transport.MdnsResolver}, {@link io.reactiveice.transport.MdnsResponder}),
 * and the datagram service interface the agent sends through ({@link io.reactiveice.transport.PacketTransport},
 * {@link io.reactiveice.transport.PacketSocket}), over Reactor Netty UDP.
 *
 * <p>Netty buffers end here: received {@code ByteBuf}s are decoded inside the {@code onNext} that
 * delivered them and never reach the protocol core. Every timer takes its
 * {@link reactor.core.scheduler.Scheduler} from the configuration, so tests run them in virtual time.
 * Helpers only the library uses are package-private here or live in {@code io.reactiveice.internal.transport}.
 */
package io.reactiveice.transport;
