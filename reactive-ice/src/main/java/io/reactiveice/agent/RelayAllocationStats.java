package io.reactiveice.agent;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The TURN allocation behind one of our relayed candidates (<a
 * href="https://www.rfc-editor.org/rfc/rfc8656#section-7">RFC 8656 sections 7 and 8</a>), in a session's
 * statistics ({@link IceStats#relayAllocations()}): W3C webrtc-stats has no such object, so the names
 * are RFC 8656's. The relay's own machine publishes it; a snapshot reads its latest state.
 *
 * @param relayedAddress the relayed transport address: the base, address and port of the relayed
 *     local candidate
 * @param state where the allocation stands
 * @param lifetime the lifetime the server granted last (Allocate or Refresh success), or
 *     {@link Duration#ZERO} before it granted one
 * @param refreshes Refresh transactions that renewed the allocation so far (not the one that deletes it)
 */
public record RelayAllocationStats(InetSocketAddress relayedAddress, State state, Duration lifetime, long refreshes) {
    /** Checks the fields. */
    public RelayAllocationStats {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lifetime, "lifetime");
    }

    /** Where an allocation stands (RFC 8656 sections 7 and 8). */
    public enum State {
        /** Allocate sent, no success yet. */
        ALLOCATING,
        /** The relayed address exists and is refreshed. */
        ALLOCATED,
        /** Refresh with LIFETIME 0 sent: being deleted. */
        DEALLOCATING,
        /** Deleted, or given up. */
        CLOSED,
        /** Allocate refused or timed out, or a Refresh failed: the allocation is lost. */
        FAILED
    }
}
