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
    /**
     * A warning: the selected pair has had no consent response for a while (7.5 s by default). Data
     * keeps going out on it, since consent lasts until 30 s without a response (RFC 7675 section 5.1);
     * meanwhile the agent checks the selected pair and its valid backups more often, returns to
     * CONNECTED as soon as one answers, and the controlling agent moves both sides to a backup that
     * answers.
     */
    DISCONNECTED,
    /** Every pair failed, or consent was lost for 30 s with no other valid pair. */
    FAILED,
    /** Closed by the application. */
    CLOSED;

    /**
     * Whether data can be sent in this state: a pair is selected and consent has not been lost (RFC
     * 7675 section 5.1), which includes DISCONNECTED.
     */
    public boolean canSend() {
        return this == CONNECTED || this == COMPLETED || this == DISCONNECTED;
    }
}
