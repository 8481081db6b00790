/**
 * Not API (it may change in any release): the ICE agent's protocol core (RFC 8445, RFC 7675): deterministic, with no I/O, no clock, no threads
 * and no randomness of its own; time and random sources come in from the caller, datagrams go in and
 * out as values. Must not depend on Reactor, Netty, the shell or the transports; the user's values it produces (role, state, credentials, pairs) are API in {@code io.reactiveice.agent}.
 *
 * <p>{@link io.reactiveice.internal.agent.IceAgentCore} is the coordinator, the one
 * {@link io.reactiveice.internal.sansio.ProtocolMachine} of the package: it owns the credentials and
 * the restart (RFC 8445 section 9), and applies the outcomes the parts return. Each part is one
 * concern of the RFCs:
 * <ul>
 *   <li>{@link io.reactiveice.internal.agent.AgentStatus}: the state, the role (6.1.1, 7.3.1.1),
 *       end-of-candidates on both sides (RFC 8838) and the counts of what was refused;
 *   <li>{@code Candidates}: ours and the peer's, signalled or peer-reflexive (section 5.1, 7.3.1.3);
 *   <li>{@code Pairing}: forming pairs as candidates trickle in (6.1.2.2 to 6.1.2.5, RFC 8838);
 *   <li>{@code Checklist}: the ordered pairs, the frozen/waiting rules, the triggered-check queue and
 *       every pair-state transition (6.1.2.6); {@code PairEntry} is a pair's mutable state,
 *       {@link io.reactiveice.agent.CandidatePair} its snapshot;
 *   <li>{@code OutgoingChecks}: our Binding requests, each check retransmitted by one
 *       {@link io.reactiveice.stun.StunClientTransaction} (RFC 8489 section 6.2.1, RTO of section 14.3),
 *       the early checks of a nomination ({@code EarlyCheckSeries}, 7.3.1.4), consent checks, and the
 *       {@code TransactionTable} answers are matched against (7.2.5); {@code Pacing}: the Ta slots (14.2);
 *       {@code CheckMessages}: their encoding (7.2.2, 7.3.1.2), stateless;
 *   <li>{@code StunScreen}: what a received datagram is (RFC 7983, sections 5.1.1 and 7);
 *       {@code RequestHandling}: a received check (7.3), with {@code RoleConflict} (7.3.1.1);
 *       {@code ResponseHandling}: a response to ours (7.2.5);
 *   <li>{@code Nomination}: regular nomination (8.1.1); {@code Renomination}: the NOMINATION counter of
 *       draft-thatcher-ice-renomination, sent and followed; {@code Selection}: the selected pair (8.1) and
 *       the old path across a restart (9);
 *   <li>{@code PairCounters}: a pair's STUN counts and round-trip times, written where each message
 *       is sent or taken; {@code Statistics}: the W3C-shaped snapshot of them, with the data path's
 *       {@link io.reactiveice.internal.agent.PathCounters} that the shell passes in;
 *   <li>{@code ConsentFreshness}: consent and its own timers, DISCONNECTED and recovery (RFC 7675);
 *   <li>{@code Recovery}: when to ask for an automatic ICE restart (section 9), rate-limited, with its
 *       settings in {@link io.reactiveice.internal.agent.RecoveryConfig}.
 * </ul>
 */
package io.reactiveice.internal.agent;
