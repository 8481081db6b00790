package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceState;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A {@link SharedUdpPort} on an in-process network in virtual time, every source on 127.0.0.1 as
 * behind one carrier-grade NAT: what a flooder from the peer's own IP address can and cannot take
 * from it, and how many routes an authenticated peer can make it hold. The rate limit reads a clock
 * of its own that stands still, so that a drained bucket never refills.
 */
class SharedUdpPortFloodTest {
    private static final long MS = 1_000_000L;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final SplittableRandom IDS = new SplittableRandom(7);
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final VirtualTimeScheduler frozen = VirtualTimeScheduler.create();
    private final List<Disposable> cleanup = new ArrayList<>();

    @AfterEach
    void dispose() {
        cleanup.forEach(Disposable::dispose);
        clock.advanceTimeBy(Duration.ofSeconds(1));
        clock.dispose();
        frozen.dispose();
    }

    // RFC 8445 section 7.3: an authenticated check is answered; only what fails authentication is rate limited.
    @Test
    void aFloodFromThePeersOwnIpAddressNeitherRateLimitsNorDelaysItsAuthenticChecks() {
        long calm = connectTime(false);
        long flooded = connectTime(true);
        assertThat(flooded).as("virtual ms from the peer's start to COMPLETED, with and without a flood")
                .isEqualTo(calm);
    }

    /**
     * Starts a lite session on a shared port and a full agent driving it from 127.0.0.1; with a flood,
     * a flooder on 127.0.0.1 sends forged checks for the lite session's ufrag and checks for unknown
     * ufrags every millisecond, from 100 ms before the agent starts until after it has connected.
     *
     * @return the virtual milliseconds from the agent's start to its COMPLETED state
     */
    private long connectTime(boolean flood) {
        InMemoryNetwork net = new InMemoryNetwork(clock, MS);
        SharedUdpPort port = port(net);
        IceSession lite = start(IceAgent.create().lite(true).sharedPort(port).scheduler(clock)
                .random(new SplittableRandom(1)));
        String ufrag = lite.localCredentials().ufrag();
        AtomicLong forged = new AtomicLong();
        Disposable flooding = () -> { };
        if (flood) {
            PacketSocket flooder = bind(net, 6_000);
            flooding = clock.schedulePeriodically(() -> {
                flooder.send(check(ufrag + ":evil", "not-the-password-at-all-x"), port.localAddress());
                forged.incrementAndGet();
                flooder.send(check("nope:evil", "whatever-password-xxxxx"), port.localAddress());
            }, 0, 1, TimeUnit.MILLISECONDS);
            clock.advanceTimeBy(Duration.ofMillis(100));
            assertThat(port.rateLimited()).as("the flooder's IP address has no tokens left").isPositive();
        }
        long started = clock.now(TimeUnit.MILLISECONDS);
        IceSession full = start(IceAgent.create().hostAddresses(List.of(LOOPBACK)).packetTransport(net)
                .scheduler(clock).random(new SplittableRandom(2)));
        full.setRemoteParameters(lite.localParameters());
        lite.setRemoteParameters(full.localParameters());
        lite.localCandidates().doOnComplete(full::remoteEndOfCandidates).subscribe(full::addRemoteCandidate);
        full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
        long[] completedAt = {-1};
        full.states().filter(s -> s == IceState.COMPLETED).subscribe(s -> completedAt[0] = clock.now(TimeUnit.MILLISECONDS));
        for (int ms = 0; ms < 5_000 && completedAt[0] < 0; ms++) {
            clock.advanceTimeBy(Duration.ofMillis(1));
        }
        assertThat(completedAt[0]).as("the agent completed").isNotNegative();
        assertThat(lite.selectedPair()).isNotNull();
        if (flood) {
            long limited = port.rateLimited();
            clock.advanceTimeBy(Duration.ofMillis(10));
            assertThat(port.rateLimited()).as("the flood goes on after the agent connected").isGreaterThan(limited);
            flooding.dispose();
            clock.advanceTimeBy(Duration.ofMillis(5));
            // every rate-limited request was the flooder's: its forged checks beyond the 10 tokens
            assertThat(port.rateLimited()).isEqualTo(forged.get() - 10);
            assertThat(port.unknownUfrag()).isEqualTo(forged.get());
        }
        assertThat(port.authenticated()).as("the agent's checks, all authenticated").isPositive();
        full.dispose();
        lite.dispose();
        return completedAt[0] - started;
    }

