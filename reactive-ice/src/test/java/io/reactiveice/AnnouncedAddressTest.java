package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.candidate.AnnouncedAddress;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TcpType;
import io.reactiveice.candidate.TransportProtocol;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Announced addresses (issue 14): what a session bound to loopback signals for its socket when an
 * address is announced for it, as the host candidate or beside it, and the configuration's errors.
 * Nothing is sent to the announced addresses here (no peer); the one-to-one NAT itself is
 * samples' {@code AnnouncedAddressIT}, in network namespaces.
 */
class AnnouncedAddressTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress PUBLIC = ip("203.0.113.7");

    @Test
    void announcedAsHostTheCandidateCarriesThePublicAddressWithTheSocketsPort() {
        IceSession s = IceAgent.create().hostAddresses(List.of(LOOPBACK))
                .announcedAddresses(List.of(AnnouncedAddress.host(LOOPBACK, PUBLIC))).start().block(TIMEOUT);
        try {
            List<IceCandidate> candidates = s.localCandidates().collectList().block(TIMEOUT);
            assertThat(candidates).hasSize(1);
            IceCandidate c = candidates.get(0);
            assertThat(c.type()).isEqualTo(CandidateType.HOST);
            assertThat(c.address()).isEqualTo("203.0.113.7");
            assertThat(c.port()).isPositive();
        } finally {
            s.dispose();
        }
    }

    @Test
    void announcedAsServerReflexiveTheHostCandidateStaysAndTheReflexiveOneIsRelatedToIt() {
        IceSession s = IceAgent.create().hostAddresses(List.of(LOOPBACK))
                .announcedAddresses(List.of(AnnouncedAddress.serverReflexive(LOOPBACK, PUBLIC))).start().block(TIMEOUT);
        try {
            List<IceCandidate> candidates = s.localCandidates().collectList().block(TIMEOUT);
            assertThat(candidates).extracting(IceCandidate::type)
                    .containsExactly(CandidateType.HOST, CandidateType.SERVER_REFLEXIVE);
            IceCandidate host = candidates.get(0);
            IceCandidate srflx = candidates.get(1);
            assertThat(host.address()).isEqualTo("127.0.0.1");
            assertThat(srflx.address()).isEqualTo("203.0.113.7");
            assertThat(srflx.port()).isEqualTo(host.port());
            assertThat(srflx.relatedAddress()).isEqualTo("127.0.0.1");
            assertThat(srflx.relatedPort()).isEqualTo(host.port());
            assertThat(srflx.priority()).isLessThan(host.priority());
            assertThat(srflx.foundation()).isNotEqualTo(host.foundation());
        } finally {
            s.dispose();
        }
    }

    @Test
    void announcedAsHostTheTcpCandidatesCarryThePublicAddressToo() {
        IceSession s = IceAgent.create().hostAddresses(List.of(LOOPBACK)).tcpCandidates(true)
                .announcedAddresses(List.of(AnnouncedAddress.host(LOOPBACK, PUBLIC))).start().block(TIMEOUT);
        try {
            List<IceCandidate> candidates = s.localCandidates().collectList().block(TIMEOUT);
            assertThat(candidates).extracting(IceCandidate::transport)
                    .containsExactlyInAnyOrder(TransportProtocol.UDP, TransportProtocol.TCP, TransportProtocol.TCP);
            assertThat(candidates).extracting(IceCandidate::tcpType).containsOnlyOnce(TcpType.PASSIVE, TcpType.ACTIVE);
            assertThat(candidates).allSatisfy(c -> {
                assertThat(c.type()).isEqualTo(CandidateType.HOST);
                assertThat(c.address()).isEqualTo("203.0.113.7");
                assertThat(c.relatedPort()).as("a host candidate has no rport").isEqualTo(-1);
            });
        } finally {
            s.dispose();
        }
    }

    @Test
    void announcedAsServerReflexiveEachTcpHostCandidateGetsAReflexiveOneRelatedToIt() {
        IceSession s = IceAgent.create().hostAddresses(List.of(LOOPBACK)).tcpCandidates(true).udpCandidates(false)
                .announcedAddresses(List.of(AnnouncedAddress.serverReflexive(LOOPBACK, PUBLIC))).start().block(TIMEOUT);
        try {
            List<IceCandidate> candidates = s.localCandidates().collectList().block(TIMEOUT);
            assertThat(candidates).hasSize(4).allMatch(c -> c.transport() == TransportProtocol.TCP);
            for (TcpType type : List.of(TcpType.PASSIVE, TcpType.ACTIVE)) {
                List<IceCandidate> ofType = candidates.stream().filter(c -> c.tcpType() == type).toList();
                assertThat(ofType).extracting(IceCandidate::type)
                        .containsExactly(CandidateType.HOST, CandidateType.SERVER_REFLEXIVE);
                IceCandidate host = ofType.get(0);
                IceCandidate srflx = ofType.get(1);
                assertThat(host.address()).isEqualTo("127.0.0.1");
                assertThat(srflx.address()).isEqualTo("203.0.113.7");
                assertThat(srflx.relatedAddress()).isEqualTo("127.0.0.1");
                assertThat(srflx.relatedPort()).isEqualTo(host.port());
                assertThat(srflx.priority()).isLessThan(host.priority());
                assertThat(srflx.foundation()).isNotEqualTo(host.foundation());
            }
        } finally {
            s.dispose();
        }
    }

    @Test
    void anAddressWithoutAnAnnouncementIsSignalledAsItIs() {
        IceSession s = IceAgent.create().hostAddresses(List.of(LOOPBACK))
                .announcedAddresses(List.of(AnnouncedAddress.host(ip("127.0.0.2"), PUBLIC))).start().block(TIMEOUT);
        try {
            assertThat(s.localCandidates().collectList().block(TIMEOUT)).extracting(IceCandidate::address)
                    .containsExactly("127.0.0.1");
        } finally {
            s.dispose();
        }
    }

    @Test
    void twoAnnouncementsForOneAddressOrOfTwoFamiliesFailFastNamingTheField() {
        assertThatThrownBy(() -> IceAgent.create().announcedAddresses(List.of(AnnouncedAddress.host(LOOPBACK, PUBLIC),
                AnnouncedAddress.serverReflexive(LOOPBACK, ip("203.0.113.8")))))
                .isInstanceOfSatisfying(IceConfigException.class, e -> assertThat(e.field()).isEqualTo("announcedAddresses"))
                .hasMessageContaining("127.0.0.1").hasMessageContaining("203.0.113.7").hasMessageContaining("203.0.113.8");
        assertThatThrownBy(() -> AnnouncedAddress.host(LOOPBACK, ip("2001:db8::7")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family");
        assertThatThrownBy(() -> AnnouncedAddress.host(LOOPBACK, ip("0.0.0.0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a unicast address");
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
