package io.reactiveice.stun;

import static io.reactiveice.testing.RfcVectors.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The RFC 5769 test vectors and RFC 8489 appendix B.1, read and written byte for byte.
 * RFC 5769's samples pad with 0x20, so the writer is told to pad the same way when reproducing them.
 */
class StunRfcVectorsTest {
    private final StunMessageReader reader = new StunMessageReader();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final IntegrityKey shortTermKey = IntegrityKey.shortTerm(RFC5769_PASSWORD);

    // RFC 5769 section 2.1
    @Test
    void sampleRequestIsReadWithEveryAttributeAndBothChecks() {
        assertThat(reader.tryRead(RFC5769_REQUEST, 0, RFC5769_REQUEST.length)).isTrue();
        assertThat(reader.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(reader.method()).isEqualTo(StunMethod.BINDING);
        assertThat(reader.transactionId()).isEqualTo(TransactionId.fromBytes(RFC5769_TRANSACTION_ID, 0));
        assertThat(reader.string(reader.indexOf(StunAttributeType.SOFTWARE))).isEqualTo(RFC5769_REQUEST_SOFTWARE);
        assertThat(reader.priority()).isEqualTo(RFC5769_REQUEST_PRIORITY);
        assertThat(reader.u64(reader.indexOf(StunAttributeType.ICE_CONTROLLED)))
                .isEqualTo(RFC5769_REQUEST_ICE_CONTROLLED_TIE_BREAKER);
        assertThat(reader.string(reader.indexOf(StunAttributeType.USERNAME))).isEqualTo(RFC5769_REQUEST_USERNAME);
        assertThat(reader.fingerprintMatches()).isTrue();
        assertThat(reader.integrityMatches(shortTermKey)).isTrue();
        assertThat(reader.integrityMatches(IntegrityKey.shortTerm("VOkJxbRl1RmTxUk/WvJxBT"))).isFalse();
        assertThat(reader.hasUnknownComprehensionRequired()).isFalse();
    }

    @Test
    void sampleRequestIsWrittenByteForByte() {
        ByteBuffer out = ByteBuffer.allocate(200);
        writer.padding(0x20).begin(out, StunMethod.BINDING, StunClass.REQUEST, TransactionId.fromBytes(RFC5769_TRANSACTION_ID, 0))
                .putString(StunAttributeType.SOFTWARE.code(), RFC5769_REQUEST_SOFTWARE)
                .putU32(StunAttributeType.PRIORITY.code(), RFC5769_REQUEST_PRIORITY)
                .putU64(StunAttributeType.ICE_CONTROLLED.code(), RFC5769_REQUEST_ICE_CONTROLLED_TIE_BREAKER)
                .putString(StunAttributeType.USERNAME.code(), RFC5769_REQUEST_USERNAME)
                .putMessageIntegrity(shortTermKey)
                .putFingerprint();
        int length = writer.finish();
        assertThat(Arrays.copyOf(out.array(), length)).isEqualTo(RFC5769_REQUEST);
        assertThat(out.position()).isEqualTo(108);
    }

    // RFC 5769 sections 2.2 and 2.3
    @Test
    void sampleResponsesAreReadWithTheirMappedAddresses() throws Exception {
        for (byte[] vector : new byte[][] {RFC5769_IPV4_RESPONSE, RFC5769_IPV6_RESPONSE}) {
            reader.read(vector, 0, vector.length);
            assertThat(reader.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            assertThat(reader.fingerprintMatches()).isTrue();
            assertThat(reader.integrityMatches(shortTermKey)).isTrue();
            assertThat(reader.string(reader.indexOf(StunAttributeType.SOFTWARE))).isEqualTo(RFC5769_RESPONSE_SOFTWARE);
        }
        reader.read(RFC5769_IPV4_RESPONSE, 0, RFC5769_IPV4_RESPONSE.length);
        assertThat(reader.xorAddress(reader.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS)))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName(RFC5769_RESPONSE_MAPPED_IPV4), RFC5769_RESPONSE_MAPPED_PORT));
        reader.read(RFC5769_IPV6_RESPONSE, 0, RFC5769_IPV6_RESPONSE.length);
        assertThat(reader.xorAddress(reader.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS)))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName(RFC5769_RESPONSE_MAPPED_IPV6), RFC5769_RESPONSE_MAPPED_PORT));
    }

    @Test
    void sampleResponsesAreWrittenByteForByte() throws Exception {
        assertThat(response(RFC5769_RESPONSE_MAPPED_IPV4)).isEqualTo(RFC5769_IPV4_RESPONSE);
        assertThat(response(RFC5769_RESPONSE_MAPPED_IPV6)).isEqualTo(RFC5769_IPV6_RESPONSE);
    }

    private byte[] response(String mapped) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(200);
        writer.padding(0x20).begin(out, StunMethod.BINDING, StunClass.SUCCESS_RESPONSE,
                        TransactionId.fromBytes(RFC5769_TRANSACTION_ID, 0))
                .putString(StunAttributeType.SOFTWARE.code(), RFC5769_RESPONSE_SOFTWARE)
                .putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(),
                        new InetSocketAddress(InetAddress.getByName(mapped), RFC5769_RESPONSE_MAPPED_PORT))
                .putMessageIntegrity(shortTermKey)
                .putFingerprint();
        return Arrays.copyOf(out.array(), writer.finish());
    }

    // RFC 5769 section 2.4: the key was derived with SASLprep (RFC 5389), which maps the password to "TheMatrIX".
    @Test
    void longTermRequestVerifiesWithTheSaslPreparedKeyAndIsWrittenByteForByte() {
        IntegrityKey key = IntegrityKey.longTerm(RFC5769_LONG_TERM_USERNAME, RFC5769_LONG_TERM_REALM,
                RFC5769_LONG_TERM_PASSWORD, PasswordAlgorithm.MD5, PasswordPreparation.SASLPREP);
        reader.read(RFC5769_LONG_TERM_REQUEST, 0, RFC5769_LONG_TERM_REQUEST.length);
        assertThat(reader.string(reader.indexOf(StunAttributeType.USERNAME))).isEqualTo(RFC5769_LONG_TERM_USERNAME);
        assertThat(reader.string(reader.indexOf(StunAttributeType.NONCE))).isEqualTo(RFC5769_LONG_TERM_NONCE);
        assertThat(reader.string(reader.indexOf(StunAttributeType.REALM))).isEqualTo(RFC5769_LONG_TERM_REALM);
        assertThat(reader.hasFingerprint()).isFalse();
        assertThat(reader.integrityMatches(key)).isTrue();
        assertThat(PasswordPreparation.SASLPREP.prepare("password", RFC5769_LONG_TERM_PASSWORD))
                .isEqualTo(RFC5769_LONG_TERM_PASSWORD_SASLPREP);

        ByteBuffer out = ByteBuffer.allocate(200);
        writer.padding(0).begin(out, StunMethod.BINDING, StunClass.REQUEST,
                        TransactionId.fromBytes(RFC5769_LONG_TERM_TRANSACTION_ID, 0))
                .putString(StunAttributeType.USERNAME.code(), RFC5769_LONG_TERM_USERNAME)
                .putString(StunAttributeType.NONCE.code(), RFC5769_LONG_TERM_NONCE)
                .putString(StunAttributeType.REALM.code(), RFC5769_LONG_TERM_REALM)
                .putMessageIntegrity(key);
        assertThat(Arrays.copyOf(out.array(), writer.finish())).isEqualTo(RFC5769_LONG_TERM_REQUEST);
    }

    @Test
    void opaqueStringRefusesTheSoftHyphenOfTheVectorPasswordNamingTheFieldButNotTheCharacter() {
        assertThatThrownBy(() -> IntegrityKey.longTerm(RFC5769_LONG_TERM_USERNAME, RFC5769_LONG_TERM_REALM,
                RFC5769_LONG_TERM_PASSWORD, PasswordAlgorithm.MD5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password").hasMessageNotContaining("00AD").hasMessageNotContaining("\u00AD");
    }

    // RFC 8489 appendix B.1 as corrected by erratum 6268 (the published bytes have a wrong length).
    @Test
    void sha256RequestWithUserHashVerifiesAndIsWrittenByteForByte() {
        IntegrityKey key = IntegrityKey.longTerm(RFC8489_USERNAME, RFC8489_REALM, RFC8489_PASSWORD,
                PasswordAlgorithm.SHA_256, PasswordPreparation.SASLPREP);
        byte[] vector = RFC8489_REQUEST_ERRATA_6268;
        reader.read(vector, 0, vector.length);
        assertThat(reader.bytes(reader.indexOf(StunAttributeType.USERHASH))).isEqualTo(RFC8489_USERHASH);
        assertThat(IntegrityKey.userHash(RFC8489_USERNAME, RFC8489_REALM, PasswordPreparation.OPAQUE_STRING))
                .isEqualTo(RFC8489_USERHASH);
        assertThat(reader.integritySha256Matches(key)).isTrue();
        assertThat(reader.integrityMatches(key)).isFalse(); // there is no MESSAGE-INTEGRITY at all
        StunMessage message = StunMessage.from(reader);
        assertThat(message.attribute(StunAttribute.PasswordAlgorithmChoice.class)).get()
                .extracting(c -> c.algorithm().algorithm()).isEqualTo(PasswordAlgorithm.SHA_256);
        assertThat(NonceCookie.parse(RFC8489_NONCE)).isNotNull()
                .satisfies(c -> {
                    assertThat(c.has(NonceCookie.USERNAME_ANONYMITY)).isTrue(); // the request carries USERHASH
                    assertThat(c.has(NonceCookie.PASSWORD_ALGORITHMS)).isFalse();
                });

        ByteBuffer out = ByteBuffer.allocate(300);
        writer.padding(0).begin(out, StunMethod.BINDING, StunClass.REQUEST, TransactionId.fromBytes(RFC8489_TRANSACTION_ID, 0))
                .putBytes(StunAttributeType.USERHASH.code(), RFC8489_USERHASH, 0, 32)
                .putString(StunAttributeType.NONCE.code(), RFC8489_NONCE)
                .putString(StunAttributeType.REALM.code(), RFC8489_REALM)
                .put(new StunAttribute.PasswordAlgorithmChoice(
                        new StunAttribute.AlgorithmEntry(PasswordAlgorithm.SHA_256, StunBytes.empty())))
                .putMessageIntegritySha256(key);
        assertThat(Arrays.copyOf(out.array(), writer.finish())).isEqualTo(vector);
    }

    @Test
    void publishedSha256VectorIsRejectedForItsLengthField() {
        byte[] vector = RFC8489_REQUEST_AS_PUBLISHED;
        assertThat(reader.tryRead(vector, 0, vector.length)).isFalse();
        assertThat(reader.rejection()).isEqualTo(StunRejection.LENGTH_BEYOND_DATAGRAM);
    }

    // ice4j skips FINGERPRINT when a message does not start at offset 0; this reader must not.
    @Test
    void messageAtANonZeroOffsetOfALargerBufferIsReadAndCheckedInFull() {
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer big = direct ? ByteBuffer.allocateDirect(400) : ByteBuffer.allocate(400);
            big.put(37, RFC5769_REQUEST);
            assertThat(reader.tryRead(big, 37, RFC5769_REQUEST.length)).isTrue();
            assertThat(reader.attributeCount()).isEqualTo(6);
            assertThat(reader.fingerprintMatches()).isTrue();
            assertThat(reader.integrityMatches(shortTermKey)).isTrue();

            big.put(37 + 104, (byte) (big.get(37 + 104) ^ 1)); // corrupt FINGERPRINT's last byte
            assertThat(reader.tryRead(big, 37, RFC5769_REQUEST.length)).isTrue();
            assertThat(reader.fingerprintMatches()).isFalse();
        }
    }

    @Test
    void slicedHeapBufferWithAnArrayOffsetIsReadInFull() {
        byte[] backing = new byte[300];
        System.arraycopy(RFC5769_REQUEST, 0, backing, 50, RFC5769_REQUEST.length);
        ByteBuffer slice = ByteBuffer.wrap(backing, 40, 200).slice(); // arrayOffset() is 40
        assertThat(reader.tryRead(slice, 10, RFC5769_REQUEST.length)).isTrue();
        assertThat(reader.fingerprintMatches()).isTrue();
        assertThat(reader.integrityMatches(shortTermKey)).isTrue();
    }
}
