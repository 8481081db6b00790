package io.reactiveice.internal.tcp;

import io.reactiveice.candidate.TcpType;

/**
 * Which TCP candidates form a pair (<a href="https://www.rfc-editor.org/rfc/rfc6544#section-6.2">RFC
 * 6544 section 6.2</a>): an active candidate with a passive one (the active side opens the connection
 * to the passive side's port), a passive one with an active one, and a simultaneous-open one with a
 * simultaneous-open one; never two active ones (nobody would listen), never two passive ones (nobody
 * would connect). An active candidate's port is signalled as 9 (RFC 6544 section 4.5): the connection's
 * source port is the operating system's choice, so it is never a destination.
 */
public final class TcpPairing {
    private TcpPairing() {
    }

    /** Whether a local candidate of {@code local} and a remote one of {@code remote} pair. */
    public static boolean pairs(TcpType local, TcpType remote) {
        return switch (local) {
            case ACTIVE -> remote == TcpType.PASSIVE;
            case PASSIVE -> remote == TcpType.ACTIVE;
            case SO -> remote == TcpType.SO;
        };
    }

    /** Whether the local side opens the pair's connection: active towards passive (simultaneous open: both do). */
    public static boolean opens(TcpType local) {
        return local != TcpType.PASSIVE;
    }
}
