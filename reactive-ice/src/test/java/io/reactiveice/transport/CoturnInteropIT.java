package io.reactiveice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import io.reactiveice.testing.ExternalProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

/** STUN interop with coturn, both ways, on 127.0.0.1. */
class CoturnInteropIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start();


    @Test
    void ourClientGetsItsReflexiveAddressFromCoturn() {
        StunClientConnection client = StunClient.create().bind().block(TIMEOUT);
        try {
            StepVerifier.create(client.binding(COTURN.get().address()))
                    .assertNext(r -> {
                        assertThat(r.mappedAddress()).isEqualTo(client.localAddress());
                        assertThat(r.response().attribute(StunAttribute.Software.class)).get()
                                .extracting(StunAttribute.Software::value).asString().contains("Coturn");
                        assertThat(r.response().attribute(StunAttribute.Fingerprint.class)).isPresent();
                    })
                    .expectComplete().verify(TIMEOUT);
            assertThat(client.dropped()).isZero();
        } finally {
            client.dispose();
        }
    }

    @Test
    void coturnsStunClientGetsItsReflexiveAddressFromOurServer() throws IOException, InterruptedException {
        String stunclient = ExternalProgram.require("turnutils_stunclient", "coturn").toString();
        StunServerHandle server = StunServer.create().bindNow();
        try {
            // turnutils_stunclient waits forever for an answer, so it is bounded here.
            Process p = new ProcessBuilder(stunclient, "-p", String.valueOf(server.address().getPort()), "127.0.0.1")
                    .redirectErrorStream(true).start();
            boolean exited = p.waitFor(15, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly();
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exited).as("turnutils_stunclient finished; output:%n%s", output).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            Matcher m = Pattern.compile("UDP reflexive addr: 127\\.0\\.0\\.1:(\\d+)").matcher(output);
            assertThat(m.find()).as(output).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isBetween(1, 65535);
            assertThat(server.count(BindingOutcome.SUCCESS)).isGreaterThanOrEqualTo(1);
            assertThat(server.count(BindingOutcome.UNKNOWN_ATTRIBUTE)).isZero();
        } finally {
            server.dispose();
        }
    }
}
