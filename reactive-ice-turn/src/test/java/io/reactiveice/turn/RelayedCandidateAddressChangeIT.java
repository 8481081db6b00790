package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceAgent;
import io.reactiveice.IceServer;
import io.reactiveice.IceSession;
import io.reactiveice.NetworkMonitor;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateChange;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * A relayed candidate belongs to the local address its allocation was made through (issue 13): with
 * the TURN client left at its default (the wildcard), the agent's allocation binds its host address,
 * so coturn sees that address as the client's, and when the address disappears the relayed candidate
 * is removed with the host candidate, its allocation deleted, and a new one is made through the
 * address that appeared. The addresses come from a {@link NetworkMonitor} the test feeds: two
 * loopback addresses, one after the other, with coturn on 127.0.0.1.
 */
class RelayedCandidateAddressChangeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start("verbose");

    @Test
    void theRelayedCandidateLeavesWithItsClientAddressAndANewOneComesThroughTheNewAddress() throws Exception {
        InetAddress first = InetAddress.getByName("127.0.0.2");
        InetAddress second = InetAddress.getByName("127.0.0.3");
        Sinks.Many<List<InetAddress>> addresses = Sinks.many().replay().latest();
        addresses.tryEmitNext(List.of(first));
        IceServer server = IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort(), Coturn.USER,
                Coturn.PASSWORD);
        IceAgent agent = IceAgent.create().role(IceRole.CONTROLLING).iceServers(List.of(server))
                .relayAllocator(TurnRelayAllocator.create()).networkMonitor(NetworkMonitor.of(addresses.asFlux()));
        IceSession session = agent.start().block(TIMEOUT);
        try {
            List<CandidateChange> changes = new CopyOnWriteArrayList<>();
            session.candidateChanges().subscribe(changes::add);
            List<IceCandidate> gathered = session.localCandidates().collectList().block(TIMEOUT);
            IceCandidate relayed = only(gathered, CandidateType.RELAYED);
            assertThat(relayed.relatedAddress()).as("the client address coturn saw").isEqualTo(first.getHostAddress());
            assertThat(COTURN.get().allocations()).isEqualTo(1);

            addresses.tryEmitNext(List.of(second));

            Flux.interval(Duration.ofMillis(20))
                    .takeUntil(x -> added(changes, CandidateType.RELAYED) != null).blockLast(TIMEOUT);
            assertThat(removed(changes)).as("removed when %s disappeared", first)
                    .anyMatch(c -> c.type() == CandidateType.HOST && c.address().equals(first.getHostAddress()))
                    .anyMatch(c -> c.type() == CandidateType.RELAYED && c.address().equals(relayed.address())
                            && c.port() == relayed.port());
            IceCandidate renewed = added(changes, CandidateType.RELAYED);
            assertThat(renewed.relatedAddress()).as("the new relay's client address").isEqualTo(second.getHostAddress());
            // the old allocation is deleted, the new one lives: one left
            Flux.interval(Duration.ofMillis(100)).takeUntil(x -> COTURN.get().allocations() == 1).blockLast(TIMEOUT);
            assertThat(COTURN.get().allocations()).isEqualTo(1);
        } finally {
            session.dispose();
        }
        TurnLifecycleIT.awaitNoAllocations(COTURN.get());
    }

    private static IceCandidate only(List<IceCandidate> candidates, CandidateType type) {
        List<IceCandidate> of = candidates.stream().filter(c -> c.type() == type).toList();
        assertThat(of).as("%s candidates of %s", type, candidates).hasSize(1);
        return of.get(0);
    }

    private static IceCandidate added(List<CandidateChange> changes, CandidateType type) {
        return changes.stream().filter(c -> c instanceof CandidateChange.Added).map(c -> ((CandidateChange.Added) c).candidate())
                .filter(c -> c.type() == type).findFirst().orElse(null);
    }

    private static List<IceCandidate> removed(List<CandidateChange> changes) {
        return changes.stream().filter(c -> c instanceof CandidateChange.Removed)
                .map(c -> ((CandidateChange.Removed) c).candidate()).toList();
    }
}
