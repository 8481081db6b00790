package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micrometer is an optional dependency (issue 15 section 2): without metrics configured nothing of it
 * is needed or loaded. Two sessions connect over loopback in a JVM of their own
 * ({@link NoMetricsLoopback}) that runs with {@code -verbose:class}: with Micrometer taken off its
 * class path they still connect, and with it on the class path no class of {@code io.micrometer} is
 * ever loaded.
 */
class IceMetricsAbsentTest {
    @TempDir
    Path dir;

    private static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.asList(cp.split(File.pathSeparator));
    }

    /** Runs the loopback program on {@code classPath}; its output, class loading included. */
    private String run(List<String> classPath, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-verbose:class", "-cp", String.join(File.pathSeparator, classPath), NoMetricsLoopback.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS); // a guard against a hang, not a measurement
        if (!ended) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(ended).as("the program ended; its output:%n%s", tail(output)).isTrue();
        assertThat(p.exitValue()).as("exit status; output:%n%s", tail(output)).isZero();
        return output;
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return Arrays.stream(lines).skip(Math.max(0, lines.length - 40)).collect(Collectors.joining("\n"));
    }

    private static List<String> micrometerClassesLoaded(String output) {
        return output.lines().filter(l -> l.contains("io.micrometer.")).toList();
    }

    @Test
    void sessionsWithoutMetricsConnectWithMicrometerAbsentFromTheClassPath() throws Exception {
        List<String> withoutMicrometer = testClassPath().stream().filter(e -> !e.contains("micrometer")).toList();
        assertThat(withoutMicrometer).hasSizeLessThan(testClassPath().size()); // it was there to take off

        String output = run(withoutMicrometer);

        assertThat(output).contains(NoMetricsLoopback.DONE);
        assertThat(output).doesNotContain("NoClassDefFoundError:").doesNotContain("ClassNotFoundException:");
        assertThat(micrometerClassesLoaded(output)).isEmpty();
    }

    @Test
    void sessionsWithoutMetricsLoadNoMicrometerClassEvenWhenItIsOnTheClassPath() throws Exception {
        String output = run(testClassPath());

        assertThat(output).contains(NoMetricsLoopback.DONE);
        assertThat(output).contains("io.reactiveice.IceSession"); // the class loading was logged
        assertThat(micrometerClassesLoaded(output)).isEmpty();
    }

    // the control case: the same program with metrics on does load Micrometer, and the log shows it
    @Test
    void sessionsWithMetricsDoLoadMicrometer() throws Exception {
        String output = run(testClassPath(), "--metrics");

        assertThat(output).contains(NoMetricsLoopback.DONE);
        assertThat(micrometerClassesLoaded(output)).isNotEmpty();
    }
}
