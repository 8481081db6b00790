/**
 * The TURN client (<a href="https://www.rfc-editor.org/rfc/rfc8656">RFC 8656</a>): allocations,
 * permissions and channels, and the relayed candidates they give the ICE agent.
 *
 * <p>API: {@link io.reactiveice.turn.TurnRelayAllocator} (the agent's
 * {@link io.reactiveice.RelayAllocator}, and {@code open(server)} for a relay on its own),
 * {@link io.reactiveice.turn.TurnRelay} (only what a relay user needs: its addresses, permit, send,
 * receive, events, loss; {@code close()} deletes the allocation and completes when the server
 * confirmed, {@code dispose()} does the same without waiting), {@link io.reactiveice.turn.TurnDatagram},
 * {@link io.reactiveice.turn.TurnEvent} and the {@link io.reactiveice.turn.TurnException}s.
 *
 * <p>{@link io.reactiveice.turn.TurnAllocation} is the deterministic core, a
 * {@link io.reactiveice.internal.sansio.ProtocolMachine} like the ICE agent's: no sockets, no clock,
 * no threads; time comes in as nanoseconds and messages go in and out as values. It is split by RFC
 * 8656 section: the allocation and its refresh (sections 7 and 8) in {@code TurnAllocation}, the
 * server and long-term credential (401, 438, 300) in {@code ServerCredential}, permissions and
 * channels (sections 9 and 12) in {@code PeerRequests} over {@code PeerBindings}, the outstanding
 * requests in {@code TurnTransactions}, each timed by the one
 * {@link io.reactiveice.stun.StunClientTransaction}. {@link io.reactiveice.turn.TurnDataPath} frames
 * application data (Send and Data indications, ChannelData) without allocating per packet beyond the
 * buffer sent. The reactive shell ({@code RelaySession}) runs the core on the one
 * {@link io.reactiveice.internal.runner.MachineRunner}, on a worker of an injected Reactor
 * {@code Scheduler}, over a {@link io.reactiveice.transport.PacketSocket}: a UDP socket, or a TCP or
 * TLS connection to the server framed into whole messages (RFC 8656 section 3.1) by
 * {@code TurnStreamSocket}; users see it as a {@code TurnRelay}, the agent through a separate
 * internal adapter as a relayed socket. Server names resolve through the one
 * {@link io.reactiveice.transport.ServerResolver}. Nothing here logs or prints a password or a key.
 */
package io.reactiveice.turn;
