package io.reactiveice.internal.agent;

/**
 * The Ta pacing of the agent's new requests (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-14.2">RFC
 * 8445 section 14.2</a>): at most one new check per Ta, whether triggered, ordinary, early or a recovery
 * check (RFC 7675); retransmissions and consent checks on the selected pair do not take a slot.
 */
final class Pacing {
    private final long ta;
    private long lastCheckAt = Long.MIN_VALUE;

    Pacing(CoreConfig config) {
        this.ta = config.pacing().toNanos();
    }

    /** Whether a Ta slot is free at {@code now}. */
    boolean paced(long now) {
        return lastCheckAt == Long.MIN_VALUE || now - lastCheckAt >= ta;
    }

    /** A request took the slot at {@code now}: the next is Ta later. */
    void tookSlot(long now) {
        lastCheckAt = now;
    }

    /** When the next slot is free, or {@code Long.MIN_VALUE} if none was taken yet. */
    long nextSlot() {
        return lastCheckAt == Long.MIN_VALUE ? Long.MIN_VALUE : lastCheckAt + ta;
    }

    /** The checks start over (an ICE restart, RFC 8445 section 9). */
    void reset() {
        lastCheckAt = Long.MIN_VALUE;
    }
}
