package io.reactiveice;

/** Which candidates an agent uses, as WebRTC's {@code iceTransportPolicy}. */
public enum TransportPolicy {
    /** Every candidate. */
    ALL,
    /** Relayed candidates only: the peer never learns our addresses. */
    RELAY
}
