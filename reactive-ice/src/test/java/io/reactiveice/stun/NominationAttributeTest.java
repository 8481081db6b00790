package io.reactiveice.stun;

import static io.reactiveice.testing.RfcVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NOMINATION (0xC001) of ICE renomination (draft-thatcher-ice-renomination) as libwebrtc writes it, a
 * 32-bit unsigned number in network order; pion/ice writes the same four bytes for values below 2^24
 * (it keeps the first byte zero and reads only the last three).
 */
class NominationAttributeTest {
    /** A renominating check without its integrity trailers: PRIORITY, USE-CANDIDATE, ICE-CONTROLLING, NOMINATION 3. */
    static final byte[] CHECK = hex(""
            + "0001"                                        // message type: Binding request
            + "0020"                                        // message length: 32 bytes of attributes
            + "2112a442"                                    // magic cookie
            + "b7e7a701 bc34d686 fa87dfae"                  // transaction id
            + "0024"                                        // attribute type: PRIORITY
            + "0004"                                        // attribute length: 4
            + "6e0001ff"                                    // value: 1845494271
            + "0025"                                        // attribute type: USE-CANDIDATE
            + "0000"                                        // attribute length: 0 (a flag)
            + "802a"                                        // attribute type: ICE-CONTROLLING
            + "0008"                                        // attribute length: 8
            + "932ff9b1 51263b36"                           // value: the tie-breaker
            + "c001"                                        // attribute type: NOMINATION
            + "0004"                                        // attribute length: 4
            + "00000003");                                  // value: nomination 3

    private static final TransactionId ID = TransactionId.fromBytes(hex("b7e7a701 bc34d686 fa87dfae"), 0);

    @Test
    void aRenominatingCheckIsReadWithItsNominationValue() {
        StunMessage m = StunMessage.decode(CHECK);
        assertThat(m.attribute(StunAttribute.Nomination.class)).get().extracting(StunAttribute.Nomination::value)
                .isEqualTo(3L);
        assertThat(m.attribute(StunAttribute.UseCandidate.class)).isPresent();
        StunMessageReader r = new StunMessageReader().read(CHECK, 0, CHECK.length);
        assertThat(r.u32(r.indexOf(StunAttributeType.NOMINATION))).isEqualTo(3);
        assertThat(r.hasUnknownComprehensionRequired()).isFalse();
    }

    @Test
    void aRenominatingCheckIsWrittenByteForByte() {
        StunMessage m = new StunMessage(StunClass.REQUEST, StunMethod.BINDING, ID, List.of(
                new StunAttribute.Priority(0x6e0001ff), new StunAttribute.UseCandidate(),
                new StunAttribute.IceControlling(0x932ff9b151263b36L), new StunAttribute.Nomination(3)));
        assertThat(m.toBytes()).isEqualTo(CHECK);
    }

    @Test
    void theTypeIsRegisteredAndComprehensionOptional() {
        assertThat(StunAttributeType.valueOf(0xC001)).isSameAs(StunAttributeType.NOMINATION);
        assertThat(StunAttributeType.NOMINATION.name()).isEqualTo("NOMINATION");
        assertThat(StunAttributeType.NOMINATION.isComprehensionRequired()).isFalse();
    }

    @Test
    void theValueIsUnsignedThirtyTwoBits() {
        byte[] top = CHECK.clone();
        top[48] = (byte) 0xff; // the value's first byte, which pion/ice leaves zero
        top[49] = (byte) 0xff;
        top[50] = (byte) 0xff;
        top[51] = (byte) 0xff;
        assertThat(StunMessage.decode(top).attribute(StunAttribute.Nomination.class)).get()
                .extracting(StunAttribute.Nomination::value).isEqualTo(0xFFFF_FFFFL);
        assertThatThrownBy(() -> new StunAttribute.Nomination(-1)).hasMessage("value must be 0..4294967295 but was -1");
        assertThatThrownBy(() -> new StunAttribute.Nomination(1L << 32)).hasMessageContaining("value must be 0..4294967295");
    }

    @Test
    void aValueOfAnotherLengthIsRejectedNamingTheAttribute() {
        byte[] shortValue = hex(""
                + "0001"                                    // message type: Binding request
                + "0008"                                    // message length: 8
                + "2112a442"                                // magic cookie
                + "b7e7a701 bc34d686 fa87dfae"              // transaction id
                + "c001"                                    // attribute type: NOMINATION
                + "0002"                                    // attribute length: 2, not 4
                + "0003 0000");                             // value and two bytes of padding
        assertThatThrownBy(() -> StunMessage.decode(shortValue)).isInstanceOf(StunDecodeException.class)
                .hasMessageContaining("NOMINATION must be 4 bytes but was 2");
    }
}
