package io.reactiveice.stun;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over a JDK {@link MessageDigest}, reused for every message.
 *
 * <p>The JDK's {@code javax.crypto.Mac} allocates its result on every call; this one writes into
 * the caller's array and allocates nothing per message, with the same number of compression
 * rounds (the digest intrinsics still apply). An instance is confined to one thread: each thread
 * has one per algorithm ({@link #sha1}, {@link #sha256}), which re-keys itself when it is handed a
 * different key. Keys therefore cost nothing per thread: with thousands of sessions on a few event
 * loops, a switch of key costs one compression of the padded key, far less than a digest object and
 * a thread-local entry per key and thread.
 */
final class Hmac {
    private static final int BLOCK = 64; // both SHA-1 and SHA-256 have 64-byte blocks
    private static final ThreadLocal<Hmac> SHA1 = ThreadLocal.withInitial(() -> new Hmac("SHA-1"));
    private static final ThreadLocal<Hmac> SHA256 = ThreadLocal.withInitial(() -> new Hmac("SHA-256"));

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash;
    private final int length;
    private byte[] key; // the key the pads were made from, compared by identity; null before the first
    private boolean dirty; // bytes were fed since the inner digest was last primed with the inner pad

    private Hmac(String digest) {
        try {
            inner = MessageDigest.getInstance(digest);
            outer = MessageDigest.getInstance(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digest + " is required by RFC 8489 but missing from this JDK", e);
        }
        length = inner.getDigestLength();
        innerHash = new byte[length];
    }

    /** A fresh HMAC keyed with {@code key} (tests; the codec uses the per-thread ones). */
    Hmac(String digest, byte[] key) {
        this(digest);
        keyedWith(key);
    }

    /** This thread's HMAC-SHA1, keyed with {@code key} and ready for a message. */
    static Hmac sha1(byte[] key) {
        return SHA1.get().keyedWith(key);
    }

    /** This thread's HMAC-SHA256, keyed with {@code key} and ready for a message. */
    static Hmac sha256(byte[] key) {
        return SHA256.get().keyedWith(key);
    }

    /** Keys this HMAC with {@code k} unless it already is, dropping any unfinished message. */
    private Hmac keyedWith(byte[] k) {
        if (k == key) {
            return this;
        }
        inner.reset(); // drops an unfinished message, before the digest of a long key can see it
        byte[] block = k.length > BLOCK ? inner.digest(k) : k;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < block.length ? block[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        key = k;
        inner.reset();
        inner.update(innerPad);
        dirty = false;
        return this;
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
        } catch (DigestException e) {
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
