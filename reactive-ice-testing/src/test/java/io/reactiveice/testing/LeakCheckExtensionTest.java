package io.reactiveice.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** Proves that the build's leak detection is live: a leaked buffer is caught and reported. */
class LeakCheckExtensionTest {

    @Test
    void theBuildRunsTheLeakDetectorAtParanoidWithOurDetector() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
        assertThat(System.getProperty("io.netty.customResourceLeakDetector"))
                .isEqualTo(FailingLeakDetector.class.getName());
    }

    @Test
    void aLeakedBufferFailsTheCheck() {
        leakOne();
        assertThatThrownBy(() -> LeakCheckExtension.check("aLeakedBufferFailsTheCheck"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leak");
    }

    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeInt(42); // and never released
    }
}
