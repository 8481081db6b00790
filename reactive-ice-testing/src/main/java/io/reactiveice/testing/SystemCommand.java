package io.reactiveice.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short administration command ({@code ip}, {@code nft}, {@code sysctl}) to its end and
 * fails with its output when it does not succeed: the one way the namespace helpers change the
 * system, so that a failure always names the command.
 */
final class SystemCommand {
    private static final long TIMEOUT_SECONDS = 20;

    private SystemCommand() {
    }

    /**
     * Runs the command with nothing on its standard input.
     *
     * @throws AssertionError naming the command and what it printed when it fails or hangs
     */
    static void run(List<String> command) {
        run(command, null);
    }

    /**
     * Runs a command that asks a question by its exit status (e.g. {@code grep -q}).
     *
     * @return whether it exited 0
     * @throws AssertionError naming the command if it cannot be started or hangs
     */
    static boolean succeeds(List<String> command) {
        String line = String.join(" ", command);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(line + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            throw new AssertionError(line + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(line + " interrupted", e);
        }
    }

    /**
     * Runs the command with {@code input} (when not {@code null}) on its standard input.
     *
     * @throws AssertionError naming the command and what it printed when it fails or hangs
     */
    static void run(List<String> command, String input) {
        String line = String.join(" ", command);
        Path out = null;
        try {
            // the output goes to a file, not a pipe, so that waiting is bounded even if the command hangs
            out = Files.createTempFile("reactive-ice-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(line + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(line + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(out).strip());
            }
        } catch (IOException e) {
            throw new AssertionError(line + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(line + " interrupted", e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
