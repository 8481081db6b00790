package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Refresh and deletion against a coturn that logs its sessions and grants short lifetimes. */
class TurnLifecycleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static TunedCoturn coturn;

    @BeforeAll
    static void startCoturn() {
        coturn = TunedCoturn.start("verbose", "max-allocate-lifetime=5", "stale-nonce=2");
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    private static TurnRelayAllocator client() {
        return TurnRelayAllocator.create().localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static IceServer server() {
        return IceServer.parse("turn:127.0.0.1:" + coturn.address().getPort(), Coturn.USER, Coturn.PASSWORD);
    }

    // RFC 8656 section 8: a 5 s allocation is refreshed at 80%, 4 s after it was made (coturn's
    // max-allocate-lifetime caps the Allocate only; its Refresh answers 600 s)
    @Test
    void aShortAllocationIsRefreshedAtEightyPercentOfItsLifetime() {
        TurnRelay relay = client().open(server()).block(TIMEOUT);
        try {
            Duration took = StepVerifier.create(relay.events().filter(e -> e instanceof TurnEvent.Refreshed).next())
                    .expectNextMatches(e -> e instanceof TurnEvent.Refreshed)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(took).isBetween(Duration.ofMillis(3_900), Duration.ofMillis(6_000));
        } finally {
            relay.close().block(TIMEOUT);
        }
    }

    // RFC 8489 section 9.2.5: once coturn's 2 s nonce is stale, requests get 438 and are retried
    @Test
    void aStaleNonceIsRetriedWithTheNewOne() {
        TurnRelay relay = client().open(server()).block(TIMEOUT);
        try {
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            relay.permit(peer).block(TIMEOUT);
            // wait out the nonce on the server's clock (the refresh at 4 s would meet it as well)
            reactor.core.publisher.Mono.delay(Duration.ofMillis(2_500)).block(TIMEOUT);
            relay.permit(new InetSocketAddress("127.0.0.2", 9)).block(TIMEOUT);
            reactor.core.publisher.Flux.interval(Duration.ofMillis(100)) // coturn writes its log a little later
                    .takeUntil(x -> coturn.log().contains("error 438: Stale nonce")).blockLast(TIMEOUT);
            assertThat(coturn.log()).contains("error 438: Stale nonce");
        } finally {
            relay.close().block(TIMEOUT);
        }
    }

    // RFC 8656 section 8: close() deletes the allocation on the server (coturn logs lifetime=0)
    @Test
    void closingDeletesTheAllocationOnTheServer() {
        TurnRelay relay = client().open(server()).block(TIMEOUT);
        ConcurrentLinkedQueue<TurnEvent> events = new ConcurrentLinkedQueue<>();
        relay.events().subscribe(events::add);
        relay.close().block(TIMEOUT);
        assertThat(events).containsExactly(new TurnEvent.Deallocated());
        assertThat(coturn.log()).contains("refreshed, realm=<" + Coturn.REALM + ">, username=<alice>, lifetime=0");
        awaitNoAllocations(coturn);
    }

    /** coturn logs "new" for each allocation and "delete:" when one is gone; waits for as many of each. */
    static void awaitNoAllocations(TunedCoturn coturn) {
        reactor.core.publisher.Flux.interval(Duration.ofMillis(100))
                .takeUntil(x -> coturn.allocations() == 0).blockLast(TIMEOUT);
        assertThat(coturn.allocations()).isZero();
    }
}
