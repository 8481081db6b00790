/**
 * ICE candidates as values (API, RFC 8445 section 5.1): types, transports, priorities, the one
 * decision of which transport addresses can be a peer's ({@link io.reactiveice.candidate.UnicastAddress}),
 * IP literals read without DNS, and which local addresses become host candidates
 * ({@link io.reactiveice.candidate.HostAddressPolicy}, section 5.1.1.1). Nothing here does I/O; in
 * particular no address is ever resolved through DNS. JDK only; no internal package.
 */
package io.reactiveice.candidate;
