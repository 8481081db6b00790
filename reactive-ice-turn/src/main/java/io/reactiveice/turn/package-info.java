/**
 * The TURN client (RFC 8656): allocations, permissions and channels, and the relayed candidates
 * they give the ICE agent. Not implemented yet: the wire format of every TURN method and attribute
 * already lives in {@code io.reactiveice.stun}; the client follows.
 */
package io.reactiveice.turn;
