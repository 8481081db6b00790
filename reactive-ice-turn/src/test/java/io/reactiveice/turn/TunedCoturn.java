package io.reactiveice.turn;

import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.ExternalProgram;
import io.reactiveice.transport.StunClient;
import io.reactiveice.transport.StunClientConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * coturn as {@link Coturn} starts it (same realm, user and loopback rules), plus configuration lines
 * of the test's own: {@code verbose} so that allocations are logged, {@code max-allocate-lifetime}
 * so that refreshes happen within a test.
 */
final class TunedCoturn implements AutoCloseable {
    private final Process process;
    private final Path directory;
    private final InetSocketAddress address;

    private TunedCoturn(Process process, Path directory, InetSocketAddress address) {
        this.process = process;
        this.directory = directory;
        this.address = address;
    }

    static TunedCoturn start(String... extraLines) {
        Path binary = ExternalProgram.require("turnserver", "coturn");
        try {
            Path dir = Files.createTempDirectory("coturn-turn-");
            int port = Coturn.freePort();
            int relayBase = 40_000 + (port % 100) * 100;
            List<String> lines = new ArrayList<>(List.of(
                    "listening-ip=127.0.0.1", "relay-ip=127.0.0.1", "listening-port=" + port,
                    "realm=" + Coturn.REALM, "lt-cred-mech", "user=" + Coturn.USER + ":" + Coturn.PASSWORD,
                    "userdb=" + dir.resolve("turndb"), "no-tls", "no-dtls", "no-cli", "allow-loopback-peers",
                    "min-port=" + relayBase, "max-port=" + (relayBase + 99),
                    "pidfile=" + dir.resolve("turnserver.pid"), "log-file=" + dir.resolve("turnserver.log"),
                    "simple-log"));
            lines.addAll(List.of(extraLines));
            lines.add("");
            Files.writeString(dir.resolve("turnserver.conf"), String.join("\n", lines));
            Process process = new ProcessBuilder(binary.toString(), "-c", dir.resolve("turnserver.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
            TunedCoturn coturn = new TunedCoturn(process, dir,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            coturn.awaitStunAnswer();
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitStunAnswer() {
        StunClientConnection probe = StunClient.create()
                .schedule(RetransmissionSchedule.UDP_DEFAULT.withRto(Duration.ofMillis(50)))
                .bind().block(Duration.ofSeconds(10));
        try {
            for (int attempt = 0; attempt < 10; attempt++) {
                if (!process.isAlive()) {
                    throw new AssertionError("turnserver exited with " + process.exitValue() + "; see " + directory);
                }
                try {
                    probe.binding(address).block(Duration.ofSeconds(10));
                    return;
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
            }
            throw new AssertionError("turnserver did not answer STUN on " + address + "; see " + directory);
        } finally {
            probe.dispose();
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** coturn's log so far. */
    String log() {
        try {
            return Files.readString(directory.resolve("turnserver.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Allocations alive now, by coturn's log: sessions logged as new minus those logged as deleted. */
    long allocations() {
        String log = log();
        return log.lines().filter(l -> l.contains(": new, realm=")).count()
                - log.lines().filter(l -> l.contains(": delete: realm=")).count();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
