package io.reactiveice;

import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** Two sessions on loopback, with the signalling between them done in-process. */
final class IcePeers implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    final IceSession a;
    final IceSession b;

    IcePeers(UnaryOperator<IceAgent> configA, UnaryOperator<IceAgent> configB) {
        IceAgent base = IceAgent.create().hostAddresses(List.of(InetAddress.getLoopbackAddress()));
        this.a = configA.apply(base.role(IceRole.CONTROLLING)).start().block(TIMEOUT);
        this.b = configB.apply(base.role(IceRole.CONTROLLED)).start().block(TIMEOUT);
    }

    static IcePeers loopback() {
        return new IcePeers(c -> c, c -> c);
    }

    /** ICE-TCP host candidates only (RFC 6544), no UDP. */
    static UnaryOperator<IceAgent> tcpOnly() {
        return c -> c.tcpCandidates(true).udpCandidates(false);
    }

    /** Exchanges credentials and trickles every candidate both ways, as a signalling channel would. */
    IcePeers signal() {
        a.setRemoteCredentials(b.localCredentials());
        b.setRemoteCredentials(a.localCredentials());
        a.localCandidates().doOnComplete(b::remoteEndOfCandidates).subscribe(b::addRemoteCandidate);
        b.localCandidates().doOnComplete(a::remoteEndOfCandidates).subscribe(a::addRemoteCandidate);
        return this;
    }

    static void trickle(IceSession from, IceSession to) {
        to.setRemoteCredentials(from.localCredentials());
        from.localCandidates().doOnComplete(to::remoteEndOfCandidates).subscribe((IceCandidate c) -> to.addRemoteCandidate(c));
    }

    @Override
    public void close() {
        a.dispose();
        b.dispose();
    }
}
