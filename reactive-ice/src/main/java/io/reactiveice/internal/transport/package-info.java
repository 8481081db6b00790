/**
 * Not API: transport helpers that only the library uses: the per-source rate limiter of error answers
 * and shared ports, STUN transactions as {@code Mono}s for gathering, and what else the shell, the
 * STUN server and the TURN module share over Reactor Netty. Must not depend on the shell in
 * {@code io.reactiveice}. May change in any release.
 */
package io.reactiveice.internal.transport;
