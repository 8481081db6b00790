/**
 * The sans-IO contract that every protocol core implements ({@link
 * io.reactiveice.internal.sansio.ProtocolMachine}) and the values that cross it: a received
 * {@link io.reactiveice.internal.sansio.Datagram} and a {@link io.reactiveice.internal.sansio.Transmit}.
 * JDK only: no Reactor, no Netty. Not API: the shell and the TURN module use it; applications do not.
 */
package io.reactiveice.internal.sansio;
