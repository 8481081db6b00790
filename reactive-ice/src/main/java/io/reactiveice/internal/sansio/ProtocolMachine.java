package io.reactiveice.internal.sansio;

/**
 * The one sans-IO contract of every protocol core (the ICE agent, the TURN allocation): a
 * deterministic machine that owns no socket, clock, thread or random source. Time comes in as the
 * first argument of every call, in nanoseconds of the caller's clock; datagrams come in through
 * {@link #handleInput} and go out through {@link #pollTransmit}; what happened comes out through
 * {@link #pollEvent}. A machine never calls back into its owner.
 *
 * <p>The owner's loop, the same for every machine (see {@code MachineRunner}): after any input or
 * timeout, poll transmits and events until each gives {@code null}, then arm one timer for
 * {@link #nextTimeout()}. Commands specific to a machine (a remote candidate, a permission) are
 * further methods with the same shape: {@code now} first, then the arguments.
 *
 * @param <I> the input a machine takes from the network
 * @param <E> the events it reports
 */
public interface ProtocolMachine<I, E> {
    /**
     * Handles an input from the network.
     *
     * @return whether the input was for this machine's protocol (consumed); {@code false} leaves it
     *     to the caller (application data beside STUN, RFC 7983)
     */
    boolean handleInput(long now, I input);

    /** Runs whatever is due at {@code now}: retransmissions, refreshes, paced checks, consent. */
    void handleTimeout(long now);

    /** When {@link #handleTimeout} should next run, or {@code Long.MAX_VALUE} for never. */
    long nextTimeout();

    /** The next datagram to send, or {@code null}. */
    Transmit pollTransmit();

    /** The next event, or {@code null}. */
    E pollEvent();
}
