package io.reactiveice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;

/**
 * A real coturn server ({@code turnserver} from Debian's {@code coturn}) started by a test on
 * 127.0.0.1 with a generated configuration: long-term credentials in a realm, loopback peers
 * allowed, a private relay port range, logs in the test's own directory, plus any configuration
 * lines of the test's own (such as {@code verbose}, so that allocations are logged). It is known to
 * be up when it answers a STUN Binding request and accepts TCP connections; {@link #close()} stops it.
 * {@link #startIn} starts one inside a network namespace instead, on an address of that namespace.
 */
public final class Coturn implements AutoCloseable {
    /** The realm of the generated configuration. */
    public static final String REALM = "reactive-ice.test";
    /** A user of the generated configuration. */
    public static final String USER = "alice";
    /** That user's password. */
    public static final String PASSWORD = "wonderland";
    private static final int STUN_HEADER = 20;
    /** 400 attempts of 200 ms: coturn has 80 s to answer, as it had with ten STUN transactions of about 8 s. */
    private static final int STUN_ATTEMPTS = 400;
    private static final int STUN_ATTEMPT_MILLIS = 200;
    /** The port of a coturn in a namespace of the test's own. */
    private static final int NAMESPACE_PORT = 3478;
    /** 40 attempts of up to 2 s each: as patient as the loopback wait. */
    private static final int NAMESPACE_ATTEMPTS = 40;
    private static final int NAMESPACE_ATTEMPT_SECONDS = 2;

    private final Process process;
    private final Path directory;
    private final InetSocketAddress address;
    private final InetSocketAddress tlsAddress;

    private Coturn(Process process, Path directory, InetSocketAddress address, InetSocketAddress tlsAddress) {
        this.process = process;
        this.directory = directory;
        this.address = address;
        this.tlsAddress = tlsAddress;
    }

    /**
     * Starts coturn on UDP and TCP and waits until it answers.
     *
     * @param extraLines configuration lines added to the generated ones
     * @return the running server
     */
    public static Coturn start(String... extraLines) {
        return start(false, extraLines);
    }

    /**
     * Starts coturn on UDP and TCP, and on TLS at a port of its own with a self-signed certificate
     * for 127.0.0.1 that {@code openssl} generates now ({@link #certificate()}).
     *
     * @param extraLines configuration lines added to the generated ones
     * @return the running server
     */
    public static Coturn startWithTls(String... extraLines) {
        return start(true, extraLines);
    }

