package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.CoturnExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Refresh and deletion against a coturn that logs its sessions and grants short lifetimes. */
class TurnLifecycleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    @RegisterExtension
    static final CoturnExtension COTURN = CoturnExtension.start("verbose", "max-allocate-lifetime=5", "stale-nonce=2");


    private static TurnRelayAllocator client() {
        return TurnRelayAllocator.create().localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static IceServer server() {
        return IceServer.parse("turn:127.0.0.1:" + COTURN.get().address().getPort(), Coturn.USER, Coturn.PASSWORD);
    }

    // RFC 8656 section 8: a 5 s allocation is refreshed before it ends, and coturn accepts the refresh
    // (its max-allocate-lifetime caps the Allocate only; the Refresh answers 600 s). The instant, 80%
    // of the lifetime, is asserted in virtual time in TurnAllocationTest, not on this wall clock.
    @Test
    void aShortAllocationIsRefreshedBeforeItEnds() {
        TurnRelay relay = client().open(server()).block(TIMEOUT);
        try {
            StepVerifier.create(relay.events().filter(e -> e instanceof TurnEvent.Refreshed).next())
                    .expectNextMatches(e -> ((TurnEvent.Refreshed) e).lifetime().compareTo(Duration.ofSeconds(5)) > 0)
                    .expectComplete()
                    .verify(TIMEOUT);
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
            // new permissions, one after the other, until coturn has called one stale (its nonce lives
            // 2 s on its own clock) and every one of them still succeeded
            Flux.range(2, 250)
                    .concatMap(i -> relay.permit(new InetSocketAddress("127.0.0." + i, 9))
                            .then(Mono.delay(Duration.ofMillis(50))))
                    .takeUntil(x -> COTURN.get().log().contains("error 438: Stale nonce"))
                    .blockLast(TIMEOUT);
            assertThat(COTURN.get().log()).contains("error 438: Stale nonce");
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
        assertThat(COTURN.get().log()).contains("refreshed, realm=<" + Coturn.REALM + ">, username=<alice>, lifetime=0");
        awaitNoAllocations(COTURN.get());
    }

    /** coturn logs "new" for each allocation and "delete:" when one is gone; waits for as many of each. */
    static void awaitNoAllocations(Coturn coturn) {
        Flux.interval(Duration.ofMillis(100))
                .takeUntil(x -> coturn.allocations() == 0).blockLast(TIMEOUT);
        assertThat(coturn.allocations()).isZero();
    }
}
