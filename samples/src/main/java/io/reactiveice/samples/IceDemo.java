package io.reactiveice.samples;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceAgent;
import io.reactiveice.IceConnection;
import io.reactiveice.IceServer;
import io.reactiveice.IceSession;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.transport.StunServer;
import io.reactiveice.transport.StunServerHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The README demo: two ICE agents, alice (controlling) and bob (controlled), in one JVM on
 * 127.0.0.1, with the embedded STUN server as their {@code iceServers}. It prints every gathered
 * candidate, every state change and the selected pair, sends a few messages from alice that bob
 * echoes, prints their round-trip times, and closes everything. Needs no network beyond loopback.
 */
public final class IceDemo {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private IceDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: the number of messages (default 5)
     */
    public static void main(String[] args) {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StunServerHandle stun = StunServer.create().bindNow();
        System.out.printf("STUN server listening on %s%n", format(stun.address()));
        IceAgent agent = IceAgent.create()
                .hostAddresses(List.of(InetAddress.getLoopbackAddress()))
                .iceServers(List.of(IceServer.parse("stun:" + format(stun.address()))));
        Mono.zip(agent.role(IceRole.CONTROLLING).start(), agent.role(IceRole.CONTROLLED).start())
                .timeout(TIMEOUT)
                .flatMap(sessions -> demo(sessions.getT1(), sessions.getT2(), messages, stun))
                .doFinally(signal -> stun.dispose())
                .block(); // the demo's one wait, on its main thread
        System.out.println("closed; bye");
    }

    /** Signals, connects, exchanges the messages and closes both sessions, whatever happened. */
    private static Mono<Void> demo(IceSession alice, IceSession bob, int messages, StunServerHandle stun) {
        Disposable.Composite watching = Disposables.composite(watch("alice", alice), watch("bob", bob));
        return Mono.defer(() -> {
                    signal(alice, bob);
                    signal(bob, alice);
                    return Mono.zip(connected(alice), connected(bob)).timeout(TIMEOUT);
                })
                .flatMap(c -> exchange(c.getT1(), c.getT2(), messages))
                .then(Mono.fromRunnable(() -> System.out.printf("the STUN server answered %d Binding request(s) while"
                        + " gathering (on loopback the reflexive address is the host address, so no srflx candidate)%n",
                        stun.received() - stun.dropped())))
                .onErrorResume(e -> close(alice, bob).then(Mono.error(e)))
                .then(close(alice, bob))
                .doFinally(signal -> watching.dispose());
    }

    /** Prints what a session does: candidates as gathered, state changes, the selected pair. */
    private static Disposable watch(String name, IceSession session) {
        String tag = String.format("%-5s", name);
        AtomicInteger count = new AtomicInteger();
        return Disposables.composite(
                session.localCandidates().subscribe(c -> {
                    count.incrementAndGet();
                    System.out.printf("%s candidate %s%n", tag, CandidateLine.format(c));
                }, e -> System.out.printf("%s gathering failed: %s%n", tag, e), () -> System.out.printf(
                        "%s gathering complete: %d candidate(s)%n", tag, count.get())),
                session.states().subscribe(s -> System.out.printf("%s state %s%n", tag, s)),
                session.selectedPairs().subscribe(p -> System.out.printf("%s selected pair %s %s <-> %s %s%n", tag,
                        p.local().type().token(), format(p.base()), p.remote().type().token(), format(p.remoteAddress()))));
    }

    /** The signalling channel, in-process: credentials, then every candidate as trickled, then end-of-candidates. */
    private static void signal(IceSession from, IceSession to) {
        to.setRemoteCredentials(from.localCredentials());
        from.localCandidates().subscribe((IceCandidate c) -> to.addRemoteCandidate(c), e -> { }, to::remoteEndOfCandidates);
    }

    /** The connection once the session can send: a pair is selected and the state says so. */
    private static Mono<IceConnection> connected(IceSession session) {
        return session.states().filter(IceState::canSend).next().then(session.connect());
    }

    /**
     * Bob echoes every datagram; alice sends message 1, and each echo that comes back triggers the
     * next one, so every round trip is measured alone.
     */
    private static Mono<Void> exchange(IceConnection alice, IceConnection bob, int n) {
        return Mono.defer(() -> {
            Disposable echo = bob.send(bob.receive()).subscribe(); // send() releases what receive() gave
            AtomicLongArray sentAt = new AtomicLongArray(n + 1); // written and read on different threads
            Mono<Void> replies = alice.receive()
                    .map(IceDemo::text)
                    .take(n)
                    .concatMap(reply -> {
                        int seq = Integer.parseInt(reply.split(" ")[1]);
                        System.out.printf("round trip #%d: \"%s\" came back in %.3f ms%n", seq, reply,
                                (System.nanoTime() - sentAt.get(seq)) / 1e6);
                        return seq < n ? say(alice, seq + 1, sentAt) : Mono.empty();
                    })
                    .then();
            return Mono.when(replies, say(alice, 1, sentAt)).timeout(TIMEOUT)
                    .doOnSuccess(v -> System.out.printf("alice sent %d message(s), bob echoed all of them%n", n))
                    .doFinally(signal -> echo.dispose());
        });
    }

    private static Mono<Void> say(IceConnection alice, int seq, AtomicLongArray sentAt) {
        return alice.send(Mono.fromCallable(() -> {
            sentAt.set(seq, System.nanoTime());
            return Unpooled.copiedBuffer("hello " + seq, StandardCharsets.US_ASCII);
        }));
    }

    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.US_ASCII);
        } finally {
            buf.release();
        }
    }

    /** Closes both sessions; completes when each is fully closed (or after the timeout). */
    private static Mono<Void> close(IceSession... sessions) {
        return Flux.fromArray(sessions).flatMap(IceSession::close).then().timeout(TIMEOUT)
                .onErrorResume(e -> Mono.empty());
    }

    private static String format(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
