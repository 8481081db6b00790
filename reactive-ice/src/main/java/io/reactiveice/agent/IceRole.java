package io.reactiveice.agent;

/** The role of an ICE agent (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.1">RFC 8445 section 6.1.1</a>). */
public enum IceRole {
    /** Nominates the pair; sends ICE-CONTROLLING. */
    CONTROLLING,
    /** Follows the nomination; sends ICE-CONTROLLED. */
    CONTROLLED;

    /** The other role. */
    public IceRole opposite() {
        return this == CONTROLLING ? CONTROLLED : CONTROLLING;
    }
}
