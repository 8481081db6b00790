package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's demo: two agents on loopback with the embedded STUN server, run in-process and from demo.jar. */
class IceDemoIT {
    private static final String HOST = "candidate:\\S+ 1 udp \\d+ 127\\.0\\.0\\.1 (\\d+) typ host";

    @Test
    void demoPrintsCandidatesStatesTheSelectedPairAndEveryRoundTrip() {
        String output = run(3);
        String alicePort = group(output, "alice candidate " + HOST);
        String bobPort = group(output, "bob   candidate " + HOST);
        assertThat(output).contains("alice gathering complete: 1 candidate(s)")
                .contains("bob   gathering complete: 1 candidate(s)")
                .contains("alice state CHECKING").contains("alice state CONNECTED")
                .contains("bob   state CHECKING").contains("bob   state CONNECTED")
                .contains("alice selected pair host 127.0.0.1:" + alicePort + " <-> host 127.0.0.1:" + bobPort)
                .contains("bob   selected pair host 127.0.0.1:" + bobPort + " <-> host 127.0.0.1:" + alicePort);
        for (int i = 1; i <= 3; i++) {
            assertThat(output).containsPattern("round trip #" + i + ": \"hello " + i + "\" came back in \\d+\\.\\d{3} ms");
        }
        assertThat(output).doesNotContain("round trip #4")
                .contains("alice sent 3 message(s), bob echoed all of them")
                .containsPattern("the STUN server answered 2 Binding request\\(s\\) while gathering")
                .contains("alice state CLOSED").contains("bob   state CLOSED");
        assertThat(output.strip()).endsWith("closed; bye");
        assertThat(output.indexOf("alice state CONNECTED")).isLessThan(output.indexOf("round trip #1"));
    }

    @Test
    void demoJarRunsTheIceDemoAndExitsCleanly() throws Exception {
        Result r = runJar("-jar", jar().toString(), "2");
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("round trip #2").contains("closed; bye");
    }

    @Test
    void demoJarStillRunsTheStunDemoByClassName() throws Exception {
        Result r = runJar("-cp", jar().toString(), "io.reactiveice.samples.StunDemo", "2");
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("Binding #2: reflexive address 127.0.0.1:");
    }

    private static String run(int messages) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            IceDemo.main(new String[] {String.valueOf(messages)});
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        original.print(output);
        return output;
    }

    private static String group(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertThat(m.find()).as("/%s/ in\n%s", regex, output).isTrue();
        return m.group(1);
    }

    private record Result(int exitCode, String output) {
    }

    private static Path jar() {
        Path jar = Path.of("target", "demo.jar").toAbsolutePath();
        assertThat(jar).as("demo.jar is built in the package phase").exists();
        return jar;
    }

    private static Result runJar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PeerProcess.java()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException e) {
                // the process has gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5_000);
            throw new AssertionError(command + " did not exit within 60 s:\n" + out.toString(StandardCharsets.UTF_8));
        }
        reader.join(5_000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
