package io.reactiveice.turn;

import io.reactiveice.stun.RetransmissionSchedule;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.ExternalProgram;
import io.reactiveice.transport.StunClient;
import io.reactiveice.transport.StunClientConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
    private final InetSocketAddress tlsAddress;

    private TunedCoturn(Process process, Path directory, InetSocketAddress address, InetSocketAddress tlsAddress) {
        this.process = process;
        this.directory = directory;
        this.address = address;
        this.tlsAddress = tlsAddress;
    }

    /** coturn on UDP and TCP (its default on the listening port), without TLS. */
    static TunedCoturn start(String... extraLines) {
        return start(false, extraLines);
    }

    /**
     * coturn on UDP and TCP, and TLS on a port of its own with a self-signed certificate for
     * 127.0.0.1 generated now by {@code openssl} ({@link #certificate()}).
     */
    static TunedCoturn startWithTls(String... extraLines) {
        return start(true, extraLines);
    }

    private static TunedCoturn start(boolean tls, String... extraLines) {
        Path binary = ExternalProgram.require("turnserver", "coturn");
        try {
            Path dir = Files.createTempDirectory("coturn-turn-");
            int port = Coturn.freePort();
            int tlsPort = tls ? Coturn.freePort() : -1;
            int relayBase = 40_000 + (port % 100) * 100;
            List<String> lines = new ArrayList<>(List.of(
                    "listening-ip=127.0.0.1", "relay-ip=127.0.0.1", "listening-port=" + port,
                    "realm=" + Coturn.REALM, "lt-cred-mech", "user=" + Coturn.USER + ":" + Coturn.PASSWORD,
                    "userdb=" + dir.resolve("turndb"), "no-tls", "no-dtls", "no-cli", "allow-loopback-peers",
                    "min-port=" + relayBase, "max-port=" + (relayBase + 99),
                    "pidfile=" + dir.resolve("turnserver.pid"), "log-file=" + dir.resolve("turnserver.log"),
                    "simple-log"));
            if (tls) {
                generateCertificate(dir);
                lines.remove("no-tls");
                lines.addAll(List.of("tls-listening-port=" + tlsPort, "cert=" + dir.resolve("cert.pem"),
                        "pkey=" + dir.resolve("key.pem")));
            }
            lines.addAll(List.of(extraLines));
            lines.add("");
            Files.writeString(dir.resolve("turnserver.conf"), String.join("\n", lines));
            Process process = new ProcessBuilder(binary.toString(), "-c", dir.resolve("turnserver.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.txt").toFile()).start();
            InetAddress loopback = InetAddress.getLoopbackAddress();
            TunedCoturn coturn = new TunedCoturn(process, dir, new InetSocketAddress(loopback, port),
                    tls ? new InetSocketAddress(loopback, tlsPort) : null);
            coturn.awaitStunAnswer();
            coturn.awaitListening(coturn.address);
            if (tls) {
                coturn.awaitListening(coturn.tlsAddress);
            }
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

    private static void generateCertificate(Path dir) throws IOException {
        Path openssl = ExternalProgram.require("openssl", "openssl");
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.txt").toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("openssl could not make a certificate; see " + dir.resolve("openssl.txt"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until coturn accepts TCP connections on the address (UDP answering does not prove it). */
    private void awaitListening(InetSocketAddress at) {
        // polls on a Reactor timer, bounded: each attempt is a real TCP connect to 127.0.0.1
        Boolean up = reactor.core.publisher.Flux.interval(java.time.Duration.ZERO, java.time.Duration.ofMillis(50))
                .take(100)
                .map(attempt -> {
                    try (Socket probe = new Socket()) {
                        probe.connect(at, 1000);
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                })
                .filter(ok -> ok)
                .next()
                .block(java.time.Duration.ofSeconds(30));
        if (up == null) {
            throw new AssertionError("coturn does not accept TCP connections on " + at);
        }
    }

    /** The TLS listening address; only for {@link #startWithTls}. */
    InetSocketAddress tlsAddress() {
        return tlsAddress;
    }

    /** coturn's self-signed certificate; only for {@link #startWithTls}. */
    X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(directory.resolve("cert.pem"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
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
