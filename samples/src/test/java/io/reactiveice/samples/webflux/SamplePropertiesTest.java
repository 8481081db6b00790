package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.RecoveryPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample's settings that cannot go together are refused when the service starts, naming the properties. */
class SamplePropertiesTest {
    @Test
    void recoveryIsRenominateUnlessSetAndFiltersAreEmpty() {
        SampleProperties p = new SampleProperties(null, null, null, null, null, null);
        assertThat(p.recovery()).isEqualTo(RecoveryPolicy.RENOMINATE);
        assertThat(p.interfaces()).isEmpty();
        assertThat(p.addressPrefixes()).isEmpty();
    }

    @Test
    void restartingAgentsWatchFilteredInterfaces() {
        SampleProperties p = new SampleProperties(null, null, null, List.of("eth0"), List.of("192.0.2.0/24"),
                RecoveryPolicy.RESTART);
        assertThat(p.recovery()).isEqualTo(RecoveryPolicy.RESTART);
    }

    @Test
    void restartIsRefusedWithFixedHostAddresses() {
        assertThatThrownBy(() -> new SampleProperties(List.of("192.0.2.10"), null, null, null, null,
                RecoveryPolicy.RESTART)).hasMessageContaining("reactive-ice.sample.recovery=restart")
                .hasMessageContaining("reactive-ice.sample.host-addresses");
    }

    @Test
    void filtersAreRefusedWithFixedHostAddresses() {
        assertThatThrownBy(() -> new SampleProperties(List.of("192.0.2.10"), null, null, List.of("eth0"), null, null))
                .hasMessageContaining("reactive-ice.sample.interfaces");
        assertThatThrownBy(() -> new SampleProperties(List.of("192.0.2.10"), null, null, null, List.of("192.0.2.0/24"),
                null)).hasMessageContaining("reactive-ice.sample.address-prefixes");
    }
}
