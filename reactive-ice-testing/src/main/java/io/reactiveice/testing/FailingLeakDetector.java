package io.reactiveice.testing;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, recording every leak it reports so that {@link LeakCheckExtension} can fail
 * the test class that caused it. Installed in every test JVM by the build through
 * {@code -Dio.netty.customResourceLeakDetector}, with {@code -Dio.netty.leakDetection.level=paranoid}.
 *
 * @param <T> the tracked resource type
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    /**
     * The constructor Netty's factory calls by reflection.
     *
     * @param resourceType what is tracked
     * @param samplingInterval how often it is sampled (every time at paranoid)
     */
    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /**
     * The constructor Netty 4.2's factory tries first (it logs an error when it is missing).
     *
     * @param resourceType what is tracked
     * @param samplingInterval how often it is sampled
     * @param maxActive ignored by Netty
     */
    @SuppressWarnings("deprecation")
    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + " leaked:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType + " leaked (untraced)");
        super.reportUntracedLeak(resourceType);
    }

    /** The leaks reported since the last call, removed from the record. */
    static List<String> drain() {
        List<String> out = List.copyOf(LEAKS);
        LEAKS.removeAll(out);
        return out;
    }
}