    private static Coturn start(boolean tls, String... extraLines) {
        Path binary = ExternalProgram.require("turnserver", "coturn");
        try {
            Path dir = Files.createTempDirectory("coturn-");
            int port = freePort();
            int tlsPort = tls ? freePort() : -1;
            InetAddress loopback = InetAddress.getLoopbackAddress();
            List<String> lines = configuration(dir, loopback, port, 40_000 + (port % 200) * 100);
            lines.add("allow-loopback-peers");
            if (tls) {
                generateCertificate(dir);
                lines.remove("no-tls");
                lines.addAll(List.of("tls-listening-port=" + tlsPort, "cert=" + dir.resolve("cert.pem"),
                        "pkey=" + dir.resolve("key.pem")));
            }
            lines.addAll(List.of(extraLines));
            Coturn coturn = launch(List.of(binary.toString()), dir, lines, new InetSocketAddress(loopback, port),
                    tls ? new InetSocketAddress(loopback, tlsPort) : null);
            try {
                coturn.awaitStunAnswer();
                coturn.awaitListening(coturn.address);
                if (tls) {
                    coturn.awaitListening(coturn.tlsAddress);
                }
            } catch (Throwable notUp) {
                coturn.close(); // nobody else holds it: a failed start must not leave turnserver running
                throw notUp;
            }
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts coturn inside a network namespace ({@code ip netns exec}), listening and relaying on one
     * address of that namespace at port 3478 (the namespace is the test's own, so the port is free),
     * and waits until it answers STUN over UDP there, asked by coturn's {@code turnutils_stunclient}
     * run in the same namespace (this JVM has no socket in it).
     *
     * @param namespace the namespace, e.g. a {@link NatLab}'s public one
     * @param ip the address to listen and relay on, one of the namespace's
     * @param extraLines configuration lines added to the generated ones
     * @return the running server
     */
    public static Coturn startIn(String namespace, InetAddress ip, String... extraLines) {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(ip, "ip");
        Path binary = ExternalProgram.require("turnserver", "coturn");
        Path client = ExternalProgram.require("turnutils_stunclient", "coturn");
        try {
            Path dir = Files.createTempDirectory("coturn-");
            List<String> lines = configuration(dir, ip, NAMESPACE_PORT, 50_000);
            lines.addAll(List.of(extraLines));
            Coturn coturn = launch(List.of("ip", "netns", "exec", namespace, binary.toString()), dir, lines,
                    new InetSocketAddress(ip, NAMESPACE_PORT), null);
            try {
                coturn.awaitStunAnswerIn(namespace, client);
            } catch (Throwable notUp) {
                coturn.close();
                throw notUp;
            }
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The generated configuration: long-term credentials, no TLS, 100 relay ports from relayBase, logs in dir. */
    private static List<String> configuration(Path dir, InetAddress ip, int port, int relayBase) {
        String address = ip.getHostAddress();
        return new ArrayList<>(List.of(
                "listening-ip=" + address, "relay-ip=" + address, "listening-port=" + port,
                "realm=" + REALM, "lt-cred-mech", "user=" + USER + ":" + PASSWORD,
                "userdb=" + dir.resolve("turndb"), "no-tls", "no-dtls", "no-cli",
                "min-port=" + relayBase, "max-port=" + (relayBase + 99),
                "pidfile=" + dir.resolve("turnserver.pid"), "log-file=" + dir.resolve("turnserver.log"),
                "simple-log"));
    }

    /** Writes the configuration and starts {@code launcher... -c file}; the process is turnserver itself. */
    private static Coturn launch(List<String> launcher, Path dir, List<String> lines, InetSocketAddress address,
            InetSocketAddress tlsAddress) throws IOException {
        Files.writeString(dir.resolve("turnserver.conf"), String.join("\n", lines) + "\n");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("-c", dir.resolve("turnserver.conf").toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .start();
        return new Coturn(process, dir, address, tlsAddress);
    }

    /**
     * Waits until coturn answers a STUN Binding request on UDP (RFC 8489 section 6: a 20-byte header,
     * no attributes) with a success response of the same transaction id. Written by hand, so that
     * this module needs no reactive-ice: the helper must not depend on the code it helps to test.
     */
    private void awaitStunAnswer() throws IOException {
        byte[] request = new byte[STUN_HEADER];
        ByteBuffer.wrap(request).putShort((short) 0x0001).putShort((short) 0).putInt(0x2112A442);
        byte[] transactionId = new byte[12];
        new SecureRandom().nextBytes(transactionId);
        System.arraycopy(transactionId, 0, request, 8, transactionId.length);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(STUN_ATTEMPT_MILLIS);
            byte[] answer = new byte[1500];
            for (int attempt = 0; attempt < STUN_ATTEMPTS; attempt++) {
                if (!process.isAlive()) {
                    throw new AssertionError("turnserver exited with " + process.exitValue() + "; see " + directory);
                }
                socket.send(new DatagramPacket(request, request.length, address));
                DatagramPacket received = new DatagramPacket(answer, answer.length);
                try {
                    socket.receive(received); // waits up to STUN_ATTEMPT_MILLIS for the answer
                } catch (SocketTimeoutException notYet) {
                    continue; // not listening yet: ask again
                }
                if (isSuccessTo(transactionId, received)) {
                    return;
                }
            }
        }
        throw new AssertionError("turnserver did not answer STUN on " + address + "; see " + directory);
    }

    private static boolean isSuccessTo(byte[] transactionId, DatagramPacket received) {
        ByteBuffer answer = ByteBuffer.wrap(received.getData(), received.getOffset(), received.getLength());
        if (answer.remaining() < STUN_HEADER || answer.getShort(0) != 0x0101 || answer.getInt(4) != 0x2112A442) {
            return false; // not a Binding success response
        }
        return Arrays.equals(transactionId, 0, 12, received.getData(), received.getOffset() + 8,
                received.getOffset() + STUN_HEADER);
    }

    /**
     * Waits until {@code turnutils_stunclient}, run in the namespace, gets coturn's Binding answer
     * (it exits 0 then). It sends one request and waits for ever, so each attempt is bounded and a
     * new one started; only the attempts' own processes are ended.
     */
    private void awaitStunAnswerIn(String namespace, Path client) throws IOException {
        List<String> command = List.of("ip", "netns", "exec", namespace, client.toString(), "-L",
                address.getAddress().getHostAddress(), "-p", Integer.toString(address.getPort()),
                address.getAddress().getHostAddress()); // bound to the lab address, never the wildcard
        for (int attempt = 0; attempt < NAMESPACE_ATTEMPTS; attempt++) {
            if (!process.isAlive()) {
                throw new AssertionError("turnserver exited with " + process.exitValue() + "; see " + directory);
            }
            Process probe = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stunclient.txt").toFile()).start();
            try {
                if (probe.waitFor(NAMESPACE_ATTEMPT_SECONDS, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                probe.destroyForcibly();
            }
        }
        throw new AssertionError("turnserver did not answer STUN on " + address + " in " + namespace + "; see "
                + directory);
    }

    /** Waits until coturn accepts TCP connections on the address (answering on UDP does not prove it). */
    private void awaitListening(InetSocketAddress at) {
        // polls on a Reactor timer, bounded: each attempt is a real TCP connect to 127.0.0.1
        Boolean up = Flux.interval(Duration.ZERO, Duration.ofMillis(50))
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
                .block(Duration.ofSeconds(30));
        if (up == null) {
            throw new AssertionError("coturn does not accept TCP connections on " + at + "; see " + directory);
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

    /** The STUN/TURN address, UDP and TCP. */
    public InetSocketAddress address() {
        return address;
    }

    /** The TLS listening address; only for {@link #startWithTls}. */
    public InetSocketAddress tlsAddress() {
        if (tlsAddress == null) {
            throw new IllegalStateException("coturn was started without TLS: use startWithTls()");
        }
        return tlsAddress;
    }

    /** The PEM file of coturn's self-signed certificate for 127.0.0.1; only for {@link #startWithTls}. */
    public Path certificateFile() {
        tlsAddress();
        return directory.resolve("cert.pem");
    }

    /** coturn's self-signed certificate; only for {@link #startWithTls}. */
    public X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(certificateFile())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory holding the configuration and logs. */
    public Path directory() {
        return directory;
    }

    /** coturn's log so far. */
    public String log() {
        try {
            return Files.readString(directory.resolve("turnserver.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Allocations alive now, by coturn's log: sessions logged as new minus those logged as deleted.
     * Needs {@code verbose} among the extra lines.
     */
    public long allocations() {
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

    /** A port free for both UDP and TCP on 127.0.0.1 right now. */
    public static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // the UDP port is in use: try another
                }
            }
        }
        throw new IOException("no free port on 127.0.0.1");
    }
}
