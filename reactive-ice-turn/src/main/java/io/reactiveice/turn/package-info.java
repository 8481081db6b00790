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
 * <p>The allocation state machine, the data path and the stream framing live in
 * {@code io.reactiveice.internal.turn} and are not API; no public signature here names them.
 */
package io.reactiveice.turn;
