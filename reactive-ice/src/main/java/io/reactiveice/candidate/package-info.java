/**
 * ICE candidates as values (RFC 8445 section 5.1): types, transports, priorities and foundations,
 * and the one decision of which transport addresses can be a peer's ({@link io.reactiveice.candidate.UnicastAddress}).
 * Nothing here does I/O; in particular no address is ever resolved through DNS.
 */
package io.reactiveice.candidate;
