package io.reactiveice;

import io.reactiveice.agent.IceState;
import java.time.Duration;
import java.util.Set;

/**
 * Where sessions, shared ports and TURN allocations report what a service wants to watch over many
 * sessions: a recorder of our own, in the style of Reactor Netty's {@code ChannelMetricsRecorder},
 * that mentions no metrics library. {@link #NONE}, the default everywhere, records nothing, and with
 * it the library does nothing it would not do without metrics. {@code
 * io.reactiveice.metrics.MicrometerIceMetrics} records into a Micrometer {@code MeterRegistry} (an
 * optional dependency); hand one instance to {@link IceAgent#metrics}, {@link SharedUdpPortConfig#metrics},
 * {@link SharedTcpPort#bind(java.net.InetSocketAddress, reactor.core.scheduler.Scheduler, int, IceMetrics)}
 * and the TURN module's allocator.
 *
 * <p>Events are told as they happen, on the thread where they happen (a session's serialized context,
 * an allocation's); every method must be cheap and must not block or throw. Counts that the library
 * keeps anyway (checks, application datagrams and bytes, shared-port drops) are not told one by one:
 * the recorder is handed their {@link SessionCounters source} when a session starts and again when
 * it has closed, and reads them when it likes, from any thread. Nothing here carries an address, a
 * ufrag or an id: every value a recorder sees is of a small fixed set, fit for a metrics tag.
 */
public interface IceMetrics {
    /** Records nothing: the default. */
    IceMetrics NONE = new IceMetrics() {
        @Override
        public String toString() {
            return "IceMetrics.NONE";
        }
    };

    // ---- sessions, on the session's serialized context -------------------------------------------

    /**
     * A session started, in state {@link IceState#NEW}; its counts can be read from now on, until
     * {@link #sessionClosed} hands the final ones.
     *
     * @param counters the session's counts, readable from any thread
     */
    default void sessionStarted(SessionCounters counters) {
    }

    /**
     * The session's state changed, as {@link IceSession#states()} shows it; a session leaves the
     * count of {@code from} and, unless {@code to} is {@link IceState#CLOSED}, enters that of {@code to}.
     *
     * @param from the state before
     * @param to the state now
     */
    default void sessionStateChanged(IceState from, IceState to) {
    }

    /**
     * The session reached {@link IceState#CONNECTED} (or COMPLETED) for the first time; told once.
     *
     * @param sinceStart the time since it started, on its scheduler's clock
     */
    default void sessionConnected(Duration sinceStart) {
    }

    /**
     * The session selected its first pair ({@link IceSession#selectedPairs()}); told once.
     *
     * @param sinceStart the time since it started, on its scheduler's clock
     */
    default void firstPairSelected(Duration sinceStart) {
    }

    /** The selected pair changed to another path; the first selection counts, as W3C's {@code selectedCandidatePairChanges}. */
    default void selectedPairChanged() {
    }

    /**
     * The session failed ({@link IceState#FAILED}).
     *
     * @param reason the short name of why: {@link io.reactiveice.agent.IceFailureKind#codeOf} of the
     *     session's {@link io.reactiveice.agent.IceFailureReason} (e.g. {@code checks-failed},
     *     {@code consent-lost}, {@code no-remote-candidates}), a small fixed set
     */
    default void sessionFailed(String reason) {
    }

    /**
     * The selected pair lost consent (<a href="https://www.rfc-editor.org/rfc/rfc7675#section-5.1">RFC 7675
     * section 5.1</a>), and the session failed with it.
     *
     * @param reason {@code timeout} (our consent checks went unanswered) or {@code peer-silent} (an
     *     ICE-lite agent stopped hearing the peer's checks)
     */
    default void consentLost(String reason) {
    }

    /**
     * The session closed; its counts are final and are not read through the earlier reference any more.
     *
     * @param counters the same counts as {@link #sessionStarted} was given, final now
     */
    default void sessionClosed(SessionCounters counters) {
    }

