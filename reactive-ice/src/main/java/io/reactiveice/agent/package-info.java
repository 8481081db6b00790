/**
 * The values an application gets from and gives to an ICE agent (API): its role
 * ({@link io.reactiveice.agent.IceRole}, RFC 8445 section 6.1.1), the transport state
 * ({@link io.reactiveice.agent.IceState}, as in W3C's {@code RTCIceTransportState}), the credentials
 * ({@link io.reactiveice.agent.IceCredentials}, RFC 8445 section 5.3) and a selected
 * {@link io.reactiveice.agent.CandidatePair} (section 6.1.2), and the statistics shaped after W3C
 * webrtc-stats ({@link io.reactiveice.agent.IceStats} with its
 * {@link io.reactiveice.agent.IceCandidatePairStats}, {@link io.reactiveice.agent.IceCandidateStats} and
 * {@link io.reactiveice.agent.RelayAllocationStats}), why a session failed
 * ({@link io.reactiveice.agent.IceFailureReason} with its {@link io.reactiveice.agent.IceFailureKind} short
 * names, {@link io.reactiveice.agent.PairFailure} per pair, {@link io.reactiveice.agent.GatheringError} per
 * server, on an {@link io.reactiveice.agent.IceStateChange}) and the protocol steps for debugging tools
 * ({@link io.reactiveice.agent.IceProtocolEvent}). Immutable values only: the protocol core
 * that produces them lives in {@code io.reactiveice.internal.agent} and is not API. Must not depend on
 * Reactor, Netty or any internal package.
 */
package io.reactiveice.agent;
