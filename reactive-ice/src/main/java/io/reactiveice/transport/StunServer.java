package io.reactiveice.transport;

import io.reactiveice.stun.BindingResponder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.netty.udp.UdpServer;

/**
 * The immutable configuration of an embedded STUN server: a Binding responder over Reactor Netty
 * UDP, IPv4 or IPv6 (RFC 8489 section 6.3). One line starts it:
 *
 * <pre>{@code
 * StunServerHandle server = StunServer.create().bindAddress(new InetSocketAddress("127.0.0.1", 0)).bindNow();
 * }</pre>
 *
 * It answers Binding requests with XOR-MAPPED-ADDRESS and FINGERPRINT, answers 400/420 where RFC
 * 8489 says so, and drops and counts everything else without stopping; see {@link BindingResponder}.
 */
public final class StunServer {
    private final InetSocketAddress bindAddress;
    private final String software;
    private final String username;
    private final String password;

    private StunServer(InetSocketAddress bindAddress, String software, String username, String password) {
        this.bindAddress = bindAddress;
        this.software = software;
        this.username = username;
        this.password = password;
    }

    /** A server on 127.0.0.1, ephemeral port, SOFTWARE "reactive-ice", no authentication. */
    public static StunServer create() {
        return new StunServer(new InetSocketAddress("127.0.0.1", 0), "reactive-ice", null, null);
    }

    /** The address and port to listen on (e.g. {@code [::1]:3478}; port 0 picks one). */
    public StunServer bindAddress(InetSocketAddress bindAddress) {
        return new StunServer(Objects.requireNonNull(bindAddress, "bindAddress"), software, username, password);
    }

    /** The SOFTWARE attribute of every response, or {@code null} for none. */
    public StunServer software(String software) {
        return new StunServer(bindAddress, software, username, password);
    }

    /**
     * Requires the short-term credential on every request (RFC 8489 section 9.1): USERNAME must be
     * {@code username} and MESSAGE-INTEGRITY must verify under {@code password}.
     */
    public StunServer shortTermCredential(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        return new StunServer(bindAddress, software, username, password);
    }

    /** Binds; the server answers once the Mono completes, until the handle is disposed. */
    public Mono<StunServerHandle> bind() {
        return Mono.defer(() -> {
            BindingResponder responder = new BindingResponder(software, username, password);
            return UdpServer.create()
                    .bindAddress(() -> bindAddress)
                    .handle((in, out) -> out.sendObject(in.receiveObject().mapNotNull(new BindingHandler(responder))))
                    .bind()
                    .map(connection -> new StunServerHandle(connection, responder));
        });
    }

    /** Binds and waits up to 10 s; for demos, tests and a service's start-up, never on an event loop. */
    public StunServerHandle bindNow() {
        return bind().block(Duration.ofSeconds(10));
    }
}
