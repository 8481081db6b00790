package io.reactiveice.stun;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over a JDK {@link MessageDigest}, keyed once and reused for every message.
 *
 * <p>The JDK's {@code javax.crypto.Mac} allocates its result on every call; this one writes into
 * the caller's array and allocates nothing per message, with the same number of compression
 * rounds (the digest intrinsics still apply). An instance is confined to one thread;
 * {@link IntegrityKey} keeps one per thread.
 */
final class Hmac {
    private static final int BLOCK = 64; // both SHA-1 and SHA-256 have 64-byte blocks

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash;
    private final int length;
    private boolean dirty; // bytes were fed since the inner digest was last primed with the inner pad

    Hmac(String digest, byte[] key) {
        try {
            inner = MessageDigest.getInstance(digest);
            outer = MessageDigest.getInstance(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is required by RFC 8489 but missing from this JDK", e);
        }
        length = inner.getDigestLength();
        innerHash = new byte[length];
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        inner.reset();
        inner.update(innerPad);
    }

    /** The length of the MAC in bytes: 20 for SHA-1, 32 for SHA-256. */
    int length() {
        return length;
    }

    void update(byte[] bytes, int offset, int len) {
        dirty = true;
        inner.update(bytes, offset, len);
    }

    void update(byte b) {
        dirty = true;
        inner.update(b);
    }

    /** Writes the MAC of everything updated since the last call and starts over. */
    void finish(byte[] out, int offset) {
        try {
            inner.digest(innerHash, 0, length);
            inner.update(innerPad);
            dirty = false;
            outer.update(outerPad);
            outer.update(innerHash, 0, length);
            outer.digest(out, offset, length);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(innerHash, (byte) 0);
        }
    }

    /** Drops whatever was updated since the last {@link #finish}; free when nothing was. */
    void reset() {
        if (dirty) {
            inner.reset();
            inner.update(innerPad);
            dirty = false;
        }
    }
}
