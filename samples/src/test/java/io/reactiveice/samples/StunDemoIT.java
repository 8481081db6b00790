package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo, run in-process: it must print every reflexive address and round trip. */
class StunDemoIT {

    @Test
    void demoPrintsTheReflexiveAddressAndRoundTripOfEveryRequest() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            StunDemo.main(new String[] {"3"});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(output).containsPattern("STUN client bound to +127\\.0\\.0\\.1:(\\d+)");
        String port = output.replaceAll("(?s).*STUN client bound to +127\\.0\\.0\\.1:(\\d+).*", "$1");
        for (int i = 1; i <= 3; i++) {
            assertThat(output).containsPattern("Binding #" + i + ": reflexive address 127\\.0\\.0\\.1:" + port
                    + ", round trip \\d+\\.\\d{3} ms");
        }
        assertThat(output).contains("server answered 3 request(s), dropped 0 datagram(s)");
    }
}
