package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Message type packing and the open registries of methods, attributes and algorithms. */
class StunRegistriesTest {

    // RFC 8489 section 5, figure 3: Binding request 0x0001, indication 0x0011, success 0x0101, error 0x0111.
    @Test
    void messageTypeInterleavesClassBitsWithTheMethod() {
        assertThat(StunMessageType.of(0x001, StunClass.REQUEST)).isEqualTo(0x0001);
        assertThat(StunMessageType.of(0x001, StunClass.INDICATION)).isEqualTo(0x0011);
        assertThat(StunMessageType.of(0x001, StunClass.SUCCESS_RESPONSE)).isEqualTo(0x0101);
        assertThat(StunMessageType.of(0x001, StunClass.ERROR_RESPONSE)).isEqualTo(0x0111);
        assertThat(StunMessageType.of(0x003, StunClass.SUCCESS_RESPONSE)).isEqualTo(0x0103); // Allocate
        assertThat(StunMessageType.of(0x007, StunClass.INDICATION)).isEqualTo(0x0017);       // Data indication
        for (int method = 0; method <= 0xFFF; method++) {
            for (StunClass c : StunClass.values()) {
                int type = StunMessageType.of(method, c);
                assertThat(type & 0xC000).isZero();
                assertThat(StunMessageType.method(type)).isEqualTo(method);
                assertThat(StunMessageType.classBits(type)).isEqualTo(c.bits());
            }
        }
    }

    @Test
    void unknownCodesAreValuesNeverExceptions() {
        assertThat(StunMethod.valueOf(0x001)).isSameAs(StunMethod.BINDING);
        assertThat(StunMethod.valueOf(0x009)).isSameAs(StunMethod.CHANNEL_BIND);
        StunMethod unknown = StunMethod.valueOf(0xABC);
        assertThat(unknown.isKnown()).isFalse();
        assertThat(unknown.name()).isEqualTo("Unknown(0xABC)");
        assertThat(unknown).isEqualTo(StunMethod.valueOf(0xABC));
        assertThat(StunMethod.valueOf(0x002).isKnown()).isFalse(); // 0x002 was SharedSecret, retired

        assertThat(StunAttributeType.valueOf(0x0020)).isSameAs(StunAttributeType.XOR_MAPPED_ADDRESS);
        StunAttributeType goog = StunAttributeType.valueOf(0xC057);
        assertThat(goog.isKnown()).isFalse();
        assertThat(goog.isComprehensionRequired()).isFalse();
        assertThat(StunAttributeType.valueOf(0x7FFF).isComprehensionRequired()).isTrue();
        assertThat(PasswordAlgorithm.valueOf(0x0002)).isSameAs(PasswordAlgorithm.SHA_256);
        assertThat(PasswordAlgorithm.valueOf(0x0042).isSupported()).isFalse();
    }

    @Test
    void everyAttributeOfTheThreeRfcsAndRenominationIsRegistered() {
        int[] codes = {0x0001, 0x0006, 0x0008, 0x0009, 0x000A, 0x0014, 0x0015, 0x001C, 0x001D, 0x001E, 0x0020,
            0x8002, 0x8003, 0x8022, 0x8023, 0x8028, // RFC 8489
            0x0024, 0x0025, 0x8029, 0x802A, // RFC 8445
            0xC001, // NOMINATION, draft-thatcher-ice-renomination
            0x000C, 0x000D, 0x0012, 0x0013, 0x0016, 0x0017, 0x0018, 0x0019, 0x001A, 0x0022, 0x8000, 0x8001,
            0x8004}; // RFC 8656
        for (int code : codes) {
            assertThat(StunAttributeType.valueOf(code).isKnown()).as("0x%04X", code).isTrue();
            assertThat(AttributeCodes.isKnown(code)).as("0x%04X", code).isTrue();
        }
        assertThat(codes).hasSize(34);
    }

    @Test
    void outOfRangeCodesAreProgrammingErrorsNamingTheField() {
        assertThatThrownBy(() -> StunMethod.valueOf(0x1000)).hasMessageContaining("method code must be 0..0xFFF");
        assertThatThrownBy(() -> StunAttributeType.valueOf(-1)).hasMessageContaining("attribute type must be");
        assertThatThrownBy(() -> new StunAttribute.ErrorCode(700, "x")).hasMessage("code must be 300..699 but was 700");
    }

    // RFC 7983 section 7 with RFC 8656's ChannelData range.
    @Test
    void firstByteClassifiesEveryRange() {
        assertThat(PacketKind.ofFirstByte(0)).isEqualTo(PacketKind.STUN);
        assertThat(PacketKind.ofFirstByte(3)).isEqualTo(PacketKind.STUN);
        assertThat(PacketKind.ofFirstByte(4)).isEqualTo(PacketKind.OTHER);
        assertThat(PacketKind.ofFirstByte(16)).isEqualTo(PacketKind.ZRTP);
        assertThat(PacketKind.ofFirstByte(22)).isEqualTo(PacketKind.DTLS);
        assertThat(PacketKind.ofFirstByte(63)).isEqualTo(PacketKind.DTLS);
        assertThat(PacketKind.ofFirstByte(0x40)).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketKind.ofFirstByte(79)).isEqualTo(PacketKind.CHANNEL_DATA);
        assertThat(PacketKind.ofFirstByte(80)).isEqualTo(PacketKind.OTHER);
        assertThat(PacketKind.ofFirstByte((byte) 0x80)).isEqualTo(PacketKind.RTP);
        assertThat(PacketKind.ofFirstByte(191)).isEqualTo(PacketKind.RTP);
        assertThat(PacketKind.ofFirstByte(0x6C)).isEqualTo(PacketKind.OTHER); // 'l', the interop probes
    }
}
