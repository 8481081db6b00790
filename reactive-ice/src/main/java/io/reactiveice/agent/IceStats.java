package io.reactiveice.agent;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one ICE session's statistics, shaped after W3C webrtc-stats with its field names: the
 * ICE part of {@code RTCTransportStats} (<a href="https://www.w3.org/TR/webrtc-stats/#transportstats-dict*">webrtc-stats
 * section 8.16</a>) here, and the pairs and candidates it refers to. Taken on the session's serialized
 * context; immutable.
 *
 * @param timestamp when it was taken, in milliseconds since the epoch as the session's scheduler tells
 *     them ({@code Scheduler.now(MILLISECONDS)}: the wall clock with Reactor's schedulers, as a browser's
 *     {@code getStats()} has it; virtual time in tests)
 * @param role the agent's role now ({@code iceRole})
 * @param usernameFragment our current ufrag ({@code iceLocalUsernameFragment})
 * @param iceState the transport state ({@code iceState})
 * @param selectedCandidatePairId the {@link IceCandidatePairStats#id()} of the selected pair, or
 *     {@code null} before one is selected
 * @param selectedCandidatePairChanges how often the selected pair changed; the first selection counts
 *     (a pair reported again with its signalled remote candidate does not)
 * @param candidatePairs the pairs of the checklist, best first (the old selected pair of a restart
 *     included while it carries data)
 * @param localCandidates our candidates, and the local candidates of the pairs
 * @param remoteCandidates the peer's candidates, signalled and peer-reflexive, and those of the pairs
 * @param relayAllocations the TURN allocations of our relayed candidates, where the relay allocator
 *     tells them (the TURN client of {@code reactive-ice-turn} does)
 */
public record IceStats(double timestamp, IceRole role, String usernameFragment, IceState iceState,
        String selectedCandidatePairId, long selectedCandidatePairChanges,
        List<IceCandidatePairStats> candidatePairs, List<IceCandidateStats> localCandidates,
        List<IceCandidateStats> remoteCandidates, List<RelayAllocationStats> relayAllocations) {
    /** Checks the fields and copies the lists. */
    public IceStats {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(usernameFragment, "usernameFragment");
        Objects.requireNonNull(iceState, "iceState");
        candidatePairs = List.copyOf(candidatePairs);
        localCandidates = List.copyOf(localCandidates);
        remoteCandidates = List.copyOf(remoteCandidates);
        relayAllocations = List.copyOf(relayAllocations);
    }

    /** The selected pair's statistics, if a pair is selected. */
    public Optional<IceCandidatePairStats> selectedCandidatePair() {
        return selectedCandidatePairId == null ? Optional.empty() : candidatePair(selectedCandidatePairId);
    }

    /** The pair with this {@link IceCandidatePairStats#id()}, if it is in the snapshot. */
    public Optional<IceCandidatePairStats> candidatePair(String id) {
        return candidatePairs.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** The candidate, local or remote, with this {@link IceCandidateStats#id()}, if it is in the snapshot. */
    public Optional<IceCandidateStats> candidate(String id) {
        return Optional.ofNullable(localCandidates.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseGet(() -> remoteCandidates.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null)));
    }
}