    // RFC 8445 section 7.3.1.3: each source of an authentic check is a peer-reflexive candidate; the
    // port routes no more of them per session than the session keeps remote candidates, and the ones
    // the session keeps (a lite agent's valid pairs) are never forgotten for newer ones.
    @Test
    void authenticChecksFromEverNewPortsKeepOnlyTheRoutesOfTheSessionsRemoteCandidates() {
        InMemoryNetwork net = new InMemoryNetwork(clock, MS);
        SharedUdpPort port = port(net);
        IceSession lite = start(IceAgent.create().lite(true).limits(100, 5).sharedPort(port).scheduler(clock)
                .random(new SplittableRandom(1)));
        IceCredentials local = lite.localCredentials();
        AtomicLong answered = new AtomicLong();
        List<PacketSocket> peers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            PacketSocket peer = net.bind(new InetSocketAddress(LOOPBACK, 7_000 + i),
                    (data, sender) -> answered.incrementAndGet()).block();
            cleanup.add(peer);
            peers.add(peer);
            peer.send(check(local.ufrag() + ":peer", local.pwd()), port.localAddress());
            clock.advanceTimeBy(Duration.ofMillis(5));
        }
        assertThat(port.authenticated()).isEqualTo(20);
        assertThat(answered.get()).as("every authentic check answered").isEqualTo(20);
        assertThat(port.routedRemotes()).isEqualTo(5);

        for (int i = 0; i < 5; i++) {
            peers.get(i).send(ascii("from a remote candidate"), port.localAddress());
        }
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(port.unroutable()).as("the five remote candidates' routes are kept").isZero();
        for (int i = 15; i < 20; i++) {
            peers.get(i).send(ascii("from beyond the limit"), port.localAddress());
        }
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(port.unroutable()).as("the routes beyond the limit are forgotten").isEqualTo(5);

        lite.dispose();
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(port.routedRemotes()).isZero();
        assertThat(port.routedUfrags()).isZero();
    }

    // Authentic checks (replayed, or the peer's own from new ports) answered beyond the route limit
    // must not evict the route of the selected pair, the first one the session learned.
    @Test
    void authenticChecksFromManyPortsDoNotMakeTheSelectedPairsDataUnroutable() {
        InMemoryNetwork net = new InMemoryNetwork(clock, MS);
        SharedUdpPort port = port(net);
        IceSession lite = start(IceAgent.create().lite(true).limits(100, 5).sharedPort(port).scheduler(clock)
                .random(new SplittableRandom(1)));
        IceSession full = start(IceAgent.create().hostAddresses(List.of(LOOPBACK)).packetTransport(net)
                .scheduler(clock).random(new SplittableRandom(2)));
        full.setRemoteParameters(lite.localParameters());
        lite.setRemoteParameters(full.localParameters());
        lite.localCandidates().doOnComplete(full::remoteEndOfCandidates).subscribe(full::addRemoteCandidate);
        full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
        clock.advanceTimeBy(Duration.ofMillis(500));
        assertThat(lite.selectedPair()).isNotNull();
        IceConnection atLite = lite.connect().block(Duration.ofSeconds(1));
        IceConnection atFull = full.connect().block(Duration.ofSeconds(1));
        List<String> got = new CopyOnWriteArrayList<>();
        cleanup.add(atLite.receive().subscribe(b -> {
            got.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }));
        IceCredentials local = lite.localCredentials();
        for (int i = 0; i < 20; i++) {
            bind(net, 7_000 + i).send(check(local.ufrag() + ":" + full.localCredentials().ufrag(), local.pwd()),
                    port.localAddress());
            clock.advanceTimeBy(Duration.ofMillis(5));
        }
        assertThat(port.routedRemotes()).isEqualTo(5);

        atFull.send(Flux.just(ascii("on the selected pair"))).subscribe();
        clock.advanceTimeBy(Duration.ofMillis(5));
        assertThat(got).containsExactly("on the selected pair");
        assertThat(port.unroutable()).isZero();
    }

    private SharedUdpPort port(InMemoryNetwork net) {
        SharedUdpPort[] out = new SharedUdpPort[1];
        SharedUdpPort.create().bindAddress(new InetSocketAddress(LOOPBACK, 3478)).transport(net).clock(frozen)
                .errorRateLimit(10, 10).bind().subscribe(p -> out[0] = p);
        assertThat(out[0]).isNotNull();
        cleanup.add(out[0]);
        return out[0];
    }

    private PacketSocket bind(InMemoryNetwork net, int port) {
        PacketSocket s = net.bind(new InetSocketAddress(LOOPBACK, port), (data, sender) -> { }).block();
        cleanup.add(s);
        return s;
    }

    private IceSession start(IceAgent agent) {
        IceSession[] out = new IceSession[1];
        agent.start().subscribe(s -> out[0] = s);
        clock.advanceTime();
        assertThat(out[0]).as("session started").isNotNull();
        cleanup.add(out[0]);
        return out[0];
    }

    static ByteBuf check(String username, String password) {
        ByteBuffer out = ByteBuffer.allocate(300);
        StunMessageWriter w = new StunMessageWriter().begin(out, StunMethod.BINDING, StunClass.REQUEST,
                TransactionId.random(IDS));
        w.put(new StunAttribute.Username(username));
        w.put(new StunAttribute.IceControlling(1));
        w.put(new StunAttribute.Priority(1));
        w.putMessageIntegrity(IntegrityKey.shortTerm(password));
        w.putFingerprint();
        int n = w.finish();
        return Unpooled.wrappedBuffer(out.array(), 0, n);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
