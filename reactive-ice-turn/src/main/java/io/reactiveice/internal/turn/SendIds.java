package io.reactiveice.internal.turn;

import io.reactiveice.stun.TransactionId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Transaction ids for Send indications (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-11.1">RFC
 * 8656 section 11.1</a>), drawn by senders on any thread without a lock: a SplitMix64 sequence seeded
 * once from the allocator's injected {@link RandomGenerator}, so a seeded test gets the same ids every
 * run. An indication needs no unpredictable id: nothing answers it.
 */
public final class SendIds {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final AtomicLong state;

    public SendIds(RandomGenerator seed) {
        this.state = new AtomicLong(seed.nextLong());
    }

    /** The next id. */
    TransactionId next() {
        long z = state.addAndGet(GOLDEN_GAMMA);
        return new TransactionId(mix(z), (int) mix(z ^ GOLDEN_GAMMA));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
