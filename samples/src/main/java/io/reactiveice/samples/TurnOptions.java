package io.reactiveice.samples;

import io.reactiveice.IceServer;
import io.reactiveice.samples.PeerOptions.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The TURN options of the peer's command line as they come ({@code --turn}, {@code --turn-user},
 * {@code --turn-pass}, {@code --turn-transport}, {@code --turn-ca}), checked together once all are
 * read: which of them need which, and what each may hold. The password is never part of a message.
 */
final class TurnOptions {
    static final List<String> OPTIONS = List.of("--turn", "--turn-user", "--turn-pass", "--turn-transport",
            "--turn-ca");

    private String hostPort;
    private String user;
    private String pass;
    private String transport; // null: udp
    private String ca;

    /** Takes one of {@link #OPTIONS} with its value. */
    void option(String option, String value) throws UsageException {
        switch (option) {
            case "--turn" -> {
                if (hostPort != null) {
                    throw new UsageException("--turn can be given once (one TURN server) but was given twice");
                }
                hostPort = value;
            }
            case "--turn-user" -> user = value;
            case "--turn-pass" -> pass = value;
            case "--turn-transport" -> {
                if (!List.of("udp", "tcp", "tls").contains(value)) {
                    throw new UsageException("--turn-transport must be udp, tcp or tls but was " + value);
                }
                transport = value;
            }
            case "--turn-ca" -> ca = value;
            default -> throw new IllegalArgumentException(option);
        }
    }

    /** Whether {@code --turn} was given. */
    boolean present() {
        return hostPort != null;
    }

    /**
     * The TURN server: {@code turn:} for udp, {@code turn:...?transport=tcp} for tcp, {@code turns:} for tls.
     *
     * @return the server, or {@code null} without {@code --turn}
     * @throws UsageException for a TURN option without {@code --turn}, missing credentials or a bad address
     */
    IceServer server() throws UsageException {
        if (hostPort == null) {
            for (String[] given : new String[][] {{"--turn-user", user}, {"--turn-pass", pass}, {"--turn-ca", ca},
                {"--turn-transport", transport}}) {
                if (given[1] != null) {
                    throw new UsageException(given[0] + " needs --turn HOST:PORT");
                }
            }
            return null;
        }
        if (user == null || pass == null) {
            throw new UsageException("--turn needs " + (user == null ? "--turn-user U" : "--turn-pass P")
                    + " (TURN servers take long-term credentials)");
        }
        String t = transport == null ? "udp" : transport;
        if (ca != null && !"tls".equals(t)) {
            throw new UsageException("--turn-ca needs --turn-transport tls but the transport is " + t);
        }
        String uri = switch (t) {
            case "tcp" -> "turn:" + hostPort + "?transport=tcp";
            case "tls" -> "turns:" + hostPort;
            default -> "turn:" + hostPort;
        };
        try {
            return IceServer.parse(uri, user, pass);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--turn must be HOST:PORT but was " + hostPort + " (" + e.getMessage() + ")");
        }
    }

    /**
     * The certificates of {@code --turn-ca}, read now so that a bad file fails before anything starts.
     *
     * @return the certificates, or none when the JDK's trust store is to be used
     */
    List<X509Certificate> certificates() throws UsageException {
        if (ca == null) {
            return List.of();
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(Path.of(ca))) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
        } catch (IOException | RuntimeException e) {
            throw new UsageException("--turn-ca cannot read " + ca + ": " + e);
        } catch (CertificateException e) {
            throw new UsageException("--turn-ca " + ca + " is not a PEM certificate: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new UsageException("--turn-ca " + ca + " holds no certificate");
        }
        return List.copyOf(certificates);
    }
}
