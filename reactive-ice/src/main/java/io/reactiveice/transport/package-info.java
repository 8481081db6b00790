/**
 * The reactive shell around the STUN codec: client transactions with RFC 8489 retransmission as
 * {@code Mono}s and an embedded STUN server, over Reactor Netty UDP.
 *
 * <p>Netty buffers end here: received {@code ByteBuf}s are decoded inside the {@code onNext} that
 * delivered them and never reach the protocol core. Every timer takes its
 * {@link reactor.core.scheduler.Scheduler} from the configuration, so tests run them in virtual time.
 */
package io.reactiveice.transport;
