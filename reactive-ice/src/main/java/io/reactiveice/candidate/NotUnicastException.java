package io.reactiveice.candidate;

import java.util.Objects;

/**
 * A peer's candidate whose transport address is not a unicast peer (see {@link UnicastAddress}):
 * it names the field that is wrong ({@code address} or {@code port}) and why. It is an
 * {@link IllegalArgumentException}, as every refusal of a bad argument is here.
 */
public final class NotUnicastException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient UnicastAddress.Refusal refusal;

    /**
     * A refusal.
     *
     * @param refusal why the address is not a unicast peer
     * @param address the address as the candidate gave it, e.g. {@code 224.0.0.251}
     * @param port the port
     */
    public NotUnicastException(UnicastAddress.Refusal refusal, String address, int port) {
        super("invalid " + Objects.requireNonNull(refusal, "refusal").field() + " of candidate "
                + Objects.requireNonNull(address, "address") + " port " + port + ": " + refusal.reason());
        this.field = refusal.field();
        this.refusal = refusal;
    }

    /**
     * The field that is wrong.
     *
     * @return {@code address} or {@code port}
     */
    public String field() {
        return field;
    }

    /**
     * Why the address was refused.
     *
     * @return the refusal
     */
    public UnicastAddress.Refusal refusal() {
        return refusal;
    }
}
