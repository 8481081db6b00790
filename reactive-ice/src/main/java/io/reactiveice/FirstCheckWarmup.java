package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.agent.CoreConfig;
import io.reactiveice.internal.agent.IceAgentCore;
import io.reactiveice.internal.agent.LocalCandidate;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.sdp.CandidateLine;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/**
 * Takes the one-time costs of a fresh JVM off the critical path of its first connection. The first
 * connectivity check (RFC 8445 section 7.2) of a JVM otherwise loads and links the STUN codec, the
 * HMAC-SHA1 of MESSAGE-INTEGRITY (javax.crypto), the agent core's classes and the bootstraps of its
 * records and lambdas, the parser of signalled candidate lines, and the first pooled buffer of
 * Netty's allocator (which in Netty 4.2 also sets up JFR's event metadata) while the peer's checks
 * wait; measured on loopback against aioice,
 * about two thirds of 130-160 ms from the remote credentials to connected.
 *
 * <p>So, once per JVM, when the first session starts, two throwaway agent cores run one whole
 * exchange of checks against each other in memory, each taking the other's candidate as an SDP line
 * the way a browser writes it, on virtual time (sans-IO: no socket, clock or thread of theirs; the
 * addresses are never bound and nothing reaches a network), and one buffer of
 * the default allocator is taken and released. It runs on the {@link Scheduler} given, never an
 * event loop, while the session gathers and the credentials are signalled. Its randomness is its
 * own and its credentials never leave it. A failure is logged at DEBUG and changes nothing.
 */
final class FirstCheckWarmup {
    private static final Logger log = LoggerFactory.getLogger(FirstCheckWarmup.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Far more rounds than one exchange on virtual time needs; a bound, not a schedule. */
    private static final int MAX_ROUNDS = 1_000;
    /** What browsers signal beside their UDP candidates; only parsed, never paired. */
    private static final String TCP_ACTIVE =
            "candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 ufrag warm network-id 1";

    private FirstCheckWarmup() {
    }

    /**
     * Schedules the warm-up on {@code scheduler}, the first time this is called in the JVM only.
     *
     * @param config the first session's core configuration (the role is set per side)
     * @param scheduler where it runs: a worker that may be busy for some milliseconds, no event loop
     * @return whether this call scheduled it
     */
    static boolean startOnce(CoreConfig config, Scheduler scheduler) {
        if (!STARTED.compareAndSet(false, true)) {
            return false;
        }
        try {
            scheduler.schedule(() -> {
                try {
                    boolean connected = run(config);
                    log.debug("first-check warm-up done (connected: {})", connected);
                } catch (RuntimeException | LinkageError e) {
                    log.debug("first-check warm-up failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) { // a scheduler shut down: the session starts without it
            log.debug("first-check warm-up not scheduled: {}", e.toString());
        }
        return true;
    }

    /**
     * Runs a controlling and a controlled core with one host candidate each through their checks
     * in memory, until both are connected, and allocates and releases one pooled buffer.
     *
     * @param config the core configuration both sides start from (lite is turned off)
     * @return whether both cores were connected (over the one pair) at the end
     */
    static boolean run(CoreConfig config) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(128);
        buf.release();
        SplittableRandom random = new SplittableRandom();
        CoreConfig full = config.withLite(false);
        IceAgentCore a = new IceAgentCore(full.withRole(IceRole.CONTROLLING), IceCredentials.generate(random), random);
        IceAgentCore b = new IceAgentCore(full.withRole(IceRole.CONTROLLED), IceCredentials.generate(random), random);
        LocalCandidate hostA = host(1);
        LocalCandidate hostB = host(2);
        long now = 0;
        a.addLocalCandidate(now, hostA);
        b.addLocalCandidate(now, hostB);
        a.localGatheringComplete(now);
        b.localGatheringComplete(now);
        a.setRemoteCredentials(now, b.credentials());
        b.setRemoteCredentials(now, a.credentials());
        a.addRemoteCandidate(now, signalled(hostB.candidate()));
        b.addRemoteCandidate(now, signalled(hostA.candidate()));
        signalled(TCP_ACTIVE);
        a.remoteEndOfCandidates(now);
        b.remoteEndOfCandidates(now);
        for (int round = 0; round < MAX_ROUNDS && !(connected(a) && connected(b)); round++) {
            a.handleTimeout(now);
            b.handleTimeout(now);
            while (deliver(now, a, b) | deliver(now, b, a)) {
                // until neither side has anything more to send at this instant
            }
            drainEvents(a);
            drainEvents(b);
            long next = Math.min(a.nextTimeout(), b.nextTimeout());
            if (next == Long.MAX_VALUE) {
                break;
            }
            now = Math.max(now, next);
        }
        boolean connected = connected(a) && connected(b);
        a.close();
        b.close();
        return connected;
    }

    private static boolean deliver(long now, IceAgentCore from, IceAgentCore to) {
        boolean any = false;
        Transmit t;
        while ((t = from.pollTransmit()) != null) {
            any = true;
            to.handleInput(now, Datagram.of(t.to(), t.from(), t.data()));
        }
        return any;
    }

    private static void drainEvents(IceAgentCore core) {
        while (core.pollEvent() != null) {
            // the events are what a session would report; here they only have to be made
        }
    }

    private static boolean connected(IceAgentCore core) {
        IceState s = core.state();
        return (s == IceState.CONNECTED || s == IceState.COMPLETED) && core.selectedPair() != null;
    }

    /**
     * The candidate as a browser signals it and a session reads it back: an SDP line with a
     * browser's extension attributes (RFC 8839 section 5.1), parsed and checked to be unicast as
     * {@code IceSession.addRemoteCandidate(String)} does, so that the parser's classes load here
     * rather than on the first remote candidate.
     */
    private static IceCandidate signalled(IceCandidate candidate) {
        return signalled(CandidateLine.format(candidate) + " generation 0 ufrag warm network-id 1");
    }

    private static IceCandidate signalled(String line) {
        return UnicastAddress.requireUnicast(CandidateLine.parse(line));
    }

    /** A host candidate on 127.0.0.1 that no socket has: the core only ever sees it as a value. */
    private static LocalCandidate host(int port) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        long priority = CandidatePriority.of(CandidateType.HOST.typePreference(), 65_535, 1);
        return new LocalCandidate(IceCandidate.udp("w" + port, 1, priority, address, CandidateType.HOST), address);
    }
}
