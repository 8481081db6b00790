package io.reactiveice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceFailedException;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Failure reasons have stable short names and read well for a human. */
class IceFailureReasonTest {
    private static final Pattern SHORT_NAME = Pattern.compile("[a-z]+(-[a-z]+)*");

    @Test
    void everyKindHasADistinctLowerCaseShortName() {
        List<String> codes = Arrays.stream(IceFailureKind.values()).map(IceFailureKind::code).toList();
        assertThat(codes).allMatch(c -> SHORT_NAME.matcher(c).matches()).doesNotHaveDuplicates();
        assertThat(codes).contains("no-remote-candidates", "no-remote-credentials", "no-local-candidates",
                "checks-failed", "consent-lost", "closed", "gathering-failed");
        assertThat(IceFailureKind.codeOf(null)).isEqualTo("none");
        assertThat(IceFailureKind.codeOf(new IceFailureReason.NoRemoteCandidates())).isEqualTo("no-remote-candidates");
    }

    @Test
    void checksFailedSummarisesPairsByCause() {
        CandidatePair a = pair(5000);
        CandidatePair b = pair(5001);
        CandidatePair c = pair(5002);
        IceFailureReason reason = new IceFailureReason.ChecksFailed(List.of(
                new PairFailure(a, new PairFailure.NoResponse(7)),
                new PairFailure(b, new PairFailure.ErrorResponse(401, "Unauthorized")),
                new PairFailure(c, new PairFailure.NoResponse(7))),
                List.of(new GatheringError("stun:127.0.0.1:3478", 0, "timeout after 7 requests")));
        assertThat(reason.code()).isEqualTo("checks-failed");
        assertThat(reason.message()).isEqualTo("checks failed on 3 pairs: 2 no response after 7 checks, 1 error 401;"
                + " gathering errors: stun:127.0.0.1:3478: timeout after 7 requests");
        assertThat(reason.pairs()).extracting(p -> p.cause().code())
                .containsExactly("no-response", "error-response", "no-response");
    }

    @Test
    void consentLostSaysAfterHowLongOnWhichPair() {
        IceFailureReason reason = new IceFailureReason.ConsentLost(pair(5000), Duration.ofMillis(30_000));
        assertThat(reason.message()).startsWith("consent lost after 30 s on host /127.0.0.1:4000 <-> host /127.0.0.1:5000");
        assertThat(reason.pairs()).singleElement().extracting(p -> p.cause().code()).isEqualTo("consent-lost");
        assertThat(new PairFailure.ConsentLost(Duration.ofMillis(7500)).description()).isEqualTo("consent lost after 7.5 s");
    }

    @Test
    void exceptionCarriesTheReasonAndTheOldConstructorStillWorks() {
        IceFailedException typed = new IceFailedException("ICE FAILED", new IceFailureReason.NoRemoteCredentials());
        assertThat(typed).hasMessage("ICE FAILED: no remote credentials");
        assertThat(typed.reason()).containsInstanceOf(IceFailureReason.NoRemoteCredentials.class);
        IceFailedException plain = new IceFailedException("cannot send");
        assertThat(plain).hasMessage("cannot send");
        assertThat(plain.reason()).isEmpty();
    }

    private static CandidatePair pair(int remotePort) {
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 4000);
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", remotePort);
        return new CandidatePair(host(local), local, host(remote), remote, 1);
    }

    private static IceCandidate host(InetSocketAddress address) {
        return IceCandidate.udp("1", 1, 100, address, CandidateType.HOST);
    }

    @Test
    void aStateChangeOtherThanFailedIsSharedPerStateAndFailedNeedsAReason() {
        assertThat(IceStateChange.of(IceState.COMPLETED)).isSameAs(IceStateChange.of(IceState.COMPLETED))
                .isEqualTo(new IceStateChange(IceState.COMPLETED, java.util.Optional.empty()));
        assertThat(IceStateChange.of(IceState.CLOSED).state()).isEqualTo(IceState.CLOSED);
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> IceStateChange.of(IceState.FAILED)).withMessageContaining("reason");
    }
}
