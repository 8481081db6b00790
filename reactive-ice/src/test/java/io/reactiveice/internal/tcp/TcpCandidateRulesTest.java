package io.reactiveice.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.TcpType;
import org.junit.jupiter.api.Test;

/** RFC 6544's priorities (section 4.2) and pairing rules (section 6.2). */
class TcpCandidateRulesTest {
    @Test
    void directionPreferencesFollowSection42() {
        assertThat(TcpPriority.directionPreference(TcpType.ACTIVE, false)).isEqualTo(6);
        assertThat(TcpPriority.directionPreference(TcpType.PASSIVE, false)).isEqualTo(4);
        assertThat(TcpPriority.directionPreference(TcpType.SO, false)).isEqualTo(2);
        assertThat(TcpPriority.directionPreference(TcpType.SO, true)).isEqualTo(6);
        assertThat(TcpPriority.directionPreference(TcpType.ACTIVE, true)).isEqualTo(4);
        assertThat(TcpPriority.directionPreference(TcpType.PASSIVE, true)).isEqualTo(2);
        assertThat(TcpPriority.localPreference(TcpType.ACTIVE, false, 8191)).isEqualTo(6 * 8192 + 8191);
        assertThat(TcpPriority.localPreference(TcpType.PASSIVE, true, 0)).isEqualTo(2 * 8192);
        assertThatThrownBy(() -> TcpPriority.localPreference(TcpType.SO, false, 8192)).hasMessageContaining("0..8191");
    }

    @Test
    void aTcpCandidateRanksBelowTheUdpOneOfItsTypeAndAboveTheNextUdpType() {
        long tcpHost = TcpPriority.of(CandidateType.HOST, TcpType.PASSIVE, 8191, 1);
        assertThat(tcpHost >>> 24).as("type preference, as libwebrtc's TCP host").isEqualTo(90);
        assertThat(tcpHost).isEqualTo(CandidatePriority.of(90, 4 * 8192 + 8191, 1));
        long udpHostWorst = CandidatePriority.of(CandidateType.HOST.typePreference(), 0, 1);
        long udpSrflxBest = CandidatePriority.of(CandidateType.SERVER_REFLEXIVE.typePreference(), 65_535, 1);
        assertThat(tcpHost).isLessThan(udpHostWorst).isLessThan(udpSrflxBest);
        assertThat(TcpPriority.of(CandidateType.HOST, TcpType.ACTIVE, 0, 1))
                .isGreaterThan(TcpPriority.of(CandidateType.HOST, TcpType.PASSIVE, 8191, 1));
        assertThat(TcpPriority.typePreference(CandidateType.RELAYED)).isZero();
    }

    @Test
    void activePairsWithPassiveAndSimultaneousOpenWithItselfOnly() {
        assertThat(TcpPairing.pairs(TcpType.ACTIVE, TcpType.PASSIVE)).isTrue();
        assertThat(TcpPairing.pairs(TcpType.PASSIVE, TcpType.ACTIVE)).isTrue();
        assertThat(TcpPairing.pairs(TcpType.SO, TcpType.SO)).isTrue();
        assertThat(TcpPairing.pairs(TcpType.ACTIVE, TcpType.ACTIVE)).isFalse();
        assertThat(TcpPairing.pairs(TcpType.PASSIVE, TcpType.PASSIVE)).isFalse();
        assertThat(TcpPairing.pairs(TcpType.ACTIVE, TcpType.SO)).isFalse();
        assertThat(TcpPairing.pairs(TcpType.SO, TcpType.PASSIVE)).isFalse();
        assertThat(TcpPairing.opens(TcpType.ACTIVE)).isTrue();
        assertThat(TcpPairing.opens(TcpType.PASSIVE)).isFalse();
    }
}
