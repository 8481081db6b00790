/**
 * The STUN codec (RFC 8489), with the attributes of ICE (RFC 8445) and TURN (RFC 8656), TURN
 * ChannelData framing and the RFC 7983 first-byte classifier.
 *
 * <p>This package depends on the JDK only: no Netty, no Reactor, no I/O, no clock. Its hot path,
 * {@link io.reactiveice.stun.StunMessageReader} and {@link io.reactiveice.stun.StunMessageWriter},
 * works in place on a {@link java.nio.ByteBuffer} and allocates nothing per message;
 * {@link io.reactiveice.stun.StunMessage} and {@link io.reactiveice.stun.StunAttribute} are the
 * typed, allocating view for everything else. Bad input is reported as a
 * {@link io.reactiveice.stun.StunRejection}, or thrown as the one
 * {@link io.reactiveice.stun.StunDecodeException}, never as any other exception.
 */
package io.reactiveice.stun;