    // ---- shared ports ----------------------------------------------------------------------------

    /**
     * A shared port was bound; its drop counts can be read from now on.
     *
     * @param counters its counts, readable from any thread
     */
    default void sharedPortBound(PortCounters counters) {
    }

    /**
     * A shared port was disposed; its counts are final.
     *
     * @param counters the same counts as {@link #sharedPortBound} was given
     */
    default void sharedPortClosed(PortCounters counters) {
    }

    // ---- TURN allocations (reactive-ice-turn) ----------------------------------------------------

    /** A TURN allocation was made (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7">RFC 8656 section 7</a>). */
    default void relayAllocated() {
    }

    /** An allocation that {@link #relayAllocated} told ended: deleted, expired or lost. */
    default void relayReleased() {
    }

    /**
     * An Allocate failed.
     *
     * @param code the STUN error code of the server's answer as a number (e.g. {@code 401}, {@code 486}),
     *     or {@code auth} (the client refused the server's terms), {@code timeout}, {@code tls},
     *     {@code protocol} or {@code other} when there was none
     */
    default void relayAllocationFailed(String code) {
    }

    /**
     * The counts a session keeps for its statistics, summed over its pairs and paths, readable from any
     * thread (a value may lag the one on the session's own thread by what is in flight, never run ahead
     * by more). They only grow.
     */
    interface SessionCounters {
        /** Connectivity check transactions sent, not their retransmissions (W3C {@code requestsSent}). */
        long checksSent();

        /** Retransmissions of them (RFC 8489 section 6.2.1). */
        long checkRetransmissions();

        /** Consent checks sent (RFC 7675), recovery checks included. */
        long consentChecksSent();

        /** Authenticated responses to our checks and consent checks (W3C {@code responsesReceived}). */
        long checksAnswered();

        /** The peer's authenticated checks, each answered (W3C {@code requestsReceived}). */
        long checksReceived();

        /** Application datagrams sent. */
        long datagramsSent();

        /** Their payload bytes. */
        long bytesSent();

        /** Application datagrams received from the peer of a valid or checked pair. */
        long datagramsReceived();

        /** Their payload bytes. */
        long bytesReceived();
    }

    /** Why a shared port dropped what it received, each with a short lower-case {@link #tag()}. */
    enum DropReason {
        /** A Binding request for a ufrag no session on the port has ({@code unknown-ufrag}). */
        UNKNOWN_UFRAG("unknown-ufrag"),
        /** A request that failed authentication beyond its source's rate of error answers ({@code rate-limited}). */
        RATE_LIMITED("rate-limited"),
        /** Not a well-formed STUN message where one was due ({@code malformed}). */
        MALFORMED("malformed"),
        /** A datagram from an address no session has sent to or answered ({@code unroutable}). */
        UNROUTABLE("unroutable"),
        /** An ICE-TCP connection whose first Binding request failed MESSAGE-INTEGRITY ({@code unauthenticated}). */
        UNAUTHENTICATED("unauthenticated"),
        /** An ICE-TCP connection that sent no first frame in time ({@code timed-out}). */
        TIMED_OUT("timed-out"),
        /** An ICE-TCP connection over its IP address's connection limit ({@code connection-limit}). */
        CONNECTION_LIMIT("connection-limit");

        private final String tag;

        DropReason(String tag) {
            this.tag = tag;
        }

        /** The short lower-case name, e.g. {@code unknown-ufrag}. */
        public String tag() {
            return tag;
        }
    }

    /** A shared port's drop counts, readable from any thread; they only grow. */
    interface PortCounters {
        /** {@code udp} or {@code tcp}. */
        String transport();

        /** The reasons this port counts (the others are always 0). */
        Set<DropReason> reasons();

        /**
         * What was dropped for {@code reason}: datagrams on a UDP port, connections on a TCP one.
         *
         * @param reason the reason
         * @return the count so far
         */
        long dropped(DropReason reason);
    }
}
