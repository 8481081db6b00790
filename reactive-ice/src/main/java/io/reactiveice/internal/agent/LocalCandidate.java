package io.reactiveice.internal.agent;

import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.internal.tcp.TcpPriority;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One of our own candidates with its base: the local socket address its traffic leaves from
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1">RFC 8445 section 5.1.1</a>). For a
 * host candidate the base is the candidate itself; for a server-reflexive one, the host candidate
 * it was learned through; for a relayed one, the relayed address itself (traffic goes through the
 * TURN allocation).
 *
 * @param candidate the candidate as signalled
 * @param base where its traffic leaves from
 * @param url the STUN or TURN server it was learned from, as W3C webrtc-stats' {@code url}; or {@code null}
 * @param relayProtocol for a relayed candidate, how the TURN server is reached ({@code udp}, {@code tcp},
 *     {@code tls}); or {@code null}
 */
public record LocalCandidate(IceCandidate candidate, InetSocketAddress base, String url, String relayProtocol) {
    /** Checks the fields. */
    public LocalCandidate {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(base, "base");
    }

    /**
     * A candidate that no server gave (a host one).
     *
     * @param candidate the candidate as signalled
     * @param base where its traffic leaves from
     */
    public LocalCandidate(IceCandidate candidate, InetSocketAddress base) {
        this(candidate, base, null, null);
    }

    /**
     * The priority a peer-reflexive candidate learned through this one gets: the peer-reflexive type
     * preference with this candidate's local preference and component (RFC 8445 section 7.1.1, the
     * PRIORITY of our checks, and section 7.2.5.3.1 for the ones our checks discover).
     */
    long peerReflexivePriority() {
        int typePreference = candidate.transport() == TransportProtocol.TCP
                ? TcpPriority.typePreference(CandidateType.PEER_REFLEXIVE) // RFC 6544 section 4.2
                : CandidateType.PEER_REFLEXIVE.typePreference();
        return CandidatePriority.of(typePreference,
                (int) ((candidate.priority() >>> 8) & 0xFFFF), candidate.componentId());
    }
}
