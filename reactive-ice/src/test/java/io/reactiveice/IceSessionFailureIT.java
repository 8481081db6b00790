package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceFailureReason;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.PairFailure;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Why a session over real UDP sockets on loopback failed. The protocol's own waits (a check's 39.5 s
 * timeout) run on a virtual clock that the test advances, while every datagram goes through the
 * kernel; consent loss runs on the real clock with a 2 s consent timeout, and the test waits for the
 * failure it expects, however long the machine takes.
 */
class IceSessionFailureIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final IceCredentials PEER = new IceCredentials("peer", "peerpassword0000000000000");

    private static IceSession startOn(VirtualTimeScheduler clock) throws Exception {
        IceSession s = IceAgent.create().role(IceRole.CONTROLLING).scheduler(clock)
                .hostAddresses(List.of(InetAddress.getByName("127.0.0.1"))).start().block(TIMEOUT);
        s.localCandidates().blockLast(TIMEOUT); // gathering complete: end-of-candidates on our side
        return s;
    }

    private static IceFailureReason failureAfter(IceSession s, VirtualTimeScheduler clock, Duration wait) {
        AtomicReference<IceFailureReason> reason = new AtomicReference<>();
        s.failure().subscribe(reason::set);
        clock.advanceTimeBy(wait);
        return reason.get();
    }

    @Test
    void aPeerThatEndsItsCandidatesWithoutOneFailsTheSessionWithNoRemoteCandidates() throws Exception {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        IceSession s = startOn(clock);
        try {
            s.setRemoteCredentials(PEER);
            s.remoteEndOfCandidates();
            assertThat(failureAfter(s, clock, Duration.ofMillis(39_499))).isNull();
            clock.advanceTimeBy(Duration.ofMillis(1));

            assertThat(s.failureReason()).contains(new IceFailureReason.NoRemoteCandidates());
            assertThat(s.failureReason().get().code()).isEqualTo("no-remote-candidates");
        } finally {
            s.dispose();
            clock.advanceTimeBy(Duration.ofSeconds(1));
            clock.dispose();
        }
    }

    /** A socket on 127.0.0.1 that receives our checks and never answers: every check times out. */
    @Test
    void checksToAPortNobodyAnswersFailWithNoResponseAfterSevenChecks() throws Exception {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            IceSession s = startOn(clock);
            try {
                InetSocketAddress nobody = (InetSocketAddress) silent.getLocalSocketAddress();
                s.setRemoteCredentials(PEER);
                s.addRemoteCandidate(IceCandidate.udp("1", 1, 2_130_706_431L, nobody, CandidateType.HOST));
                s.remoteEndOfCandidates();
                IceFailureReason reason = failureAfter(s, clock, Duration.ofSeconds(40));

                assertThat(reason).isInstanceOf(IceFailureReason.ChecksFailed.class);
                assertThat(reason.pairs()).singleElement().satisfies(p -> {
                    assertThat(p.pair().remoteAddress()).isEqualTo(nobody);
                    assertThat(p.cause()).isEqualTo(new PairFailure.NoResponse(7));
                });
                assertThat(reason.message()).isEqualTo("checks failed on 1 pair: 1 no response after 7 checks");
            } finally {
                s.dispose();
                clock.advanceTimeBy(Duration.ofSeconds(1));
                clock.dispose();
            }
        }
    }

    /** RFC 7675 section 5.1: the peer goes away; 2 s (the configured consent timeout) later consent is lost. */
    @Test
    void aPeerThatGoesAwayFailsTheSessionWithConsentLost() {
        Duration timeout = Duration.ofSeconds(2);
        try (IcePeers p = new IcePeers(c -> c.consent(Duration.ofMillis(200), timeout, Duration.ofSeconds(1)),
                c -> c).signal()) {
            p.a.connect().block(TIMEOUT);
            p.b.connect().block(TIMEOUT);
            p.b.dispose();
            IceFailureReason reason = p.a.failure().block(TIMEOUT);

            assertThat(reason).isInstanceOfSatisfying(IceFailureReason.ConsentLost.class, lost -> {
                assertThat(lost.code()).isEqualTo("consent-lost");
                assertThat(lost.after()).isGreaterThanOrEqualTo(timeout);
                assertThat(lost.pair().base()).isEqualTo(p.a.selectedPair().base());
            });
            assertThat(p.a.connect().map(c -> "connected").onErrorResume(e -> reactor.core.publisher.Mono.just(e.getMessage()))
                    .block(TIMEOUT)).isEqualTo("connected"); // a pair was selected: connect() still completes
        }
    }
}
