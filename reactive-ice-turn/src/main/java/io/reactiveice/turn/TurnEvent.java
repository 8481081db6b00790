package io.reactiveice.turn;

import io.reactiveice.internal.turn.TurnAllocation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What happened to an allocation, as {@link TurnAllocation} reports it
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7">RFC 8656 sections 7 to 11</a>).
 */
public sealed interface TurnEvent {

    /**
     * The Allocate request succeeded.
     *
     * @param relayed XOR-RELAYED-ADDRESS
     * @param mapped XOR-MAPPED-ADDRESS (the relayed address if the server left it out)
     * @param lifetime LIFETIME
     */
    record Allocated(InetSocketAddress relayed, InetSocketAddress mapped, Duration lifetime) implements TurnEvent {
        /** Checks the fields. */
        public Allocated {
            Objects.requireNonNull(relayed, "relayed");
            Objects.requireNonNull(mapped, "mapped");
            Objects.requireNonNull(lifetime, "lifetime");
        }
    }

    /** The allocation could not be made. @param cause why */
    record AllocationFailed(TurnException cause) implements TurnEvent {
        /** Checks the field. */
        public AllocationFailed {
            Objects.requireNonNull(cause, "cause");
        }
    }

    /** A Refresh succeeded. @param lifetime the new lifetime */
    record Refreshed(Duration lifetime) implements TurnEvent {
    }

    /** A permission was installed or refreshed. @param peer the peer's IP address */
    record PermissionCreated(InetAddress peer) implements TurnEvent {
    }

    /**
     * A channel was bound or its binding refreshed.
     *
     * @param peer the peer
     * @param channel the channel number
     */
    record ChannelBound(InetSocketAddress peer, int channel) implements TurnEvent {
    }

    /**
     * A CreatePermission or ChannelBind for a peer failed; data to it keeps using Send indications.
     *
     * @param peer the peer
     * @param cause why
     */
    record PeerFailed(InetSocketAddress peer, TurnException cause) implements TurnEvent {
    }

    /** A Refresh failed: the allocation is gone. @param cause why */
    record AllocationLost(TurnException cause) implements TurnEvent {
    }

    /** The allocation was deleted (Refresh with LIFETIME 0 answered, or given up on). */
    record Deallocated() implements TurnEvent {
    }
}
