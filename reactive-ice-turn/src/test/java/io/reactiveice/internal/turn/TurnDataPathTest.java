package io.reactiveice.internal.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The data path from byte vectors, one comment per field. */
class TurnDataPathTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 45_000);
    private static final ChannelTable BOUND = new ChannelTable(Map.of(PEER, 0x4000), Map.of(0x4000, PEER), Set.of(PEER));

    private static byte[] hex(String... lines) {
        return HexFormat.of().parseHex(String.join("", lines).replace(" ", ""));
    }

    // RFC 8656 section 11.6
    @Test
    void aDataIndicationGivesThePeerAndWhereTheDataLies() {
        byte[] bytes = hex(
                "0017 0014",          // Data indication, length 20
                "2112a442",           // magic cookie
                "000102030405060708090a0b", // transaction id
                "0012 0008",          // XOR-PEER-ADDRESS, 8 bytes
                "00 01 8eda",         // IPv4, port 45000 ^ 0x2112
                "5e12a443",           // 127.0.0.1 ^ 0x2112a442
                "0013 0003",          // DATA, 3 bytes
                "686579 00");         // "hey" and one byte of padding
        StunMessageReader reader = new StunMessageReader().read(bytes, 0, bytes.length);
        TurnDataPath.Payload p = TurnDataPath.dataIndication(reader);
        assertThat(p).isEqualTo(new TurnDataPath.Payload(PEER, 36, 3));
        assertThat(new String(bytes, p.offset(), p.length(), StandardCharsets.US_ASCII)).isEqualTo("hey");
    }

    @Test
    void aDataIndicationWithoutDataIsNotAPayload() {
        byte[] bytes = hex("0017 000c", "2112a442", "000102030405060708090a0b",
                "0012 0008", "00 01 8eda", "5e12a443"); // XOR-PEER-ADDRESS only
        assertThat(TurnDataPath.dataIndication(new StunMessageReader().read(bytes, 0, bytes.length))).isNull();
    }

    // RFC 8656 section 12.4
    @Test
    void channelDataOnABoundChannelGivesItsPeer() {
        byte[] bytes = hex(
                "4000",        // channel 0x4000
                "0005",        // length 5
                "68656c6c6f"); // "hello", unpadded over UDP
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(TurnDataPath.isChannelData(b, 0, bytes.length)).isTrue();
        assertThat(TurnDataPath.channelData(b, 0, bytes.length, BOUND)).isEqualTo(new TurnDataPath.Payload(PEER, 4, 5));
        assertThat(TurnDataPath.channelData(b, 0, bytes.length, ChannelTable.EMPTY)).isNull(); // not bound
    }

    @Test
    void truncatedChannelDataIsRejectedAtEveryLength() {
        byte[] bytes = hex("4000 0005 68656c6c6f");
        for (int n = 0; n < bytes.length; n++) {
            assertThat(TurnDataPath.channelData(ByteBuffer.wrap(bytes), 0, n, BOUND)).as("length " + n).isNull();
        }
    }

    // RFC 8656 section 11.1
    @Test
    void aSendIndicationRoundTrips() {
        ByteBuffer out = ByteBuffer.allocate(100);
        byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
        int n = TurnDataPath.writeSend(new StunMessageWriter(), out, new TransactionId(1, 2), PEER, data, 0, data.length);
        assertThat(n).isLessThanOrEqualTo(data.length + TurnDataPath.SEND_OVERHEAD);
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        StunMessage m = StunMessage.decode(bytes);
        assertThat(m.method()).isEqualTo(StunMethod.SEND);
        assertThat(m.attribute(StunAttribute.XorPeerAddress.class)).contains(new StunAttribute.XorPeerAddress(PEER));
        assertThat(m.attribute(StunAttribute.Data.class).orElseThrow().value().toByteArray()).isEqualTo(data);
    }

    // RFC 8656 section 11.1: DONT-FRAGMENT in a Send indication when the allocation has it
    @Test
    void aSendIndicationCarriesDontFragmentWhenAsked() {
        ByteBuffer out = ByteBuffer.allocate(100);
        byte[] data = "payload".getBytes(StandardCharsets.US_ASCII);
        int n = TurnDataPath.writeSend(new StunMessageWriter(), out, new TransactionId(1, 2), PEER, data, 0,
                data.length, true);
        assertThat(n).isLessThanOrEqualTo(data.length + TurnDataPath.SEND_OVERHEAD + 4);
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        StunMessage m = StunMessage.decode(bytes);
        assertThat(m.attribute(StunAttribute.DontFragment.class)).isPresent();
        assertThat(m.attribute(StunAttribute.Data.class).orElseThrow().value().toByteArray()).isEqualTo(data);
    }
}
