package io.reactiveice.internal.agent;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidates of the one data stream (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1">RFC
 * 8445 section 5.1</a>): ours with their bases, and the peer's, signalled or peer-reflexive (sections
 * 7.2.5.3.1 and 7.3.1.3), whose addresses are parsed once. The peer's are bounded by
 * {@link CoreConfig#maxRemoteCandidates()}.
 */
final class Candidates {
    // sized for the usual one or two candidates a side (ArrayList's default is 10): an idle agent's heap counts
    private final List<LocalCandidate> locals = new ArrayList<>(2);
    private final List<IceCandidate> remotes = new ArrayList<>(2);
    private final List<InetSocketAddress> remoteAddresses = new ArrayList<>(2); // remotes' addresses, parsed once
    private final int maxRemotes;
    private int prflxCount;

    Candidates(int maxRemotes) {
        this.maxRemotes = maxRemotes;
    }

    /** Adds one of ours; {@code false} if it is known already. */
    boolean addLocal(LocalCandidate candidate) {
        if (locals.contains(candidate)) {
            return false;
        }
        locals.add(candidate);
        return true;
    }

    /** Forgets ours on {@code base} (its allocation was lost). */
    void removeLocal(InetSocketAddress base) {
        locals.removeIf(l -> l.base().equals(base));
    }

    List<LocalCandidate> locals() {
        return locals;
    }

    /** Whether another remote candidate fits under the limit. */
    boolean remoteFits() {
        return remotes.size() < maxRemotes;
    }

    /**
     * Adds a signalled remote candidate if it can be used: UDP, or TCP with its {@code tcptype} (RFC
     * 6544 section 4.5), with an IP address, component 1, a transport and
     * address no signalled remote candidate has, under the limit. One that a check taught us first,
     * as a peer-reflexive candidate (section 7.3.1.3, common with trickle when the signalling is slower
     * than the checks), is replaced by the signalled one, so that it is paired with every local
     * candidate and not only with the one the check arrived on; the pairs formed with the
     * peer-reflexive one take the signalled one too ({@link Checklist#remoteSignalled}, RFC 8838
     * section 11).
     *
     * @return its address, or {@code null} if it was not added
     */
    InetSocketAddress addSignalledRemote(IceCandidate candidate) {
        boolean usable = candidate.transport() == TransportProtocol.UDP
                || candidate.transport() == TransportProtocol.TCP && candidate.tcpType() != null;
        if (!usable || !candidate.hasIpAddress() || candidate.componentId() != 1) {
            return null;
        }
        InetSocketAddress address = candidate.socketAddress();
        int known = indexOf(address, candidate.transport());
        if (known >= 0) {
            if (remotes.get(known).type() != CandidateType.PEER_REFLEXIVE) {
                return null;
            }
            remotes.set(known, candidate);
            return address;
        }
        if (!remoteFits()) {
            return null;
        }
        addRemote(candidate, address);
        return address;
    }

    private void addRemote(IceCandidate candidate, InetSocketAddress address) {
        remotes.add(candidate);
        remoteAddresses.add(address);
    }

    int remoteCount() {
        return remotes.size();
    }

    IceCandidate remote(int i) {
        return remotes.get(i);
    }

    InetSocketAddress remoteAddress(int i) {
        return remoteAddresses.get(i);
    }

    /**
     * The peer's candidate of {@code transport} on {@code address}, or {@code null}: a UDP and a TCP
     * candidate on the same address and port are two candidates (RFC 6544 section 4.5).
     */
    IceCandidate knownRemote(InetSocketAddress address, TransportProtocol transport) {
        int i = indexOf(address, transport);
        return i < 0 ? null : remotes.get(i);
    }

    private int indexOf(InetSocketAddress address, TransportProtocol transport) {
        for (int i = 0; i < remoteAddresses.size(); i++) {
            if (remoteAddresses.get(i).equals(address) && remotes.get(i).transport() == transport) {
                return i;
            }
        }
        return -1;
    }

    /** Our candidate whose base is {@code base}, never a server-reflexive one (section 6.1.2.4); or {@code null}. */
    LocalCandidate localByBase(InetSocketAddress base) {
        for (LocalCandidate l : locals) {
            if (l.base().equals(base) && l.candidate().type() != CandidateType.SERVER_REFLEXIVE) {
                return l;
            }
        }
        return null;
    }

    /** Whether an address is one of our own candidates' (section 7.2.5.3.1). */
    boolean isLocalAddress(InetSocketAddress mapped) {
        for (LocalCandidate l : locals) {
            if (l.candidate().hasIpAddress() && l.candidate().socketAddress().equals(mapped)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A check came from {@code source}, no known candidate of the peer: a peer-reflexive remote
     * candidate with the PRIORITY of the check (section 7.3.1.3), of the transport of the base it came to;
     * {@code null} if the limit is reached.
     */
    IceCandidate addPeerReflexiveRemote(InetSocketAddress source, long priority, TransportProtocol transport) {
        if (!remoteFits()) {
            return null;
        }
        // over TCP the check came on a connection the peer opened to our passive candidate: its source is
        // the peer's active end (RFC 6544 section 7.2)
        IceCandidate prflx = transport == TransportProtocol.TCP
                ? new IceCandidate(nextPeerReflexiveFoundation("r"), 1, TransportProtocol.TCP, priority,
                        source.getAddress().getHostAddress(), source.getPort(), CandidateType.PEER_REFLEXIVE, null, 0,
                        TcpType.ACTIVE, List.of())
                : IceCandidate.udp(nextPeerReflexiveFoundation("r"), 1, priority, source, CandidateType.PEER_REFLEXIVE);
        addRemote(prflx, source);
        return prflx;
    }

    /** A foundation for a peer-reflexive candidate, unique in this agent. */
    String nextPeerReflexiveFoundation(String prefix) {
        return prefix + (++prflxCount);
    }

    /** The peer restarted, or we did (section 9): its candidates are forgotten. */
    void clearRemotes() {
        remotes.clear();
        remoteAddresses.clear();
    }
}
