/**
 * The ICE agent's protocol core (RFC 8445, RFC 7675): checklist, pair states, connectivity checks,
 * nomination, role conflicts, consent freshness. Deterministic: no I/O, no clock, no threads and no
 * randomness of its own; time and random sources come in from the caller, datagrams go in and out
 * as values. Must not depend on Reactor or Netty.
 */
package io.reactiveice.agent;
