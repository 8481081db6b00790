package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateChange;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * Sessions whose local addresses change (issue 13), in virtual time on the in-memory network: A's
 * addresses come from a {@link NetworkMonitor} the test feeds, B has a fixed one. Both offer
 * renomination and read each other's parameters. What is pinned: the instant the selected pair
 * moves, what {@link IceSession#candidateChanges()} signals, and that the sockets of a gone address
 * close.
 */
class IceSessionNetworkChangeTest extends VirtualTimeSessions {
    private static final InetAddress A1 = ip("127.0.0.1");
    private static final InetAddress A2 = ip("127.0.0.2");
    private static final InetAddress A3 = ip("127.0.0.5");

    private final Sinks.Many<List<InetAddress>> addressesOfA = Sinks.many().replay().latest();
    private final Set<InetAddress> unreachable = new HashSet<>();
    private final List<CandidateChange> changesOfA = new CopyOnWriteArrayList<>();
    private final List<Long> movesOfA = new CopyOnWriteArrayList<>();
    private final List<Long> movesOfB = new CopyOnWriteArrayList<>();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A on the monitor's addresses (first {@code initial}), B on 127.0.0.3; started, signalled, connected. */
    private void connect(List<InetAddress> initial) throws UnknownHostException {
        net.block(s -> unreachable.contains(s.from().getAddress()) || unreachable.contains(s.to().getAddress()));
        addressesOfA.tryEmitNext(initial);
        a = start(IceAgent.create().role(IceRole.CONTROLLING).scheduler(clock).random(new SplittableRandom(1))
                .packetTransport(net).renomination(true).networkMonitor(NetworkMonitor.of(addressesOfA.asFlux())));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.3", 2).renomination(true));
        a.candidateChanges().subscribe(changesOfA::add);
        a.selectedPairs().subscribe(p -> movesOfA.add(clock.now(TimeUnit.NANOSECONDS)));
        b.selectedPairs().subscribe(p -> movesOfB.add(clock.now(TimeUnit.NANOSECONDS)));
        a.setRemoteParameters(b.localParameters());
        b.setRemoteParameters(a.localParameters());
        collect(a).forEach(b::addRemoteCandidate);
        collect(b).forEach(a::addRemoteCandidate);
        a.remoteEndOfCandidates();
        b.remoteEndOfCandidates();
        clock.advanceTimeBy(Duration.ofSeconds(2)); // connected, and every backup checked
    }

    /** Trickles what A signals after gathering completed to B, as an application would. */
    private void trickleChangesToB() {
        for (CandidateChange c : changesOfA) {
            if (c instanceof CandidateChange.Added added) {
                b.addRemoteCandidate(added.candidate());
            }
        }
    }

    private static InetAddress base(CandidatePair p) {
        return p == null ? null : p.base().getAddress();
    }

    private static InetAddress remote(CandidatePair p) {
        return p == null ? null : p.remoteAddress().getAddress();
    }

    /**
     * The address of the selected pair disappears while A2's pair is valid: in the same virtual instant
     * A selects A2's pair and renominates it, B follows one way (1 ms) later; the candidate is signalled
     * as removed and its socket is closed. No DISCONNECTED.
     */
    @Test
    void anAddressLostWithAValidBackupMovesTheSelectedPairAtOnce() throws UnknownHostException {
        connect(List.of(A1, A2));
        assertThat(base(a.selectedPair())).isEqualTo(A1);
        List<IceState> states = new ArrayList<>();
        a.states().skip(1).subscribe(states::add);
        movesOfA.clear();
        movesOfB.clear();
        long lostAt = clock.now(TimeUnit.NANOSECONDS);

        unreachable.add(A1);
        addressesOfA.tryEmitNext(List.of(A2));
        clock.advanceTime();
        assertThat(base(a.selectedPair())).isEqualTo(A2);
        assertThat(movesOfA).containsExactly(lostAt);
        clock.advanceTimeBy(Duration.ofMillis(10));
        assertThat(remote(b.selectedPair())).isEqualTo(A2);
        assertThat(movesOfB).containsExactly(lostAt + MS);

        assertThat(changesOfA).hasSize(1).first().isInstanceOf(CandidateChange.Removed.class)
                .extracting(c -> c.candidate().address()).isEqualTo(A1.getHostAddress());
        assertThat(a.sockets()).extracting(s -> s.localAddress().getAddress()).containsExactly(A2);
        assertThat(states).doesNotContain(IceState.DISCONNECTED, IceState.FAILED);
        clock.advanceTimeBy(Duration.ofSeconds(60)); // it stays, with consent
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
    }

    /**
     * A's only address is replaced by a new one in one poll: the old candidate is removed, a host
     * candidate is gathered on the new address and signalled as added; its pair is checked (B learns
     * the address from the check) and selected and renominated the instant the check succeeds, without
     * an ICE restart. Data flows again within a few milliseconds of the poll.
     */
    @Test
    void anAddressLostWithoutABackupIsReplacedByTheNewOneWithoutARestart() throws UnknownHostException {
        connect(List.of(A1));
        movesOfA.clear();
        movesOfB.clear();
        long changedAt = clock.now(TimeUnit.NANOSECONDS);
        String ufrag = a.localCredentials().ufrag();
        unreachable.add(A1);
        addressesOfA.tryEmitNext(List.of(A3));
        clock.advanceTime();
        assertThat(changesOfA).extracting(c -> c.getClass().getSimpleName() + " " + c.candidate().address())
                .containsExactly("Removed 127.0.0.1", "Added 127.0.0.5");
        assertThat(a.state()).isEqualTo(IceState.DISCONNECTED);

        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(base(a.selectedPair())).isEqualTo(A3);
        assertThat(remote(b.selectedPair())).isEqualTo(A3);
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        // the check from A3 at once, its answer one round trip later: selected and renominated
        assertThat(movesOfA).containsExactly(changedAt + 2 * MS);
        assertThat(movesOfB).containsExactly(changedAt + 3 * MS);
        assertThat(a.localCredentials().ufrag()).as("no restart").isEqualTo(ufrag);
    }

    /**
     * A better address appears (first in the monitor's order, so the higher local preference) while
     * the pair of A2 is selected, A1 being unreachable: gathered, signalled as added after
     * end-of-candidates, trickled, checked, and renominated once valid; both sides move to it.
     */
    @Test
    void aBetterAddressThatAppearsIsGatheredTrickledAndMovedTo() throws UnknownHostException {
        unreachable.add(A1);
        connect(List.of(A1, A2));
        assertThat(base(a.selectedPair())).isEqualTo(A2);
        movesOfA.clear();
        addressesOfA.tryEmitNext(List.of(A3, A2));
        clock.advanceTime();
        assertThat(changesOfA).extracting(c -> c.getClass().getSimpleName() + " " + c.candidate().address())
                .containsExactly("Removed 127.0.0.1", "Added 127.0.0.5");
        IceCandidate added = changesOfA.get(1).candidate();
        assertThat(added.priority()).isGreaterThan(a.selectedPair().local().priority());
        trickleChangesToB();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(base(a.selectedPair())).isEqualTo(A3);
        assertThat(remote(b.selectedPair())).isEqualTo(A3);
        assertThat(movesOfA).hasSize(1);
        assertThat(collect(a)).as("a restart's generation would be the candidates now")
                .extracting(IceCandidate::address).doesNotContain(A1.getHostAddress());
    }

    /**
     * An agent that starts with no address at all (a hotspot without uplink) completes gathering with
     * no candidate; when an address appears it gathers on it and connects.
     */
    @Test
    void anAgentStartedWithNoAddressConnectsWhenOneAppears() throws UnknownHostException {
        connect(List.of());
        assertThat(a.selectedPair()).isNull();
        assertThat(a.sockets()).isEmpty();
        addressesOfA.tryEmitNext(List.of(A1));
        clock.advanceTime();
        assertThat(changesOfA).extracting(c -> c.getClass().getSimpleName() + " " + c.candidate().address())
                .containsExactly("Added 127.0.0.1");
        trickleChangesToB();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(base(a.selectedPair())).isEqualTo(A1);
        assertThat(b.selectedPair().remoteAddress()).isEqualTo(new InetSocketAddress(A1,
                a.selectedPair().base().getPort()));
        assertThat(a.state().canSend()).isTrue();
    }

    /**
     * Sessions with fixed host addresses are not monitored, nor are those on a shared port: the
     * default monitor is only for agents that enumerate interfaces.
     */
    @Test
    void sessionsWithFixedAddressesAreNotMonitored() throws UnknownHostException {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1)
                .networkMonitor(NetworkMonitor.of(addressesOfA.asFlux())));
        addressesOfA.tryEmitNext(List.of(A2));
        clock.advanceTime();
        assertThat(a.sockets()).extracting(s -> s.localAddress().getAddress()).containsExactly(A1);
        assertThat(addressesOfA.currentSubscriberCount()).isZero();
    }
}
