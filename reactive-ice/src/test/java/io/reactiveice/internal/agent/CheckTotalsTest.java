package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A core's {@link CheckTotals}: made by the first {@link IceAgentCore#checkTotals()} call (a session
 * without metrics has none) and then summing what the pairs' counters count.
 */
class CheckTotalsTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress A = addr("10.0.0.1", 10_001);
    private static final InetSocketAddress B = addr("10.0.0.2", 20_001);

    @Test
    void askedForBeforeTheFirstInputTheyCountEveryCheckAndAnswer() {
        SimNetwork net = new SimNetwork(3);
        AgentPair p = new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
        CheckTotals a = p.a.checkTotals();
        CheckTotals b = p.b.checkTotals();
        assertThat(p.a.checkTotals()).isSameAs(a);
        assertThat(a).isNotSameAs(b);
        assertThat(a.checksSent()).isZero();

        p.hosts(List.of(host(A, 65_535)), List.of(host(B, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 5 * S)).isTrue();
        net.runFor(12 * S); // consent checks

        assertThat(a.checksSent()).isPositive();
        assertThat(a.consentChecksSent()).isPositive();
        assertThat(a.checksAnswered()).isPositive().isLessThanOrEqualTo(
                a.checksSent() + a.retransmissionsSent() + a.consentChecksSent());
        assertThat(b.checksReceived()).isPositive();
        assertThat(a.checksReceived()).isPositive(); // B's checks, triggered and consent
    }
}
