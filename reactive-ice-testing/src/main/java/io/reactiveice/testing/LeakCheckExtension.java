package io.reactiveice.testing;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a leaked {@code ByteBuf} after it ran.
 * Registered for every test through JUnit's extension auto-detection
 * ({@code META-INF/services} and {@code junit-platform.properties}).
 *
 * <p>Leaks surface only when the garbage collector has cleared a buffer and a later allocation
 * drains the detector's queue, so this collects garbage and allocates a few times before looking.
 */
public final class LeakCheckExtension implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) {
        check(context.getDisplayName());
    }

    /** Collects garbage, drains the detector and throws if anything leaked. */
    static void check(String where) {
        if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
            throw new AssertionError("tests must run with -Dio.netty.leakDetection.level=paranoid but the level is "
                    + ResourceLeakDetector.getLevel());
        }
        for (int i = 0; i < 4; i++) {
            System.gc();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25)); // let the reference handler enqueue
            ByteBufAllocator.DEFAULT.buffer(1).release();
            PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
            Unpooled.buffer(1).release();
        }
        List<String> leaks = FailingLeakDetector.drain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) in " + where + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
