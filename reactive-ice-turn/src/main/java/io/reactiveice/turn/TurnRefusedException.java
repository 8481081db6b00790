package io.reactiveice.turn;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The server answered with an error response other than an authentication failure
 * (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-19">RFC 8656 section 19</a>), e.g.
 * {@value #ALLOCATION_MISMATCH} Allocation Mismatch, {@value #ALLOCATION_QUOTA_REACHED} Allocation
 * Quota Reached or {@value #INSUFFICIENT_CAPACITY} Insufficient Capacity.
 */
public final class TurnRefusedException extends TurnException {
    private static final long serialVersionUID = 1L;

    /** 437: the 5-tuple already has another allocation, or the allocation is gone. */
    public static final int ALLOCATION_MISMATCH = 437;
    /** 486: the user has too many allocations. */
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    /** 508: the server has no relay address left. */
    public static final int INSUFFICIENT_CAPACITY = 508;
    /** 443: the peer address family is not the relayed one. */
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;

    private final int code;
    private final String reason;

    /**
     * An error response.
     *
     * @param server the server
     * @param request the request that was refused, e.g. {@code Allocate}
     * @param code the ERROR-CODE number
     * @param reason its reason phrase
     */
    public TurnRefusedException(InetSocketAddress server, String request, int code, String reason) {
        super(server, "TURN server " + server + " refused " + request + " with " + code + " (" + reason + ")");
        this.code = code;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The ERROR-CODE number. */
    public int code() {
        return code;
    }

    /** The reason phrase. */
    public String reason() {
        return reason;
    }

    /** Whether this is 437 Allocation Mismatch. */
    public boolean isAllocationMismatch() {
        return code == ALLOCATION_MISMATCH;
    }

    /** Whether this is 486 Allocation Quota Reached. */
    public boolean isQuotaReached() {
        return code == ALLOCATION_QUOTA_REACHED;
    }

    /** Whether this is 508 Insufficient Capacity. */
    public boolean isInsufficientCapacity() {
        return code == INSUFFICIENT_CAPACITY;
    }
}
