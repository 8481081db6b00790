package io.reactiveice;

import java.util.Objects;

/**
 * A configuration or API mistake, reported by the call that makes it (a builder method of
 * {@link IceAgent}, or {@link IceAgent#start()}): it names the setting that is wrong, as the builder
 * method calls it ({@code consent}'s {@code disconnectedTimeout}, {@code hostAddresses},
 * {@code sharedPort}, {@code credentials}, ...), and the real reason in its message. It is an
 * {@link IllegalArgumentException}, so code that treats bad arguments alike needs no special case.
 */
public final class IceConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * A configuration error.
     *
     * @param field the setting that is wrong, e.g. {@code hostAddresses}
     * @param message the whole message, starting with the field's name
     */
    public IceConfigException(String field, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.field = Objects.requireNonNull(field, "field");
    }

    /**
     * The setting that is wrong.
     *
     * @return e.g. {@code disconnectedTimeout}, {@code hostAddresses}, {@code sharedPort} or {@code credentials}
     */
    public String field() {
        return field;
    }
}
