package io.reactiveice.internal.agent;

import static io.reactiveice.internal.agent.AgentPair.addr;
import static io.reactiveice.internal.agent.AgentPair.host;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.IpLiteral;
import io.reactiveice.candidate.TransportProtocol;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.TransactionId;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 8445 section 5.1.1: candidates are unicast transport addresses. Whoever controls signalling,
 * or forges a check's source, must not aim our checks or answers at port 0, an unspecified, a
 * broadcast or a multicast address: the core never produces a {@link Transmit} toward one.
 */
class NonUnicastPeerTest {
    private static final long S = 1_000_000_000L;
    private static final InetSocketAddress A1 = addr("127.0.0.1", 10_001);
    private static final InetSocketAddress A6 = addr("::1", 10_006);
    private static final InetSocketAddress B1 = addr("127.0.0.3", 20_001);
    /** Every form the filter refuses, written as signalling would carry it. */
    private static final List<String[]> NOT_UNICAST = List.of(
            new String[] {"224.0.0.251", "5353"}, new String[] {"239.255.255.250", "1900"},
            new String[] {"255.255.255.255", "9"}, new String[] {"0.0.0.0", "9"}, new String[] {"0.1.2.3", "9"},
            new String[] {"240.0.0.1", "9"}, new String[] {"192.0.2.1", "0"}, new String[] {"127.0.0.9", "0"},
            new String[] {"::ffff:224.0.0.251", "5353"}, new String[] {"::ffff:255.255.255.255", "9"},
            new String[] {"::ffff:0.0.0.0", "9"}, new String[] {"ff02::fb", "5353"}, new String[] {"ff0e::1", "9"},
            new String[] {"::", "9"}, new String[] {"::1", "0"},
            new String[] {"::224.0.0.251", "5353"}, new String[] {"::255.255.255.255", "9"},
            new String[] {"64:ff9b::224.0.0.251", "5353"}, new String[] {"64:ff9b::255.255.255.255", "9"},
            new String[] {"2002:e000:fb::1", "5353"}, new String[] {"2002:ffff:ffff::1", "9"});

    private static AgentPair agents(SimNetwork net) {
        return new AgentPair(net, CoreConfig.defaults(IceRole.CONTROLLING, 0x1111L),
                CoreConfig.defaults(IceRole.CONTROLLED, 0x2222L), 42);
    }

    private static IceCandidate remote(int i, String address, int port) {
        return new IceCandidate("x" + i, 1, TransportProtocol.UDP, 2_130_706_431L - i, address, port,
                CandidateType.HOST, null, -1, null, List.of());
    }

    @Test
    void noCheckIsEverSentToARemoteCandidateThatIsNotAUnicastPeer() {
        SimNetwork net = new SimNetwork(21);
        AgentPair p = agents(net);
        net.attach(p.a, A6);
        p.a.addLocalCandidate(0, host(A6, 65_000)); // so that the IPv6 candidates would pair too
        for (int i = 0; i < NOT_UNICAST.size(); i++) {
            p.a.addRemoteCandidate(0, remote(i, NOT_UNICAST.get(i)[0], Integer.parseInt(NOT_UNICAST.get(i)[1])));
        }
        p.hosts(List.of(host(A1, 65_535)), List.of(host(B1, 65_535)));
        assertThat(net.runUntil(p::bothConnected, 10 * S)).isTrue();
        net.runFor(40 * S); // consent checks and backups, too

        assertThat(net.sent).isNotEmpty().allSatisfy(t -> assertThat(UnicastAddress.isUnicast(t.to()))
                .as("a datagram to %s", t.to()).isTrue());
        assertThat(net.sent).allSatisfy(t -> assertThat(t.to()).isIn(A1, B1));
        assertThat(p.a.describeChecklist()).hasSize(1);
        assertThat(p.a.status().refusedNonUnicast()).isEqualTo(NOT_UNICAST.size());
    }

    // RFC 8445 section 7.3.1.3: a check whose source is not a unicast peer (a forged source) is not
    // answered and teaches no peer-reflexive candidate, so it triggers no check either.
    @Test
    void anAuthenticCheckFromASourceThatIsNotAUnicastPeerIsNeitherAnsweredNorLearnedFrom() {
        SimNetwork net = new SimNetwork(22);
        AgentPair p = agents(net);
        p.b.addLocalCandidate(0, host(B1, 65_535));
        p.b.setRemoteCredentials(0, p.a.credentials());
        InetSocketAddress b6 = addr("::1", 20_006);
        p.b.addLocalCandidate(0, host(b6, 65_000));
        int sent = 0;
        for (String[] form : NOT_UNICAST) {
            InetSocketAddress source = new InetSocketAddress(IpLiteral.parse(form[0]),
                    Integer.parseInt(form[1]));
            byte[] check = CheckMessages.request(null, new TransactionId(7, sent), p.b.credentials().ufrag() + ":" + p.a.credentials().ufrag(),
                    1_845_501_695L, IceRole.CONTROLLING, 5, true, 0, IntegrityKey.shortTerm(p.b.credentials().pwd()));
            InetSocketAddress base = source.getAddress() instanceof Inet6Address ? b6 : B1;
            assertThat(p.b.handleInput(net.now(), new Datagram(base, source, ByteBuffer.wrap(check), 0, check.length))).isTrue();
            sent++;
        }
        p.b.handleTimeout(S);
        p.b.handleTimeout(10 * S);
        assertThat(p.b.pollTransmit()).isNull();
        p.drain();
        assertThat(p.eventsB).noneMatch(e -> e instanceof IceEvent.RemoteCandidateDiscovered);
        assertThat(p.b.describeChecklist()).isEmpty();
        assertThat(p.b.status().refusedNonUnicast()).isEqualTo(sent);

        // the same check from a unicast source is answered and learned from: the filter is what refused them
        byte[] check = CheckMessages.request(null, new TransactionId(8, 0), p.b.credentials().ufrag() + ":" + p.a.credentials().ufrag(),
                1_845_501_695L, IceRole.CONTROLLING, 5, true, 0, IntegrityKey.shortTerm(p.b.credentials().pwd()));
        p.b.handleInput(10 * S, new Datagram(B1, A1, ByteBuffer.wrap(check), 0, check.length));
        assertThat(p.b.pollTransmit().to()).isEqualTo(A1);
        p.drain();
        assertThat(p.eventsB).anyMatch(e -> e instanceof IceEvent.RemoteCandidateDiscovered);
    }

    @Test
    void aUnicastIpv4MappedCandidateIsStillUsed() throws Exception {
        assertThat(InetAddress.getByName("::ffff:127.0.0.3")).isEqualTo(B1.getAddress());
        SimNetwork net = new SimNetwork(23);
        AgentPair p = agents(net);
        net.attach(p.a, A1);
        net.attach(p.b, B1);
        p.a.setRemoteCredentials(0, p.b.credentials());
        p.b.setRemoteCredentials(0, p.a.credentials());
        p.a.addLocalCandidate(0, host(A1, 65_535));
        p.b.addLocalCandidate(0, host(B1, 65_535));
        p.a.addRemoteCandidate(0, remote(0, "::ffff:127.0.0.3", B1.getPort()));
        assertThat(net.runUntil(p::bothConnected, 10 * S)).isTrue();
        assertThat(p.a.status().refusedNonUnicast()).isZero();
    }
}
