package io.reactiveice.benchmarks;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Netty's leak reports, counted: a logback appender on {@code io.netty.util.ResourceLeakDetector},
 * whose every ERROR line is a {@code LEAK:} report. It works whichever detector class is installed
 * (Netty's own in a benchmark main, the build's {@code FailingLeakDetector} in a test JVM), so the
 * soak and its IT count leaks the same way.
 *
 * <p>Netty reports a leak only after the leaked buffer has been collected and another buffer is
 * then tracked; {@link #poke()} collects and allocates a few buffers so that a reading is up to date.
 */
final class LeakWatch extends AppenderBase<ILoggingEvent> {
    private static final String DETECTOR_LOGGER = ResourceLeakDetector.class.getName();

    private final List<String> leaks = new CopyOnWriteArrayList<>();

    private LeakWatch() {
    }

    /**
     * Turns the detector to paranoid (every buffer tracked) unless the JVM was started with another
     * level, and starts counting its reports.
     */
    static LeakWatch install() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        LeakWatch watch = new LeakWatch();
        Logger logger = (Logger) LoggerFactory.getLogger(DETECTOR_LOGGER);
        watch.setContext(logger.getLoggerContext());
        watch.setName("leak-watch");
        watch.start();
        logger.addAppender(watch);
        return watch;
    }

    /** The detector's level, for the report. */
    static String level() {
        return ResourceLeakDetector.getLevel().name();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)) {
            String message = event.getFormattedMessage();
            leaks.add(message.length() > 2_000 ? message.substring(0, 2_000) + " ..." : message);
        }
    }

    /** Collects garbage, then tracks a few buffers of each allocator, so that pending reports come out. */
    static void poke() {
        for (int round = 0; round < 3; round++) {
            System.gc();
            BenchSupport.pause(100);
            for (int i = 0; i < 8; i++) {
                ByteBuf pooled = ByteBufAllocator.DEFAULT.directBuffer(64);
                pooled.release();
                ByteBuf heap = Unpooled.buffer(64);
                heap.release();
            }
        }
    }

    /** Leak reports so far. */
    int count() {
        return leaks.size();
    }

    /** The reports so far (each cut to 2,000 characters). */
    List<String> reports() {
        return List.copyOf(leaks);
    }

    /** Stops counting. */
    void uninstall() {
        ((Logger) LoggerFactory.getLogger(DETECTOR_LOGGER)).detachAppender(this);
        stop();
    }
}
