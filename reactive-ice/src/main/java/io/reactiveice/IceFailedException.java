package io.reactiveice;

/**
 * ICE could not carry data: every pair failed, consent was lost (RFC 7675), or the agent was closed.
 */
public final class IceFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An ICE failure.
     *
     * @param message what failed
     */
    public IceFailedException(String message) {
        super(message);
    }
}
