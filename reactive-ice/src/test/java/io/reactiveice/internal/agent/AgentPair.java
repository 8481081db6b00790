package io.reactiveice.internal.agent;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Two agent cores with host candidates on a {@link SimNetwork}, and the events each emitted. */
final class AgentPair {
    final SimNetwork net;
    final IceAgentCore a;
    final IceAgentCore b;
    final List<IceEvent> eventsA = new ArrayList<>();
    final List<IceEvent> eventsB = new ArrayList<>();

    AgentPair(SimNetwork net, CoreConfig configA, CoreConfig configB, long seed) {
        this.net = net;
        RandomGenerator ra = new SplittableRandom(seed);
        RandomGenerator rb = new SplittableRandom(seed + 1);
        this.a = new IceAgentCore(configA, IceCredentials.generate(ra), ra);
        this.b = new IceAgentCore(configB, IceCredentials.generate(rb), rb);
        net.attach(a);
        net.attach(b);
    }

    static InetSocketAddress addr(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    static LocalCandidate host(InetSocketAddress address, int localPreference) {
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), localPreference, 1);
        return new LocalCandidate(IceCandidate.udp("h" + address.getAddress().getHostAddress().replace('.', 'x')
                .replace(':', 'y'), 1, priority, address, CandidateType.HOST), address);
    }

    /** A server-reflexive candidate of {@code mapped} on {@code base}, local preference 65535. */
    static LocalCandidate reflexive(InetSocketAddress mapped, InetSocketAddress base) {
        long priority = CandidatePriority.of(CandidateType.SERVER_REFLEXIVE.typePreference(), 65535, 1);
        return new LocalCandidate(IceCandidate.udp("s" + mapped.getPort(), 1, priority, mapped,
                CandidateType.SERVER_REFLEXIVE), base);
    }

    /** Whether {@code stun} is a Binding request. */
    static boolean isRequest(byte[] stun) {
        return stun.length >= 20 && stun[0] == 0x00 && stun[1] == 0x01;
    }

    /** The selected pairs among {@code events}, in order. */
    static List<CandidatePair> selections(List<IceEvent> events) {
        List<CandidatePair> out = new ArrayList<>();
        for (IceEvent e : events) {
            if (e instanceof IceEvent.SelectedPairChanged s) {
                out.add(s.pair());
            }
        }
        return out;
    }

    /** Gives each side its host candidates (registered on the network) and exchanges everything. */
    AgentPair hosts(List<LocalCandidate> forA, List<LocalCandidate> forB) {
        for (LocalCandidate c : forA) {
            net.attach(a, c.base());
        }
        for (LocalCandidate c : forB) {
            net.attach(b, c.base());
        }
        long now = net.now();
        a.setRemoteCredentials(now, b.credentials());
        b.setRemoteCredentials(now, a.credentials());
        for (LocalCandidate c : forA) {
            a.addLocalCandidate(now, c);
            b.addRemoteCandidate(now, c.candidate());
        }
        for (LocalCandidate c : forB) {
            b.addLocalCandidate(now, c);
            a.addRemoteCandidate(now, c.candidate());
        }
        a.localGatheringComplete(now);
        b.localGatheringComplete(now);
        a.remoteEndOfCandidates(now);
        b.remoteEndOfCandidates(now);
        return this;
    }

    boolean bothConnected() {
        drain();
        return connected(a.state()) && connected(b.state()) && a.selectedPair() != null && b.selectedPair() != null;
    }

    /** CONNECTED or COMPLETED: a pair is selected and answers (DISCONNECTED can send too, but is a warning). */
    static boolean connected(IceState state) {
        return state == IceState.CONNECTED || state == IceState.COMPLETED;
    }

    void drain() {
        IceEvent e;
        while ((e = a.pollEvent()) != null) {
            eventsA.add(e);
        }
        while ((e = b.pollEvent()) != null) {
            eventsB.add(e);
        }
    }

    static List<IceState> states(List<IceEvent> events) {
        List<IceState> out = new ArrayList<>();
        for (IceEvent e : events) {
            if (e instanceof IceEvent.StateChanged s) {
                out.add(s.state());
            }
        }
        return out;
    }
}
