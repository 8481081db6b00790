/**
 * The TURN client (<a href="https://www.rfc-editor.org/rfc/rfc8656">RFC 8656</a>): allocations,
 * permissions and channels, and the relayed candidates they give the ICE agent.
 *
 * <p>{@link io.reactiveice.turn.TurnAllocation} is the deterministic core: no sockets, no clock, no
 * threads; time comes in as nanoseconds and messages go in and out as values.
 * {@link io.reactiveice.turn.TurnDataPath} frames application data (Send and Data indications,
 * ChannelData) without allocating per packet beyond the buffer sent. The reactive shell
 * ({@link io.reactiveice.turn.TurnRelayAllocator}) runs the core on one worker of an injected
 * Reactor {@code Scheduler} over a {@link io.reactiveice.transport.PacketSocket}: a UDP socket, or
 * a TCP or TLS connection to the server framed into whole messages (RFC 8656 section 3.1) by
 * {@code TurnStreamSocket}. Nothing here logs or prints a password or a key.
 */
package io.reactiveice.turn;
