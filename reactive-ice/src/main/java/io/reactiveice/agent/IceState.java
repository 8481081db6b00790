package io.reactiveice.agent;

/**
 * The state of an ICE transport, mirroring W3C {@code RTCIceTransportState}.
 */
public enum IceState {
    /** Gathering or waiting for remote candidates; no check sent yet. */
    NEW,
    /** Checks are running and no pair is selected yet. */
    CHECKING,
    /** A pair is selected; data can flow. */
    CONNECTED,
    /** A pair is selected and both sides have finished gathering and checking. */
    COMPLETED,
    /** The selected pair lost its consent responses for a while; the agent looks for another. */
    DISCONNECTED,
    /** Every pair failed, or consent was lost for 30 s with no other valid pair. */
    FAILED,
    /** Closed by the application. */
    CLOSED;

    /** Whether data can be sent in this state. */
    public boolean canSend() {
        return this == CONNECTED || this == COMPLETED;
    }
}
