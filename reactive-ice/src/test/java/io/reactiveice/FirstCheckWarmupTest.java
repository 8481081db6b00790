package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.internal.agent.CoreConfig;
import io.reactiveice.stun.RetransmissionSchedule;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

class FirstCheckWarmupTest {
    private static final CoreConfig LITE = new CoreConfig(IceRole.CONTROLLED, 42, Duration.ofMillis(50),
            RetransmissionSchedule.UDP_DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMillis(7_500), Duration.ofMillis(200), 100, 100, null).withLite(true);

    /** The in-memory exchange goes all the way: both cores connect, so the whole check path ran. */
    @Test
    void warmupRunsAWholeExchangeOfChecksToConnected() {
        assertThat(FirstCheckWarmup.run(LITE)).isTrue();
        assertThat(FirstCheckWarmup.run(LITE.withLite(false).withRole(IceRole.CONTROLLING))).isTrue();
    }

    /** Once per JVM, on the scheduler given: a second start schedules nothing. */
    @Test
    void warmupIsScheduledOnceOnTheSchedulerGiven() {
        VirtualTimeScheduler scheduler = VirtualTimeScheduler.create();
        try {
            boolean first = FirstCheckWarmup.startOnce(LITE, scheduler);
            boolean second = FirstCheckWarmup.startOnce(LITE, scheduler);
            assertThat(second).isFalse();
            // another test of this JVM may have started the first session already
            if (first) {
                scheduler.advanceTime();
            }
        } finally {
            scheduler.dispose();
        }
    }
}
