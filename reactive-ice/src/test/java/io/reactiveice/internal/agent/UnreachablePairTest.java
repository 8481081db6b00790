package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.internal.sansio.Transmit;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A request that cannot leave (the shell's send failed: no route to the destination) fails its pair
 * at once, as a hard ICMP error does (RFC 8445 section 7.2.5.2.2), in virtual time on the
 * {@link SimNetwork} with 1 ms one-way latency. The set-up is issue 13's two-link lab: A and B each
 * have an address on link 1 and one on link 2, and while both links are up every pair works,
 * including the cross pairs (A's link-1 address to B's link-2 one leaves over link 2). When A's
 * link-2 address goes, its route goes with it: nothing A sends to B's link-2 address can leave, from
 * any socket. The best valid pair left is the cross pair towards B's link-2 address; only the pair
 * within link 1 still works.
 */
class UnreachablePairTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final InetSocketAddress A1 = addr("10.7.1.1", 10_001);
    private static final InetSocketAddress A2 = addr("10.7.2.1", 10_002);
    private static final InetSocketAddress B1 = addr("10.7.1.2", 20_001);
    private static final InetSocketAddress B2 = addr("10.7.2.2", 20_002);

    private final Set<InetSocketAddress> gone = new HashSet<>();
    private boolean link2Down;

    private AgentPair twoLinks() {
        SimNetwork net = new SimNetwork(21)
                .block(t -> gone.contains(t.from()) || gone.contains(t.to()))
                // from the lost address nothing leaves; from A1 nothing towards link 2 (ENETUNREACH both)
                .unreachable(t -> link2Down && (t.from().equals(A2) || isA(t.from()) && t.to().equals(B2)));
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        // link 2 first, as the lab's enumeration ordered them: its addresses have the higher preference
        p.hosts(List.of(host(A2, 65_535), host(A1, 65_534)), List.of(host(B2, 65_535), host(B1, 65_534)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(2 * S); // every pair has been checked: the backups, the cross pairs among them, are valid
        return p;
    }

    private static boolean isA(InetSocketAddress base) {
        return base.equals(A1) || base.equals(A2);
    }

    /**
     * A loses its link-2 address while A2-B2 is selected: it moves to the best valid pair, the cross
     * pair A1-B2, whose nominating check cannot leave; that pair fails in the same instant and A moves
     * on to A1-B1 and nominates it. B follows one way later: the data path is on link 1 within 1 ms of
     * the loss, with no DISCONNECTED and no consent timeout on either side. (B's last proof of consent
     * on B1-A1 is 2 s old when it follows; its first consent check there is due one randomized
     * interval after that proof, not after the move, so 7.5 s of silence never pass.)
     */
    @Test
    void theCrossPairWhoseRouteWentWithTheAddressFailsAtOnceAndTheLinkOnePairTakesOver() {
        AgentPair p = twoLinks();
        assertThat(p.a.selectedPair().base()).isEqualTo(A2);
        assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(B2);
        assertThat(p.a.describeChecklist()).filteredOn(d -> d.startsWith(A1 + "->" + B2)).singleElement()
                .satisfies(d -> assertThat(d).contains("valid"));
        p.drain();
        p.eventsA.clear();
        p.eventsB.clear();
        long lostAt = p.net.now();

        gone.add(A2);
        link2Down = true;
        p.a.localCandidateLost(lostAt, A2); // what the network monitor reports
        assertThat(p.net.runUntil(() -> B1.equals(remote(p.a)), 0)).as("A moved in the instant of the loss").isTrue();

        assertThat(p.net.now()).isEqualTo(lostAt);
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        assertThat(p.net.unsent).as("the cross pair's nominating check could not leave").isNotEmpty()
                .allMatch(t -> t.from().equals(A1) && t.to().equals(B2));
        assertThat(p.a.describeChecklist()).filteredOn(d -> d.startsWith(A1 + "->" + B2)).singleElement()
                .satisfies(d -> assertThat(d).contains("FAILED").doesNotContain("valid"));
        assertThat(p.net.runUntil(() -> A1.equals(remote(p.b)), S)).isTrue();
        assertThat(p.net.now()).as("B follows the nomination one way later").isEqualTo(lostAt + MS);
        assertThat(p.b.selectedPair().base()).isEqualTo(B1);

        p.net.runFor(60 * S); // and both stay there, with consent
        p.drain();
        assertThat(p.a.state()).isEqualTo(IceState.COMPLETED);
        assertThat(p.b.state()).isEqualTo(IceState.COMPLETED);
        assertThat(AgentPair.states(p.eventsA)).doesNotContain(IceState.DISCONNECTED, IceState.FAILED);
        assertThat(AgentPair.states(p.eventsB)).doesNotContain(IceState.DISCONNECTED, IceState.FAILED);
        assertThat(p.a.selectedPair().remoteAddress()).isEqualTo(B1);
    }

    /**
     * The route goes before the monitor notices the address: the next consent check on the selected
     * pair cannot leave, which fails that pair and moves A at once, without the monitor and without
     * waiting 7.5 s for DISCONNECTED. The move lands on A1-B1, the cross pairs towards B2 failing as
     * their checks fail to leave.
     */
    @Test
    void aConsentCheckThatCannotLeaveMovesOffTheSelectedPairBeforeTheMonitorKnows() {
        AgentPair p = twoLinks();
        p.drain();
        p.eventsA.clear();
        long cutAt = p.net.now();
        gone.add(A2);
        link2Down = true;

        assertThat(p.net.runUntil(() -> !p.net.unsent.isEmpty(), 10 * S)).isTrue();
        long failedAt = p.net.now();
        assertThat(p.net.unsent.get(0).from()).isEqualTo(A2);
        assertThat(failedAt - cutAt).as("the next consent check, within 1.2 consent intervals")
                .isLessThanOrEqualTo(6 * S);
        assertThat(remote(p.a)).isEqualTo(B1);
        assertThat(p.a.selectedPair().base()).isEqualTo(A1);
        assertThat(p.net.runUntil(() -> A1.equals(remote(p.b)), S)).isTrue();
        assertThat(p.net.now()).isEqualTo(failedAt + MS);
        p.drain();
        assertThat(AgentPair.states(p.eventsA)).doesNotContain(IceState.DISCONNECTED, IceState.FAILED);
        assertThat(p.net.unsent).allMatch(t -> t.from().equals(A2) || t.to().equals(B2));
    }

    private static InetSocketAddress remote(IceAgentCore core) {
        return core.selectedPair() == null ? null : core.selectedPair().remoteAddress();
    }
}
