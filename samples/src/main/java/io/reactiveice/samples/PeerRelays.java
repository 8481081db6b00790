package io.reactiveice.samples;

import io.reactiveice.RelayAllocator;
import io.reactiveice.turn.TurnRelayAllocator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The peer's TURN client ({@link TurnRelayAllocator}) as the agent's {@link RelayAllocator}, keeping
 * every allocation it made so that the peer can wait, before the JVM exits, until the server has
 * deleted them: disposing the session only starts the deletion, and an allocation that is never
 * deleted holds a relayed port on the server until its lifetime ends (600 s on coturn).
 */
final class PeerRelays {
    private static final Logger log = LoggerFactory.getLogger(PeerRelays.class);

    private final List<RelayAllocator.RelayedSocket> opened = new CopyOnWriteArrayList<>();

    /**
     * The allocator to give the agent.
     *
     * @param trusted the certificates to check a TLS server against; empty for the JDK's trust store
     */
    RelayAllocator allocator(List<X509Certificate> trusted) {
        TurnRelayAllocator configured = TurnRelayAllocator.create();
        TurnRelayAllocator turn = trusted.isEmpty() ? configured
                : configured.trustedCertificates(trusted.toArray(X509Certificate[]::new));
        return (server, receiver) -> turn.allocate(server, receiver).doOnNext(opened::add);
    }

    /**
     * Deletes every allocation made (idempotent after the session disposed them); completes when the
     * servers confirmed or {@code timeout} passed.
     */
    Mono<Void> deallocated(Duration timeout) {
        return Flux.fromIterable(opened).flatMap(RelayAllocator.RelayedSocket::close).then().timeout(timeout)
                .onErrorResume(e -> {
                    log.warn("TURN allocations not confirmed deleted: {}", e.toString());
                    return Mono.empty();
                });
    }
}
