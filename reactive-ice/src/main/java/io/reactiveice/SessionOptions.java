package io.reactiveice;

import io.reactiveice.candidate.AnnouncedAddress;
import io.reactiveice.candidate.HostAddressPolicy;
import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.transport.MdnsResolver;
import io.reactiveice.transport.MdnsResponder;
import io.reactiveice.transport.PacketTransport;
import java.net.InetAddress;
import java.util.List;
import java.util.random.RandomGenerator;
import reactor.core.scheduler.Scheduler;

/**
 * The settings a running session needs beyond the protocol core's; a lite session gathers host
 * candidates only; {@code mdns} resolves the peer's {@code .local} candidates, or is {@code null};
 * {@code mdnsNames} publishes ours under such names, or is {@code null}; {@code monitor} reports local
 * addresses that appear and disappear, or is {@code null} (then the host addresses are enumerated once,
 * or are {@code hostAddresses}); {@code announced} the addresses advertised for local ones; {@code udp}
 * and {@code tcp} which candidates are gathered (ICE-TCP host candidates with {@code tcp}); {@code sharedTcp}
 * the shared TCP port whose view is the passive TCP candidate, or {@code null}.
 */
record SessionOptions(List<IceServer> iceServers, HostAddressPolicy hostPolicy, List<InetAddress> hostAddresses,
        int portMin, int portMax, int maxRemoteCandidates, TransportPolicy transportPolicy, Scheduler scheduler,
        RandomGenerator random, PacketTransport transport, RetransmissionSchedule gatherSchedule, RelayAllocator relays,
        boolean lite, MdnsResolver mdns, MdnsResponder mdnsNames, NetworkMonitor monitor,
        List<AnnouncedAddress> announced, boolean udp, boolean tcp, SharedTcpPort sharedTcp, IceMetrics metrics) {

    /** The announcement for a local address, or {@code null}. */
    AnnouncedAddress announcement(InetAddress local) {
        for (AnnouncedAddress a : announced) {
            if (a.local().equals(local)) {
                return a;
            }
        }
        return null;
    }
}
