package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;
import io.reactiveice.stun.RetransmissionSchedule;
import java.time.Duration;
import java.util.Objects;

/**
 * The protocol settings of an agent core, with RFC 8445 and RFC 7675 defaults.
 *
 * @param role the initial role
 * @param tieBreaker the 64-bit tie-breaker (RFC 8445 section 7.3.1.1)
 * @param pacing Ta, the interval between new checks (RFC 8445 section 14.2); default 50 ms
 * @param checkSchedule RTO and Rc of connectivity checks; the RTO is raised per section 14.3
 * @param consentInterval how often the selected pair's consent is checked (RFC 7675: 5 s, randomized ±20%)
 * @param consentTimeout how long without a consent response before consent is lost (RFC 7675: 30 s)
 * @param disconnectedTimeout how long without a response before the state is DISCONNECTED
 * @param nominationDelay how long the controlling agent waits for a better pair after the first valid one
 * @param relayNominationDelay how long it waits instead when the best valid pair is relayed and a
 *     direct pair may still succeed (see {@link Nomination}); default 1 s
 * @param maxPairs the checklist limit (RFC 8445 section 6.1.2.5: 100)
 * @param maxRemoteCandidates how many remote candidates are kept; later ones are ignored
 * @param software a SOFTWARE attribute for our checks, or {@code null}
 * @param lite an ICE-lite agent (RFC 8445 sections 2.5 and 6.1.1): always controlled, sends no checks,
 *     answers them and selects the pair a check with USE-CANDIDATE arrives on; its liveness follows
 *     the peer's consent checks
 * @param useCandidateOnConsent a compatibility switch: the controlling agent's consent checks carry
 *     USE-CANDIDATE, for lite peers that ignore checks without it
 * @param renomination the agent speaks ICE renomination ({@link Renomination}): it follows the peer's
 *     NOMINATION attribute, and, once the peer says it supports it too, renominates as the controlling agent
 */
