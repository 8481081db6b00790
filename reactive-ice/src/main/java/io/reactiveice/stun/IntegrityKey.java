package io.reactiveice.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The key of MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9">RFC 8489 section 9</a>), derived once
 * per credential and then used for every message.
 *
 * <p>The key is immutable and may be shared between threads; the HMAC state it hands to the codec
 * is one per thread, re-keyed when the key changes, so signing and checking allocate nothing per
 * message and a key holds nothing but its bytes. {@link #toString()}
 * never shows the key.
 */
public final class IntegrityKey {
    private final byte[] key;

    private IntegrityKey(byte[] key) {
        this.key = key;
    }

    /**
     * The short-term key: the password prepared with OpaqueString
     * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.1.1">RFC 8489 section 9.1.1</a>);
     * ICE uses it with the peer's {@code ice-pwd}.
     *
     * @param password the password
     * @return the key
     */
    public static IntegrityKey shortTerm(String password) {
        Objects.requireNonNull(password, "password");
        return new IntegrityKey(PasswordPreparation.OPAQUE_STRING.prepare("password", password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The long-term key with OpaqueString preparation
     * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-9.2.2">RFC 8489 section 9.2.2</a>).
     *
     * @param username the username as sent in USERNAME
     * @param realm the realm the server sent
     * @param password the password
     * @param algorithm MD5 or SHA-256
     * @return the key
     */
    public static IntegrityKey longTerm(String username, String realm, String password, PasswordAlgorithm algorithm) {
        return longTerm(username, realm, password, algorithm, PasswordPreparation.OPAQUE_STRING);
    }

    /**
     * The long-term key, {@code hash(username ":" realm ":" password)} with realm and password
     * prepared as given.
     *
     * @param username the username as sent in USERNAME
     * @param realm the realm the server sent
     * @param password the password
     * @param algorithm MD5 or SHA-256
     * @param preparation how realm and password are prepared
     * @return the key
     * @throws IllegalArgumentException if the algorithm is not one this library can derive
     */
    public static IntegrityKey longTerm(String username, String realm, String password, PasswordAlgorithm algorithm,
            PasswordPreparation preparation) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(preparation, "preparation");
        if (!algorithm.isSupported()) {
            throw new IllegalArgumentException("algorithm must be MD5 or SHA-256 but was " + algorithm);
        }
        String text = username + ":" + preparation.prepare("realm", realm) + ":"
                + preparation.prepare("password", password);
        return new IntegrityKey(digest(algorithm.digest(), text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A key given as bytes, for credentials derived elsewhere.
     *
     * @param key the key bytes; copied
     * @return the key
     */
    public static IntegrityKey ofBytes(byte[] key) {
        Objects.requireNonNull(key, "key");
        return new IntegrityKey(key.clone());
    }

    /**
     * USERHASH: {@code SHA-256(username ":" realm)} with both prepared as given
     * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.4">RFC 8489 section 14.4</a>).
     *
     * @param username the username
     * @param realm the realm
     * @param preparation how both are prepared
     * @return the 32-byte hash
     */
    public static byte[] userHash(String username, String realm, PasswordPreparation preparation) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(realm, "realm");
        String text = preparation.prepare("username", username) + ":" + preparation.prepare("realm", realm);
        return digest("SHA-256", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    /** This thread's HMAC-SHA1, keyed with this key. */
    Hmac hmacSha1() {
        return Hmac.sha1(key);
    }

    /** This thread's HMAC-SHA256, keyed with this key. */
    Hmac hmacSha256() {
        return Hmac.sha256(key);
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required by RFC 8489 but missing from this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "IntegrityKey[" + key.length + " bytes]";
    }
}
