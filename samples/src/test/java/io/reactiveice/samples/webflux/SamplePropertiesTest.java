package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactiveice.RecoveryPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample's settings that cannot go together are refused when the service starts, naming the properties. */
class SamplePropertiesTest {
    private static final List<String> ONE_ADDRESS = List.of("192.0.2.10");

    @Test
    void recoveryIsRenominateUnlessSetAndFiltersAreEmpty() {
        SampleProperties p = new SampleProperties(null, null, null, null, null, null, null);
        assertThat(p.recovery()).isEqualTo(RecoveryPolicy.RENOMINATE);
        assertThat(p.interfaces()).isEmpty();
        assertThat(p.addressPrefixes()).isEmpty();
        assertThat(p.sharedTcpPort()).isNull();
    }

    @Test
    void restartingAgentsWatchFilteredInterfaces() {
        SampleProperties p = new SampleProperties(null, null, null, null, List.of("eth0"), List.of("192.0.2.0/24"),
                RecoveryPolicy.RESTART);
        assertThat(p.recovery()).isEqualTo(RecoveryPolicy.RESTART);
    }

    @Test
    void restartIsRefusedWithFixedHostAddresses() {
        assertThatThrownBy(() -> new SampleProperties(ONE_ADDRESS, null, null, null, null, null,
                RecoveryPolicy.RESTART)).hasMessageContaining("reactive-ice.sample.recovery=restart")
                .hasMessageContaining("reactive-ice.sample.host-addresses");
    }

    @Test
    void filtersAreRefusedWithFixedHostAddresses() {
        assertThatThrownBy(() -> new SampleProperties(ONE_ADDRESS, null, null, null, List.of("eth0"), null, null))
                .hasMessageContaining("reactive-ice.sample.interfaces");
        assertThatThrownBy(() -> new SampleProperties(ONE_ADDRESS, null, null, null, null, List.of("192.0.2.0/24"),
                null)).hasMessageContaining("reactive-ice.sample.address-prefixes");
    }

    @Test
    void aSharedTcpPortGoesBesideTheSharedUdpPortOrAlone() {
        SampleProperties both = new SampleProperties(ONE_ADDRESS, 3478, 3479, "198.51.100.7", null, null, null);
        assertThat(both.sharedPort()).isEqualTo(3478);
        assertThat(both.sharedTcpPort()).isEqualTo(3479);
        assertThat(new SampleProperties(ONE_ADDRESS, null, 443, null, null, null, null).sharedTcpPort()).isEqualTo(443);
        assertThat(new SampleProperties(ONE_ADDRESS, 0, 0, null, null, null, null).sharedTcpPort())
                .as("any free port for both: the service binds them apart").isZero();
        assertThat(new SampleProperties(ONE_ADDRESS, 3478, 65_535, null, null, null, null).sharedTcpPort())
                .isEqualTo(65_535);
    }

    @Test
    void aSharedTcpPortOutOfRangeIsRefusedNamingIt() {
        for (int port : new int[] {-1, 65_536}) {
            assertThatThrownBy(() -> new SampleProperties(ONE_ADDRESS, null, port, null, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reactive-ice.sample.shared-tcp-port must be 0..65535 but was " + port);
        }
        assertThatThrownBy(() -> new SampleProperties(ONE_ADDRESS, 70_000, null, null, null, null, null))
                .hasMessage("reactive-ice.sample.shared-port must be 0..65535 but was 70000");
    }

    @Test
    void aSharedTcpPortNeedsExactlyOneHostAddress() {
        assertThatThrownBy(() -> new SampleProperties(null, null, 3479, null, null, null, null))
                .hasMessageContaining("reactive-ice.sample.shared-tcp-port needs exactly one")
                .hasMessageContaining("reactive-ice.sample.host-addresses").hasMessageContaining("there are 0");
        assertThatThrownBy(() -> new SampleProperties(List.of("192.0.2.10", "192.0.2.11"), null, 3479, null, null,
                null, null)).hasMessageContaining("reactive-ice.sample.shared-tcp-port").hasMessageContaining("there are 2");
    }

    @Test
    void theSameNumberForTheUdpAndTheTcpSharedPortIsRefused() {
        assertThatThrownBy(() -> new SampleProperties(ONE_ADDRESS, 3478, 3478, null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reactive-ice.sample.shared-tcp-port must differ from reactive-ice.sample.shared-port")
                .hasMessageContaining("3478 on 192.0.2.10")
                .hasMessageContaining("the agent does not support a UDP and a TCP shared port on the same address and port");
    }
}
