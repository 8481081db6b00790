package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.GatheringError;
import io.reactiveice.agent.IceState;
import io.reactiveice.internal.agent.IceEvent;
import io.reactiveice.internal.agent.LocalCandidate;
import io.reactiveice.internal.runner.MachineRunner;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The session's side of its three parts, in one object (an idle session's heap counts): the core's
 * output on the worker ({@link MachineRunner.Output}), what gathering produces
 * ({@link Gathering.Results}) and what the data connection reads ({@link IceConnection.Path}).
 */
final class SessionWiring implements MachineRunner.Output<IceEvent>, Gathering.Results, IceConnection.Path {
    private final IceSession session;

    SessionWiring(IceSession session) {
        this.session = session;
    }

    // Snapshots first, then the datagrams, then the subscribers: whoever reacts to an event sees the
    // state that goes with it, and the peer's data that our answer lets it send finds its address held.
    @Override
    public void snapshot(List<IceEvent> drained) {
        session.events.snapshot(drained, session.core.role());
        session.admission().update(session.core);
    }

    // A check that cannot leave fails its pair at once, on the worker (RFC 8445 section 7.2.5.2.2).
    @Override
    public void transmit(Transmit t) {
        session.sockets.send(t, () -> session.run(() -> session.core.unreachable(session.now(), t.from(), t.to())));
    }

    // A restart is a new input of the session's (it changes the core), run next, in the same instant.
    @Override
    public void emit(IceEvent e) {
        if (e instanceof IceEvent.RestartNeeded) {
            session.run(session::restartAutomatically);
        } else if (e instanceof IceEvent.PeerRestarted) {
            session.run(session::peerRestarted);
        } else {
            if (session.meters != null) {
                session.meters.event(e, session.now());
            }
            session.events.emit(e, session.id());
        }
    }

    // ---- what gathering produces, taken into the session

    @Override
    public void socketBound(PacketSocket socket) {
        session.register(socket);
    }

    // On the socket's I/O thread. STUN (RFC 7983: first byte 0-3) goes to the worker, to gathering's
    // transactions first and then the core; anything else is application data for the connection.
    @Override
    public void received(InetSocketAddress base, ByteBuf data, InetSocketAddress sender) {
        int n = data.readableBytes();
        if (n > 0 && data.getUnsignedByte(data.readerIndex()) < 4) {
            byte[] bytes = new byte[n];
            data.getBytes(data.readerIndex(), bytes);
            session.run(() -> {
                if (!session.gathering.onStun(bytes, sender)) {
                    session.core.handleInput(session.now(), new Datagram(base, sender, ByteBuffer.wrap(bytes), 0, n));
                }
            });
        } else if (n > 0 && !session.connection.onData(base, data, sender)) {
            session.unknownDataSource(base, sender); // a new NAT mapping of the peer's, perhaps
        }
    }

    @Override
    public void candidateGathered(LocalCandidate candidate) {
        session.core.addLocalCandidate(session.now(), candidate);
        session.candidates.gathered(session.mdns.signalled(candidate.candidate()), candidate.base());
    }

    @Override
    public void candidateLost(InetSocketAddress base) {
        session.run(() -> session.candidateLost(base));
    }

    @Override
    public void gatheringError(GatheringError error) {
        session.core.gatheringError(session.now(), error);
    }

    @Override
    public void gatheringComplete() {
        session.core.localGatheringComplete(session.now());
        session.candidates.complete();
    }

    // ---- what the data connection reads of the session

    @Override
    public CandidatePair selectedPair() {
        return session.events.selected();
    }

    @Override
    public IceState state() {
        return session.events.state();
    }

    @Override
    public PacketSocket socket(InetSocketAddress base) {
        return session.sockets.get(base);
    }

    @Override
    public boolean run(Runnable task) {
        return session.run(task);
    }

    @Override
    public IceFailedException failed(String context) {
        return session.events.failed(context);
    }

    @Override
    public void unreachable(InetSocketAddress base, InetSocketAddress remote) {
        session.run(() -> session.core.unreachable(session.now(), base, remote));
    }
}
