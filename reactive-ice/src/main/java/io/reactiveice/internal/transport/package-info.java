/**
 * Not API: transport helpers that only the library uses: the per-source rate limiter of error answers
 * and shared ports ({@code SourceRateLimiter}), a STUN client transaction as a {@code Mono} over the one
 * sans-IO {@link io.reactiveice.stun.StunClientTransaction} ({@code StunTransaction}), the one table
 * that matches responses to a socket's transactions ({@code PendingTransactions}, RFC 8489 section
 * 6.3), and the one resolver of STUN and TURN server names, off the event loop ({@code ServerResolver}). Must not depend on the shell in
 * {@code io.reactiveice}. May change in any release.
 */
package io.reactiveice.internal.transport;
