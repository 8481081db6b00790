package io.reactiveice.agent;

import java.util.Objects;

/**
 * One candidate pair of a session's statistics ({@link IceStats}), shaped after W3C webrtc-stats'
 * {@code RTCIceCandidatePairStats} with its field names (<a
 * href="https://www.w3.org/TR/webrtc-stats/#candidatepair-dict*">webrtc-stats section 8.18</a>).
 *
 * <p>The STUN counts (requests, responses, consent requests, round-trip times) are kept by the
 * session's protocol core, which also takes the snapshot: they are exact at that instant. The data
 * counts (packets and bytes) are kept on the data path, by the thread that sends (for each
 * {@code IceConnection.send} subscription) and by the thread that receives on the pair's socket, with
 * no lock and no atomic operation per datagram: a send's counts are exact once its {@code Mono} has
 * completed, received datagrams once the application has read them. A snapshot may leave out the
 * datagrams in flight at its instant, and those of a send still under way until it has sent 64 (then
 * all of them are seen), never more. Only application datagrams count as packets, never STUN.
 *
 * <p>Timestamps are milliseconds since the epoch as the session's scheduler tells them, like
 * {@link IceStats#timestamp()}, 0 when there was no such packet.
 *
 * @param id this pair's id, stable across snapshots of the same session
 * @param pair the local candidate, its base and the remote candidate and address
 * @param localCandidateId the {@link IceCandidateStats#id()} of the local candidate
 * @param remoteCandidateId the {@link IceCandidateStats#id()} of the remote candidate
 * @param state the pair's state in the checklist
 * @param nominated whether the pair was nominated (by our USE-CANDIDATE or the peer's)
 * @param priority the pair priority (an unsigned 64-bit number, RFC 8445 section 6.1.2.3)
 * @param packetsSent application datagrams sent on the pair
 * @param packetsReceived application datagrams received on the pair from its remote address,
 *     delivered, held or dropped afterwards for want of a reader
 * @param bytesSent their payload bytes (UDP payload, no header)
 * @param bytesReceived their payload bytes
 * @param lastPacketSentTimestamp when the last application datagram was sent, in milliseconds
 * @param lastPacketReceivedTimestamp when the last one was received, in milliseconds
 * @param totalRoundTripTime the sum of the round-trip times of every response received (to checks and
 *     to consent checks), in seconds: divided by {@code responsesReceived}, the mean; each measured
 *     from the first transmission of its request
 * @param currentRoundTripTime the latest of them, in seconds; 0 before the first response
 * @param requestsSent connectivity checks sent, each new transaction once (not its retransmissions);
 *     consent checks are counted apart
 * @param requestsReceived checks received on the pair, authenticated, retransmissions and the peer's
 *     consent checks included (one cannot tell them apart)
 * @param responsesSent responses sent to them
 * @param responsesReceived authenticated responses received to our checks and consent checks, success
 *     or error
 * @param retransmissionsSent retransmissions of our checks (RFC 8489 section 6.2.1; an older W3C
 *     field): requests, retransmissions and consent requests add up to every Binding request sent
 * @param consentRequestsSent consent checks sent (RFC 7675), the recovery checks while disconnected
 *     included
 * @param packetsDiscardedOnSend application datagrams given to the pair that were released instead
 *     of being written, because the session could no longer send (consent lost, closed)
 * @param bytesDiscardedOnSend their bytes
 */
public record IceCandidatePairStats(String id, CandidatePair pair, String localCandidateId, String remoteCandidateId,
        CandidatePairState state, boolean nominated, long priority,
        long packetsSent, long packetsReceived, long bytesSent, long bytesReceived,
        double lastPacketSentTimestamp, double lastPacketReceivedTimestamp,
        double totalRoundTripTime, double currentRoundTripTime,
        long requestsSent, long requestsReceived, long responsesSent, long responsesReceived,
        long retransmissionsSent, long consentRequestsSent,
        long packetsDiscardedOnSend, long bytesDiscardedOnSend) {
    /** Checks the fields that are never {@code null}. */
    public IceCandidatePairStats {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pair, "pair");
        Objects.requireNonNull(localCandidateId, "localCandidateId");
        Objects.requireNonNull(remoteCandidateId, "remoteCandidateId");
        Objects.requireNonNull(state, "state");
    }
}
