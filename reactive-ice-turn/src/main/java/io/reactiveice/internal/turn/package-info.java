/**
 * Not API (it may change in any release): the TURN client's insides, which only
 * {@code io.reactiveice.turn} uses.
 *
 * <p>{@link io.reactiveice.internal.turn.TurnAllocation} is the deterministic core, a
 * {@link io.reactiveice.internal.sansio.ProtocolMachine} like the ICE agent's: no sockets, no clock,
 * no threads; time comes in as nanoseconds and messages go in and out as values. It is split by RFC
 * 8656 section: the allocation and its refresh (sections 7 and 8) in {@code TurnAllocation}, the
 * server and long-term credential (401, 438, 300) in {@code ServerCredential}, permissions and
 * channels (sections 9 and 12) in {@code PeerRequests} over {@code PeerBindings}, the outstanding
 * requests in {@code TurnTransactions}, each timed by the one
 * {@link io.reactiveice.stun.StunClientTransaction}. {@link io.reactiveice.internal.turn.TurnDataPath} frames
 * application data (Send and Data indications, ChannelData) without allocating per packet beyond the
 * buffer sent. The reactive shell ({@code RelaySession}) runs the core on the one
 * {@link io.reactiveice.internal.runner.MachineRunner}, on a worker of an injected Reactor
 * {@code Scheduler}, over a {@link io.reactiveice.transport.PacketSocket}: a UDP socket, or a TCP or
 * TLS connection to the server framed into whole messages (RFC 8656 section 3.1) by
 * {@code TurnStreamSocket}; users see it as a {@code TurnRelay}, the agent through a separate
 * internal adapter as a relayed socket. Server names resolve through the one
 * {@link io.reactiveice.internal.transport.ServerResolver}. Nothing here logs or prints a password or a key.
 */
package io.reactiveice.internal.turn;
