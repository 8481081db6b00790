package io.reactiveice.internal.agent;

import io.reactiveice.agent.CandidatePairState;
import io.reactiveice.agent.IceCandidatePairStats;
import io.reactiveice.agent.IceCandidateStats;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.agent.IceStats;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the statistics snapshot ({@link IceStats}, shaped after W3C webrtc-stats) from the core's
 * parts: the pairs of the {@link Checklist} with their {@link PairCounters}, the candidates, the
 * {@link Selection}. Stateless; called on the agent's serialized context. Ids are made from
 * addresses, so they stay the same across snapshots: {@code L-host-192.0.2.1:5000} for a local
 * candidate, {@code R-prflx-...} for a remote one, {@code P-<base>-<remote address>} for a pair (the
 * same when its remote candidate, peer-reflexive first, is signalled later).
 */
final class Statistics {
    private Statistics() {
    }

    /** The inputs of one snapshot, the core's parts as they are now. */
    record Parts(String ufrag, IceRole role, IceState state, Checklist checklist, Candidates candidates,
            PairEntry selected, long selectedChanges) {
    }

    static IceStats snapshot(long now, long epochOffsetMillis, Parts parts, PathCounters.Source traffic,
            List<RelayAllocationStats> relays) {
        Map<String, IceCandidateStats> locals = new LinkedHashMap<>();
        Map<String, IceCandidateStats> remotes = new LinkedHashMap<>();
        for (LocalCandidate l : parts.candidates().locals()) {
            local(locals, l);
        }
        for (int i = 0; i < parts.candidates().remoteCount(); i++) {
            remote(remotes, parts.candidates().remote(i));
        }
        List<IceCandidatePairStats> pairs = new ArrayList<>(parts.checklist().pairs().size());
        for (PairEntry p : parts.checklist().pairs()) {
            pairs.add(pair(p, local(locals, p.local), remote(remotes, p.remote),
                    traffic.of(p.local.base(), p.remoteAddress), epochOffsetMillis));
        }
        PairEntry s = parts.selected();
        return new IceStats(millis(now, epochOffsetMillis), parts.role(), parts.ufrag(), parts.state(),
                s == null ? null : pairId(s.local.base(), s.remoteAddress), parts.selectedChanges(),
                pairs, List.copyOf(locals.values()), List.copyOf(remotes.values()), relays);
    }

    private static IceCandidatePairStats pair(PairEntry p, String localId, String remoteId, PathCounters d,
            long epochOffsetMillis) {
        PairCounters c = p.counters;
        return new IceCandidatePairStats(pairId(p.local.base(), p.remoteAddress), p.snapshot(), localId, remoteId,
                state(p.state), p.nominated, p.priority,
                d.packetsSent(), d.packetsReceived(), d.bytesSent(), d.bytesReceived(),
                millis(d.lastSentAt(), epochOffsetMillis), millis(d.lastReceivedAt(), epochOffsetMillis),
                c.totalRoundTripNanos / 1e9, c.currentRoundTripNanos < 0 ? 0 : c.currentRoundTripNanos / 1e9,
                c.requestsSent, c.requestsReceived, c.responsesSent, c.responsesReceived,
                c.retransmissionsSent, c.consentRequestsSent,
                d.packetsDiscardedOnSend(), d.bytesDiscardedOnSend());
    }

    private static String local(Map<String, IceCandidateStats> into, LocalCandidate l) {
        IceCandidate c = l.candidate();
        String id = "L-" + c.type().token() + "-" + hostPort(c.address(), c.port());
        into.computeIfAbsent(id, k -> stats(k, false, c, l.url(), l.relayProtocol()));
        return id;
    }

    private static String remote(Map<String, IceCandidateStats> into, IceCandidate c) {
        String id = "R-" + c.type().token() + "-" + hostPort(c.address(), c.port());
        into.computeIfAbsent(id, k -> stats(k, true, c, null, null));
        return id;
    }

    private static IceCandidateStats stats(String id, boolean remote, IceCandidate c, String url, String relayProtocol) {
        return new IceCandidateStats(id, remote, c.address(), c.port(), c.transport(), c.type(), c.priority(), url,
                relayProtocol, c.foundation(), c);
    }

    /** The id of the pair from {@code base} to {@code remote}. */
    static String pairId(InetSocketAddress base, InetSocketAddress remote) {
        return "P-" + hostPort(base.getAddress().getHostAddress(), base.getPort()) + "-"
                + hostPort(remote.getAddress().getHostAddress(), remote.getPort());
    }

    private static String hostPort(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }

    /** The clock's nanoseconds as milliseconds of the epoch (W3C timestamps), or 0 for never. */
    private static double millis(long nanos, long epochOffsetMillis) {
        return nanos == Long.MIN_VALUE ? 0 : nanos / 1e6 + epochOffsetMillis;
    }

    static CandidatePairState state(PairState s) {
        return switch (s) {
            case FROZEN -> CandidatePairState.FROZEN;
            case WAITING -> CandidatePairState.WAITING;
            case IN_PROGRESS -> CandidatePairState.IN_PROGRESS;
            case SUCCEEDED -> CandidatePairState.SUCCEEDED;
            case FAILED -> CandidatePairState.FAILED;
        };
    }
}
