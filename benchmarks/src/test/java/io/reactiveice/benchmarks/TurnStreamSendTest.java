package io.reactiveice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The short version of {@link TurnStreamSend}: both ways deliver through a real coturn, and are measured. */
class TurnStreamSendTest {

    @Test
    void sendsOneByOneAndAsAStreamThroughCoturnAndPrintsBothFigures() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        double[] r = TurnStreamSend.measure(2_000, 100, 1, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(r[0]).as("CPU per datagram one by one").isPositive();
        assertThat(r[1]).as("CPU per datagram as a stream").isPositive();
        assertThat(r[2]).as("fewest datagrams delivered in a run").isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("round 1 each", "round 1 stream",
                "median client CPU per datagram");
    }
}
