/**
 * The one shell runner ({@link io.reactiveice.internal.runner.MachineRunner}) that drives any
 * {@link io.reactiveice.internal.sansio.ProtocolMachine} on a Reactor {@code Scheduler} worker:
 * mailbox, one drain per burst, timer re-armed when the deadline moves. Uses reactor-core, never
 * Netty; not API.
 */
package io.reactiveice.internal.runner;
