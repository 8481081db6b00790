package io.reactiveice.internal.gather;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The mDNS messages of mDNS ICE candidates, byte for byte and against malformed input. */
class MdnsMessagesTest {
    private static final String NAME = "1f4712db-ea17-4bcf-a596-105139dfd8bf.local";

    @Test
    void aQueryAsksOneQuestionForTheNameWithTheUnicastResponseBit() {
        byte[] q = MdnsMessages.query(0x1234, NAME, MdnsMessages.TYPE_A);
        ByteBuffer b = ByteBuffer.wrap(q);
        assertThat(b.getShort() & 0xFFFF).isEqualTo(0x1234);
        assertThat(b.getShort()).isZero(); // a standard query
        assertThat(b.getShort()).isEqualTo((short) 1);
        assertThat(q[12]).isEqualTo((byte) 36); // the uuid label
        assertThat(new String(q, 13, 36, StandardCharsets.US_ASCII)).isEqualTo(NAME.substring(0, 36));
        assertThat(q[49]).isEqualTo((byte) 5);
        assertThat(q[q.length - 5]).isZero(); // end of name
        assertThat(ByteBuffer.wrap(q, q.length - 4, 4).getShort()).isEqualTo((short) 1); // A
        assertThat(ByteBuffer.wrap(q, q.length - 2, 2).getShort() & 0xFFFF).isEqualTo(0x8001); // QU, IN
        assertThat(MdnsMessages.question(q, q.length)).isEqualTo(new MdnsMessages.Question(0x1234, NAME, 1));
    }

    @Test
    void anAnswerGivesTheAddressOfTheNameAskedForOnly() throws Exception {
        InetAddress ip = InetAddress.getByName("192.168.1.7");
        byte[] a = MdnsMessages.answer(7, NAME, ip, 120);
        assertThat(MdnsMessages.addresses(a, a.length, NAME.toUpperCase(Locale.ROOT))).containsExactly(ip);
        assertThat(MdnsMessages.addresses(a, a.length, "other.local")).isEmpty();
        assertThat(MdnsMessages.question(a, a.length)).as("a response is no question").isNull();
        byte[] v6 = MdnsMessages.answer(0, NAME, InetAddress.getByName("fe80::1"), 120);
        assertThat(MdnsMessages.addresses(v6, v6.length, NAME)).containsExactly(InetAddress.getByName("fe80::1"));
    }

    // RFC 1035 section 4.1.4: the answer's owner name as a pointer to the question's name
    @Test
    void compressedNamesAreFollowedAndLoopsEndEmpty() throws Exception {
        byte[] q = MdnsMessages.query(1, NAME, MdnsMessages.TYPE_A);
        ByteBuffer r = ByteBuffer.allocate(q.length + 16);
        r.put(q);
        r.put(2, (byte) 0x84).put(3, (byte) 0x00); // a response
        r.putShort(6, (short) 1); // one answer
        r.put((byte) 0xC0).put((byte) 12); // pointer to the question's name
        r.putShort((short) 1).putShort((short) 1).putInt(120).putShort((short) 4).put(new byte[] {10, 0, 0, 9});
        byte[] response = r.array();
        assertThat(MdnsMessages.addresses(response, response.length, NAME))
                .containsExactly(InetAddress.getByName("10.0.0.9"));

        byte[] loop = response.clone();
        loop[q.length] = (byte) 0xC0;
        loop[q.length + 1] = (byte) q.length; // points at itself
        assertThat(MdnsMessages.addresses(loop, loop.length, NAME)).isEmpty();
    }

    @Test
    void everyTruncationIsEmptyOrPartialButNeverAnException() throws Exception {
        byte[] a = MdnsMessages.answer(7, NAME, InetAddress.getByName("192.168.1.7"), 120);
        for (int n = 0; n < a.length; n++) {
            assertThat(MdnsMessages.addresses(Arrays.copyOf(a, n), n, NAME)).as("length " + n).isEmpty();
            assertThat(MdnsMessages.question(Arrays.copyOf(a, n), n)).isNull();
        }
    }

    @Test
    void onlyDotLocalNamesAreMdnsNames() {
        assertThat(MdnsMessages.isMdnsName(NAME)).isTrue();
        assertThat(MdnsMessages.isMdnsName("x.LOCAL")).isTrue();
        assertThat(MdnsMessages.isMdnsName(".local")).isFalse();
        assertThat(MdnsMessages.isMdnsName("192.168.1.7")).isFalse();
        assertThat(MdnsMessages.isMdnsName("example.org")).isFalse();
        assertThat(MdnsMessages.isMdnsName(null)).isFalse();
    }
}
