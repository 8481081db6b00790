package io.reactiveice.internal.turn;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.reactiveice.stun.RetransmissionSchedule;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * How allocations over TCP and TLS are made: the reliable retransmission schedule (RFC 8489
 * section 6.2.2) and the TLS client context, which verifies the server's certificate against the
 * JDK's trust store unless certificates to trust were given.
 */
public record TurnStreams(RetransmissionSchedule schedule, SslContext ssl) {
    public static final TurnStreams DEFAULT = new TurnStreams(RetransmissionSchedule.RELIABLE_DEFAULT, null);

    /** The TLS context; the default one, built on first use, verifies against the JDK's trust store. */
    @Override
    public SslContext ssl() {
        return ssl != null ? ssl : build(SslContextBuilder.forClient());
    }

    public TurnStreams schedule(RetransmissionSchedule schedule) {
        return new TurnStreams(schedule, ssl);
    }

    public TurnStreams trusting(X509Certificate... certificates) {
        Objects.requireNonNull(certificates, "certificates");
        if (certificates.length == 0) {
            throw new IllegalArgumentException("certificates must hold at least one but was empty");
        }
        for (X509Certificate c : certificates) {
            Objects.requireNonNull(c, "certificate");
        }
        return new TurnStreams(schedule, build(SslContextBuilder.forClient().trustManager(certificates)));
    }

    private static SslContext build(SslContextBuilder builder) {
        try {
            // RFC 8656 section 3.1 / RFC 6125: the certificate must name the server, not only chain up
            return builder.endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context: " + e.getMessage(), e);
        }
    }
}
