package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.CandidatePair;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidateChange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

/**
 * Automatic recovery of two sessions (issue 13, {@link RecoveryPolicy#RESTART}), in virtual time on
 * the in-memory network (1 ms one way): A's addresses come from a {@link NetworkMonitor} the test
 * feeds, B has a fixed one, and neither offers renomination. The application's code is
 * {@link #signal}: the same for the first connection and for every restart, it forwards credentials,
 * candidates and end-of-candidates; it never calls {@link IceSession#restart()}.
 */
class IceSessionAutoRecoveryTest extends VirtualTimeSessions {
    private static final InetAddress A1 = ip("127.0.0.1");
    private static final InetAddress A3 = ip("127.0.0.5");

    private final Sinks.Many<List<InetAddress>> addressesOfA = Sinks.many().replay().latest();
    private final Set<InetAddress> unreachable = new HashSet<>();
    private final List<String> eventsOfA = new CopyOnWriteArrayList<>();
    private final List<Long> restartsOfA = new CopyOnWriteArrayList<>();
    private final List<Long> restartsOfB = new CopyOnWriteArrayList<>();
    private final List<Long> movesOfA = new CopyOnWriteArrayList<>();
    private final List<Long> movesOfB = new CopyOnWriteArrayList<>();

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The application's signalling from one session to the other: the credentials, then the
     * candidates of that generation and their end; on the first connection and again on every
     * {@link IceSession#restarts() restart}, whoever made it.
     */
    private static void signal(IceSession from, IceSession to) {
        java.util.function.Consumer<IceCredentials> session = credentials -> {
            to.setRemoteCredentials(credentials);
            from.localCandidates().subscribe(to::addRemoteCandidate, e -> { }, to::remoteEndOfCandidates);
        };
        from.restarts().subscribe(session);
        session.accept(from.localCredentials());
    }

    private long now() {
        return clock.now(TimeUnit.NANOSECONDS);
    }

    private void connect(RecoveryPolicy policyOfA) throws UnknownHostException {
        net.block(s -> unreachable.contains(s.from().getAddress()) || unreachable.contains(s.to().getAddress()));
        addressesOfA.tryEmitNext(List.of(A1));
        a = start(IceAgent.create().role(IceRole.CONTROLLING).scheduler(clock).random(new SplittableRandom(1))
                .packetTransport(net).networkMonitor(NetworkMonitor.of(addressesOfA.asFlux())).recovery(policyOfA));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.3", 2).recovery(RecoveryPolicy.RESTART));
        a.states().skip(1).subscribe(s -> eventsOfA.add(s.name()));
        a.candidateChanges().subscribe(c -> eventsOfA.add(c.getClass().getSimpleName()));
        a.selectedPairs().subscribe(p -> eventsOfA.add("selected " + p.base().getAddress().getHostAddress()));
        a.restarts().subscribe(c -> {
            eventsOfA.add("restarted");
            restartsOfA.add(now());
        });
        b.restarts().subscribe(c -> restartsOfB.add(now()));
        a.selectedPairs().subscribe(p -> movesOfA.add(now()));
        b.selectedPairs().subscribe(p -> movesOfB.add(now()));
        signal(a, b);
        signal(b, a);
        clock.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
        eventsOfA.clear();
        movesOfA.clear();
        movesOfB.clear();
    }

    private static InetAddress base(CandidatePair p) {
        return p == null ? null : p.base().getAddress();
    }

    /**
     * A's only address is replaced by a new one in one poll, and B has no renomination: A restarts in
     * that instant with new credentials, the application signals them and A's candidates (the new
     * address's), B restarts in answer and its application signals back; the new session's pair from
     * the new address is selected on both sides, A's one round trip after the change and B's one way
     * later. The exact sequence on A: the candidate removed,
     * DISCONNECTED, the new candidate added, the restart, the new pair selected, CONNECTED, COMPLETED.
     */
    @Test
    void anAddressReplacedUnderAPeerWithoutRenominationIsRecoveredByAnAutomaticRestart() throws UnknownHostException {
        connect(RecoveryPolicy.RESTART);
        String ufragA = a.localCredentials().ufrag();
        long changedAt = now();
        unreachable.add(A1);
        addressesOfA.tryEmitNext(List.of(A3));
        clock.advanceTimeBy(Duration.ofMillis(100));

        assertThat(restartsOfA).containsExactly(changedAt);
        assertThat(restartsOfB).as("B answers A's new session").containsExactly(changedAt);
        assertThat(a.localCredentials().ufrag()).isNotEqualTo(ufragA);
        assertThat(base(a.selectedPair())).isEqualTo(A3);
        assertThat(b.selectedPair().remoteAddress().getAddress()).isEqualTo(A3);
        // the signalling takes no time here: one round trip from the new address, B one way later
        assertThat(movesOfA).containsExactly(changedAt + 2 * MS);
        assertThat(movesOfB).containsExactly(changedAt + 3 * MS);
        assertThat(eventsOfA).containsExactly("Removed", "DISCONNECTED", "Added", "restarted", "selected 127.0.0.5",
                "CONNECTED", "COMPLETED");
        clock.advanceTimeBy(Duration.ofSeconds(60)); // and it stays, with consent
        assertThat(a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
        assertThat(restartsOfA).hasSize(1);
    }

    /**
     * The same change with the default policy: no restart. Without renomination the agent still moves
     * to the new address's pair and nominates it a second time, which this library's controlled agent
     * follows; a strict RFC 8445 peer would not, which is what {@link RecoveryPolicy#RESTART} is for.
     */
    @Test
    void withTheDefaultPolicyTheAgentNeverRestartsOnItsOwn() throws UnknownHostException {
        connect(RecoveryPolicy.RENOMINATE);
        String ufragA = a.localCredentials().ufrag();
        unreachable.add(A1);
        addressesOfA.tryEmitNext(List.of(A3));
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(restartsOfA).isEmpty();
        assertThat(restartsOfB).isEmpty();
        assertThat(a.localCredentials().ufrag()).isEqualTo(ufragA);
        assertThat(base(a.selectedPair())).isEqualTo(A3);
        assertThat(eventsOfA).doesNotContain("restarted").contains(CandidateChange.Removed.class.getSimpleName());
    }
}
