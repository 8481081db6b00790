package io.reactiveice.sdp;

import java.util.Objects;

/**
 * A malformed ICE line of SDP (<a href="https://www.rfc-editor.org/rfc/rfc8839#section-5">RFC 8839
 * section 5</a>), a malformed {@code RTCIceCandidateInit} JSON object, or malformed JSON
 * ({@link JsonReader}, field {@code json}): it names the field, as the grammar or the JSON member
 * calls it ({@code priority}, {@code component-id}, {@code typ}, {@code raddr}, {@code ice-ufrag},
 * {@code sdpMLineIndex}, {@code json}, ...), and the token that was wrong there.
 *
 * <p>It is an {@link IllegalArgumentException}, so code that treats bad arguments alike needs no
 * special case. A missing field has the empty token. The value of {@code ice-pwd} is never put in
 * the message (it is a credential, and messages end up in logs); {@link #token()} still returns it.
 */
public final class SdpParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_TOKEN_IN_MESSAGE = 80;

    private final String field;
    private final String token;

    /**
     * A parse failure.
     *
     * @param field the field that is wrong, e.g. {@code priority}
     * @param token the offending token as received, or the empty string if the field is missing
     * @param reason what the field must be, e.g. {@code must be 1..256}
     */
    public SdpParseException(String field, String token, String reason) {
        this(field, token, reason, false);
    }

    private SdpParseException(String field, String token, String reason, boolean secret) {
        super(message(Objects.requireNonNull(field, "field"), Objects.requireNonNull(token, "token"),
                Objects.requireNonNull(reason, "reason"), secret));
        this.field = field;
        this.token = token;
    }

    /** A failure whose token is a credential: the message gives its length, never its text. */
    static SdpParseException secret(String field, String token, String reason) {
        return new SdpParseException(field, token, reason, true);
    }

    /**
     * The field that is wrong.
     *
     * @return e.g. {@code priority}, {@code raddr}, {@code ice-ufrag} or {@code sdpMid}
     */
    public String field() {
        return field;
    }

    /**
     * The offending token.
     *
     * @return the token as received, or the empty string if the field is missing
     */
    public String token() {
        return token;
    }

    private static String message(String field, String token, String reason, boolean secret) {
        if (token.isEmpty()) {
            return "missing " + field + ": " + reason;
        }
        if (secret) {
            return "invalid " + field + " (" + token.length() + " characters, not shown): " + reason;
        }
        String shown = token.length() <= MAX_TOKEN_IN_MESSAGE ? token
                : token.substring(0, MAX_TOKEN_IN_MESSAGE) + "...";
        return "invalid " + field + " \"" + shown + "\": " + reason;
    }
}