public record CoreConfig(IceRole role, long tieBreaker, Duration pacing, RetransmissionSchedule checkSchedule,
        Duration consentInterval, Duration consentTimeout, Duration disconnectedTimeout, Duration nominationDelay,
        Duration relayNominationDelay, int maxPairs, int maxRemoteCandidates, String software, boolean lite,
        boolean useCandidateOnConsent, boolean renomination) {

    /** The default of {@link #relayNominationDelay()}. */
    public static final Duration RELAY_NOMINATION_DELAY = Duration.ofSeconds(1);

    /** Checks the ranges, naming the field. */
    public CoreConfig {
        Objects.requireNonNull(role, "role");
        positive("pacing", pacing);
        Objects.requireNonNull(checkSchedule, "checkSchedule");
        positive("consentInterval", consentInterval);
        positive("consentTimeout", consentTimeout);
        positive("disconnectedTimeout", disconnectedTimeout);
        Objects.requireNonNull(nominationDelay, "nominationDelay");
        if (nominationDelay.isNegative()) {
            throw new IllegalArgumentException("nominationDelay must not be negative but was " + nominationDelay);
        }
        Objects.requireNonNull(relayNominationDelay, "relayNominationDelay");
        if (relayNominationDelay.compareTo(nominationDelay) < 0) {
            throw new IllegalArgumentException("relayNominationDelay must not be shorter than nominationDelay but was "
                    + relayNominationDelay + " < " + nominationDelay);
        }
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be at least 1 but was " + maxPairs);
        }
        if (maxRemoteCandidates < 1) {
            throw new IllegalArgumentException("maxRemoteCandidates must be at least 1 but was " + maxRemoteCandidates);
        }
        if (lite && role != IceRole.CONTROLLED) {
            throw new IllegalArgumentException("role must be CONTROLLED for an ICE-lite agent (RFC 8445 section 6.1.1)"
                    + " but was " + role);
        }
        if (disconnectedTimeout.compareTo(consentTimeout) > 0) {
            throw new IllegalArgumentException("disconnectedTimeout must not exceed consentTimeout but was "
                    + disconnectedTimeout + " > " + consentTimeout);
        }
    }

    /**
     * A configuration without renomination.
     *
     * @param role the initial role
     * @param tieBreaker the tie-breaker
     * @param pacing Ta
     * @param checkSchedule the check schedule
     * @param consentInterval the consent interval
     * @param consentTimeout the consent timeout
     * @param disconnectedTimeout the silence before DISCONNECTED
     * @param nominationDelay the nomination delay
     * @param relayNominationDelay the wait for a direct pair when the best valid pair is relayed
     * @param maxPairs the pair limit
     * @param maxRemoteCandidates the remote candidate limit
     * @param software SOFTWARE, or {@code null}
     * @param lite an ICE-lite agent
     * @param useCandidateOnConsent USE-CANDIDATE on consent checks
     */
    public CoreConfig(IceRole role, long tieBreaker, Duration pacing, RetransmissionSchedule checkSchedule,
            Duration consentInterval, Duration consentTimeout, Duration disconnectedTimeout, Duration nominationDelay,
            Duration relayNominationDelay, int maxPairs, int maxRemoteCandidates, String software, boolean lite,
            boolean useCandidateOnConsent) {
        this(role, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout, disconnectedTimeout,
                nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, lite,
                useCandidateOnConsent, false);
    }

    /**
     * A full agent's configuration (not lite, plain consent checks).
     *
     * @param role the initial role
     * @param tieBreaker the tie-breaker
     * @param pacing Ta
     * @param checkSchedule the check schedule
     * @param consentInterval the consent interval
     * @param consentTimeout the consent timeout
     * @param disconnectedTimeout the silence before DISCONNECTED
     * @param nominationDelay the nomination delay
     * @param maxPairs the pair limit
     * @param maxRemoteCandidates the remote candidate limit
     * @param software SOFTWARE, or {@code null}
     */
    public CoreConfig(IceRole role, long tieBreaker, Duration pacing, RetransmissionSchedule checkSchedule,
            Duration consentInterval, Duration consentTimeout, Duration disconnectedTimeout, Duration nominationDelay,
            int maxPairs, int maxRemoteCandidates, String software) {
        this(role, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout, disconnectedTimeout,
                nominationDelay, nominationDelay.compareTo(RELAY_NOMINATION_DELAY) > 0 ? nominationDelay
                        : RELAY_NOMINATION_DELAY, maxPairs, maxRemoteCandidates, software, false, false);
    }

    private static void positive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive but was " + d);
        }
    }

    /**
     * The defaults: Ta 50 ms, RFC 8489 check timing, consent every 5 s and lost after 30 s,
     * DISCONNECTED after 7.5 s of silence (like browsers), nomination at most 200 ms after the first
     * valid pair, 100 pairs.
     *
     * @param role the initial role
     * @param tieBreaker the tie-breaker
     * @return the configuration
     */
    public static CoreConfig defaults(IceRole role, long tieBreaker) {
        return new CoreConfig(role, tieBreaker, Duration.ofMillis(50), RetransmissionSchedule.UDP_DEFAULT,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(7_500), Duration.ofMillis(200), 100,
                100, null);
    }

    /** This configuration with another role. */
    public CoreConfig withRole(IceRole newRole) {
        return new CoreConfig(newRole, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout,
                disconnectedTimeout, nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, lite, useCandidateOnConsent,
                renomination);
    }

    /** This configuration with another pacing interval Ta. */
    public CoreConfig withPacing(Duration ta) {
        return new CoreConfig(role, tieBreaker, ta, checkSchedule, consentInterval, consentTimeout,
                disconnectedTimeout, nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, lite, useCandidateOnConsent,
                renomination);
    }

    /** This configuration with another pair limit. */
    public CoreConfig withMaxPairs(int max) {
        return new CoreConfig(role, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout,
                disconnectedTimeout, nominationDelay, relayNominationDelay, max, maxRemoteCandidates, software, lite, useCandidateOnConsent,
                renomination);
    }

    /** This configuration as an ICE-lite agent (role CONTROLLED) or as a full one. */
    public CoreConfig withLite(boolean isLite) {
        return new CoreConfig(isLite ? IceRole.CONTROLLED : role, tieBreaker, pacing, checkSchedule, consentInterval,
                consentTimeout, disconnectedTimeout, nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, isLite,
                useCandidateOnConsent, renomination);
    }

    /** This configuration with another consent interval. */
    public CoreConfig withConsentInterval(Duration interval) {
        return new CoreConfig(role, tieBreaker, pacing, checkSchedule, interval, consentTimeout, disconnectedTimeout,
                nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, lite, useCandidateOnConsent,
                renomination);
    }

    /** This configuration with another wait for a direct pair when the best valid pair is relayed. */
    public CoreConfig withRelayNominationDelay(Duration delay) {
        return new CoreConfig(role, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout,
                disconnectedTimeout, nominationDelay, delay, maxPairs, maxRemoteCandidates, software, lite,
                useCandidateOnConsent, renomination);
    }

    /** This configuration with or without USE-CANDIDATE on consent checks. */
    public CoreConfig withUseCandidateOnConsent(boolean on) {
        return new CoreConfig(role, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout,
                disconnectedTimeout, nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, lite, on,
                renomination);
    }

    /** This configuration with or without renomination ({@link Renomination}). */
    public CoreConfig withRenomination(boolean on) {
        return new CoreConfig(role, tieBreaker, pacing, checkSchedule, consentInterval, consentTimeout,
                disconnectedTimeout, nominationDelay, relayNominationDelay, maxPairs, maxRemoteCandidates, software, lite,
                useCandidateOnConsent, on);
    }
}
