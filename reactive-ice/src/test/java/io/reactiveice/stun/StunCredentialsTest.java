package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Keys, password preparation, the nonce cookie, and our HMAC against the JDK's. */
class StunCredentialsTest {

    // RFC 8489 section 9.2.2: key = H(username ":" OpaqueString(realm) ":" OpaqueString(password)).
    @Test
    void longTermKeysAreTheHashOfUserRealmAndPassword() throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest("user:realm:pass".getBytes(StandardCharsets.UTF_8));
        byte[] sha = MessageDigest.getInstance("SHA-256").digest("user:realm:pass".getBytes(StandardCharsets.UTF_8));
        assertThat(IntegrityKey.longTerm("user", "realm", "pass", PasswordAlgorithm.MD5).bytes()).isEqualTo(md5);
        assertThat(IntegrityKey.longTerm("user", "realm", "pass", PasswordAlgorithm.SHA_256).bytes()).isEqualTo(sha);
        assertThat(HexFormat.of().formatHex(md5)).isEqualTo("8493fbc53ba582fb4c044c456bdc40eb");
        assertThatThrownBy(() -> IntegrityKey.longTerm("u", "r", "p", PasswordAlgorithm.valueOf(7)))
                .hasMessageContaining("algorithm must be MD5 or SHA-256");
    }

    @Test
    void opaqueStringMapsSpacesNormalizesAndRefusesControls() {
        PasswordPreparation p = PasswordPreparation.OPAQUE_STRING;
        assertThat(p.prepare("password", "a\u00A0b\u3000c")).isEqualTo("a b c");
        assertThat(p.prepare("password", "e\u0301")).isEqualTo("\u00E9"); // NFC
        assertThat(p.prepare("password", "\u2168")).isEqualTo("\u2168"); // NFC keeps compatibility characters
        assertThatThrownBy(() -> p.prepare("realm", "bad\u0007")).hasMessage(
                "realm contains U+0007, which OpaqueString (RFC 8265) does not allow");
        assertThat(PasswordPreparation.SASLPREP.prepare("password", "I\u00ADX\u2168")).isEqualTo("IXIX");
    }

    @Test
    void aPasswordThatPreparationRefusesIsNeverEchoedInTheMessage() {
        for (PasswordPreparation p : List.of(PasswordPreparation.OPAQUE_STRING, PasswordPreparation.SASLPREP)) {
            assertThatThrownBy(() -> p.prepare("password", "hunter2\u0007"))
                    .hasMessageStartingWith("password contains a character (not shown: it is a credential)")
                    .hasMessageNotContaining("0007").hasMessageNotContaining("\u0007")
                    .hasMessageNotContaining("hunter2");
        }
        assertThatThrownBy(() -> IntegrityKey.shortTerm("hunter2\u0007")).hasMessageNotContaining("0007");
        assertThatThrownBy(() -> IntegrityKey.longTerm("user", "realm", "hunter2\u0007", PasswordAlgorithm.SHA_256))
                .hasMessageNotContaining("0007");
    }

    @Test
    void shortTermKeyIsThePreparedPasswordAndNeverPrinted() {
        IntegrityKey key = IntegrityKey.shortTerm("secret\u00A0pw");
        assertThat(key.bytes()).isEqualTo("secret pw".getBytes(StandardCharsets.UTF_8));
        assertThat(key.toString()).doesNotContain("secret").isEqualTo("IntegrityKey[9 bytes]");
    }

    @Test
    void ourHmacAgreesWithTheJdkForShortAndLongKeysAndManySizes() throws Exception {
        for (int keyLength : new int[] {1, 16, 20, 64, 65, 200}) {
            byte[] key = new byte[keyLength];
            for (int i = 0; i < keyLength; i++) {
                key[i] = (byte) (i * 31 + 7);
            }
            for (String[] alg : new String[][] {{"SHA-1", "HmacSHA1"}, {"SHA-256", "HmacSHA256"}}) {
                Hmac ours = new Hmac(alg[0], key);
                Mac jdk = Mac.getInstance(alg[1]);
                jdk.init(new SecretKeySpec(key, alg[1]));
                for (int size : new int[] {0, 1, 55, 56, 64, 119, 1000}) {
                    byte[] data = new byte[size];
                    for (int i = 0; i < size; i++) {
                        data[i] = (byte) (i ^ size);
                    }
                    byte[] out = new byte[ours.length()];
                    ours.update(data, 0, size);
                    ours.finish(out, 0);
                    assertThat(out).as("%s key %d data %d", alg[1], keyLength, size).isEqualTo(jdk.doFinal(data));
                    ours.update(data, 0, size); // and again: finish leaves it ready for the next message
                    ours.finish(out, 0);
                    assertThat(out).isEqualTo(jdk.doFinal(data));
                }
            }
        }
    }

    @Test
    void theThreadsHmacRekeysForEveryOtherKeyAndDropsAnUnfinishedMessage() throws Exception {
        byte[][] keys = {"first-password-0123456789ab".getBytes(StandardCharsets.UTF_8),
            "second".getBytes(StandardCharsets.UTF_8), new byte[100]};
        byte[] data = "a STUN message, more or less".getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 3; round++) {
            for (byte[] key : keys) {
                for (String[] alg : new String[][] {{"SHA-1", "HmacSHA1"}, {"SHA-256", "HmacSHA256"}}) {
                    Hmac ours = alg[0].equals("SHA-1") ? Hmac.sha1(key) : Hmac.sha256(key);
                    Mac jdk = Mac.getInstance(alg[1]);
                    jdk.init(new SecretKeySpec(key, alg[1]));
                    byte[] out = new byte[ours.length()];
                    ours.update(data, 0, data.length);
                    ours.finish(out, 0);
                    assertThat(out).as("%s round %d", alg[1], round).isEqualTo(jdk.doFinal(data));
                    ours.update(data, 0, 5); // left unfinished: the next key must not see these bytes
                }
            }
        }
        IntegrityKey a = IntegrityKey.shortTerm("passwordA-passwordA-pw");
        IntegrityKey b = IntegrityKey.shortTerm("passwordB-passwordB-pw");
        assertThat(a.hmacSha1()).isSameAs(b.hmacSha1()); // one engine per thread, not one per key
    }

    // RFC 8489 section 9.2: "obMatJos2" then four base64 characters of 24 feature bits.
    @Test
    void nonceCookieCarriesTheSecurityFeatureBits() {
        NonceCookie both = new NonceCookie(NonceCookie.PASSWORD_ALGORITHMS | NonceCookie.USERNAME_ANONYMITY);
        String nonce = both.prefixTo("f//499k954d6OL34oL9FSTvy64sA");
        assertThat(nonce).startsWith("obMatJos2AAAD");
        assertThat(NonceCookie.parse(nonce)).isEqualTo(both);
        assertThat(NonceCookie.parse(nonce).has(NonceCookie.USERNAME_ANONYMITY)).isTrue();
        assertThat(NonceCookie.parse("obMatJos2AAAB").has(NonceCookie.PASSWORD_ALGORITHMS)).isTrue();
        assertThat(NonceCookie.parse("obMatJos2AAAB").has(NonceCookie.USERNAME_ANONYMITY)).isFalse();
        assertThat(NonceCookie.parse("plain-nonce")).isNull();
        assertThat(NonceCookie.parse("obMatJos2!!")).isNull();
    }

    @Test
    void signingIntoADirectBufferGivesTheSameBytesAsIntoAHeapBuffer() {
        IntegrityKey key = IntegrityKey.longTerm("u", "r", "p", PasswordAlgorithm.SHA_256);
        ByteBuffer heap = ByteBuffer.allocate(200);
        ByteBuffer direct = ByteBuffer.allocateDirect(200);
        direct.position(13);
        for (ByteBuffer b : new ByteBuffer[] {heap, direct}) {
            new StunMessageWriter().begin(b, StunMethod.ALLOCATE, StunClass.REQUEST, new TransactionId(1, 2))
                    .putU8(StunAttributeType.REQUESTED_TRANSPORT.code(), 17)
                    .putMessageIntegrity(key).putMessageIntegritySha256(key).putFingerprint().finish();
        }
        byte[] a = new byte[heap.position()];
        heap.get(0, a);
        byte[] b = new byte[direct.position() - 13];
        direct.get(13, b);
        assertThat(b).isEqualTo(a);
        StunMessageReader reader = new StunMessageReader();
        assertThat(reader.tryRead(direct, 13, b.length)).isTrue();
        assertThat(reader.integrityMatches(key)).isTrue();
        assertThat(reader.integritySha256Matches(key)).isTrue();
        assertThat(reader.fingerprintMatches()).isTrue();
    }
}
