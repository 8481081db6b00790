package io.reactiveice.candidate;

/**
 * Candidate and pair priorities (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.2.1">RFC
 * 8445 sections 5.1.2.1 and 6.1.2.3</a>).
 */
public final class CandidatePriority {
    private CandidatePriority() {
    }

    /**
     * {@code 2^24 * typePreference + 2^8 * localPreference + (256 - componentId)}.
     *
     * @param typePreference 0 to 126
     * @param localPreference 0 to 65535
     * @param componentId 1 to 256
     * @return the priority, 1 to 2^31 - 1
     */
    public static long of(int typePreference, int localPreference, int componentId) {
        if (typePreference < 0 || typePreference > 126) {
            throw new IllegalArgumentException("typePreference must be 0..126 but was " + typePreference);
        }
        if (localPreference < 0 || localPreference > 65_535) {
            throw new IllegalArgumentException("localPreference must be 0..65535 but was " + localPreference);
        }
        if (componentId < 1 || componentId > 256) {
            throw new IllegalArgumentException("componentId must be 1..256 but was " + componentId);
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - componentId);
    }

    /**
     * The pair priority: {@code 2^32 * min(G, D) + 2 * max(G, D) + (G > D ? 1 : 0)}, where G is the
     * controlling agent's candidate priority and D the controlled agent's.
     *
     * @param controlling the priority of the controlling agent's candidate
     * @param controlled the priority of the controlled agent's candidate
     * @return the pair priority, compared as an unsigned 64-bit number
     */
    public static long pair(long controlling, long controlled) {
        return (Math.min(controlling, controlled) << 32) + 2 * Math.max(controlling, controlled)
                + (controlling > controlled ? 1 : 0);
    }
}
