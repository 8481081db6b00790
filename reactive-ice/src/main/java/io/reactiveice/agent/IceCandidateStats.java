package io.reactiveice.agent;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
import java.util.Objects;

/**
 * One candidate of a session's statistics ({@link IceStats}), shaped after W3C webrtc-stats'
 * {@code RTCIceCandidateStats} with its field names (<a
 * href="https://www.w3.org/TR/webrtc-stats/#icecandidate-dict*">webrtc-stats section 8.17</a>).
 *
 * @param id this candidate's id in the snapshot, stable across snapshots of the same session; the
 *     pairs' {@link IceCandidatePairStats#localCandidateId()} and
 *     {@link IceCandidatePairStats#remoteCandidateId()} refer to it
 * @param isRemote whether it is the peer's ({@code remote-candidate}) rather than ours
 *     ({@code local-candidate})
 * @param address the candidate's IP address (or mDNS name, as signalled)
 * @param port its port
 * @param protocol its transport, {@code udp} as W3C has it through {@link TransportProtocol#token()}
 * @param candidateType its type; {@link CandidateType#token()} is the W3C value ({@code host},
 *     {@code srflx}, {@code prflx}, {@code relay})
 * @param priority its priority (RFC 8445 section 5.1.2)
 * @param url for one of our server-reflexive and relayed candidates, the STUN or TURN server it came
 *     from ({@code stun:host:port}, {@code turn:host:port?transport=tcp}, {@code turns:host:port});
 *     {@code null} for the others and for the peer's
 * @param relayProtocol for one of our relayed candidates, how we reach the TURN server: {@code udp},
 *     {@code tcp} or {@code tls}; {@code null} otherwise
 * @param foundation its foundation (RFC 8445 section 5.1.1.3)
 * @param candidate the candidate itself, as it is (or would be) signalled
 */
public record IceCandidateStats(String id, boolean isRemote, String address, int port, TransportProtocol protocol,
        CandidateType candidateType, long priority, String url, String relayProtocol, String foundation,
        IceCandidate candidate) {
    /** Checks the fields that are never {@code null}. */
    public IceCandidateStats {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(candidateType, "candidateType");
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(candidate, "candidate");
    }
}
