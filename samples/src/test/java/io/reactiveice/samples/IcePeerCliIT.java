package io.reactiveice.samples;

import static io.reactiveice.samples.PeerProcess.number;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.Coturn;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The peer program ({@code target/ice-peer.jar}) against itself, as separate processes on
 * 127.0.0.1 with this test as the signalling driver: the command line, the JSON lines, the
 * measurement and the exits of {@code shared/interop/PROTOCOL.md}.
 */
class IcePeerCliIT {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(20);

    @Test
    void aSenderAndAnEchoingPeerConnectAndEveryPingComesBack() {
        try (PeerProcess sender = PeerProcess.start("sender", PeerProcess.icePeer("--send", "50", "--exit-after-stats"));
                PeerProcess echo = PeerProcess.start("echo", PeerProcess.icePeer("--controlled", "--echo"))) {
            PeerProcess.relay(sender, echo);
            assertThat(sender.await("hello", m -> true, CONNECT)).containsEntry("impl", "reactive-ice")
                    .containsEntry("role", "controlling").containsEntry("send", BigDecimal.valueOf(50));
            assertThat(echo.await("hello", m -> true, CONNECT)).containsEntry("role", "controlled")
                    .containsEntry("echo", true);
            sender.awaitState("connected", CONNECT);
            echo.awaitState("connected", CONNECT);
            Map<String, Object> mine = selectedWithRemote(sender, "host");
            Map<String, Object> theirs = selectedWithRemote(echo, "host");
            assertThat(mine.get("local")).as(sender.report()).isEqualTo(theirs.get("remote"));
            assertThat(mine.get("remote")).as(sender.report()).isEqualTo(theirs.get("local"));
            assertThat(mine).as(sender.report()).containsEntry("local_type", "host");

            Map<String, Object> stats = sender.await("stats", m -> true, CONNECT);
            assertThat(number(stats, "sent")).as(sender.report()).isEqualTo(50);
            assertThat(number(stats, "received")).as(sender.report()).isEqualTo(50);
            assertThat(number(stats, "loss")).isZero();
            @SuppressWarnings("unchecked")
            Map<String, Object> rtt = (Map<String, Object>) stats.get("rtt_ms");
            assertThat(number(rtt, "min")).isLessThanOrEqualTo(number(rtt, "median"));
            assertThat(number(rtt, "median")).isLessThanOrEqualTo(number(rtt, "p90"));
            assertThat(number(rtt, "p90")).isLessThanOrEqualTo(number(rtt, "max"));

            assertThat(sender.awaitExit(EXIT)).as("--exit-after-stats\n%s", sender.report()).isZero();
            echo.send("{\"type\":\"close\"}");
            assertThat(echo.awaitExit(EXIT)).as("close\n%s", echo.report()).isZero();
            assertThat(echo.messages("data")).as("probes are echoed, not printed").isEmpty();
            assertCleanRun(sender);
            assertCleanRun(echo);
        }
    }

    @Test
    void dataLinesFromTheDriverCrossInBothDirectionsAndEndOfInputCloses() {
        try (PeerProcess a = PeerProcess.start("a", PeerProcess.icePeer());
                PeerProcess b = PeerProcess.start("b", PeerProcess.icePeer("--controlled"))) {
            PeerProcess.relay(a, b);
            a.awaitState("connected", CONNECT);
            b.awaitState("connected", CONNECT);
            a.send(data("from a"));
            b.send(data("from b"));
            b.await("data", m -> "from a".equals(decode(m)), CONNECT);
            a.await("data", m -> "from b".equals(decode(m)), CONNECT);
            a.closeStdin();
            b.closeStdin();
            assertThat(a.awaitExit(EXIT)).as(a.report()).isZero();
            assertThat(b.awaitExit(EXIT)).as(b.report()).isZero();
            assertCleanRun(a);
            assertCleanRun(b);
        }
    }

    // issue 15: the selected pair's statistics under their W3C names, before and after a pair is selected
    @Test
    void aPairStatsLineGivesTheSelectedPairsCountsAfterDataCrossed() {
        try (PeerProcess a = PeerProcess.start("a", PeerProcess.icePeer());
                PeerProcess b = PeerProcess.start("b", PeerProcess.icePeer("--controlled", "--echo"))) {
            // on a's stdin before anything of b's: a answers it before it has b's credentials, with no pair
            a.send("{\"type\":\"pair-stats\"}");
            PeerProcess.relay(a, b);
            assertThat(a.await("pair-stats", m -> true, CONNECT)).as(a.report()).containsEntry("selected", false)
                    .doesNotContainKey("packetsSent");
            a.awaitState("connected", CONNECT);
            b.awaitState("connected", CONNECT);
            for (int i = 0; i < 5; i++) {
                a.send(data("ping " + i));
            }
            for (int i = 0; i < 5; i++) {
                String text = "ping " + i;
                a.await("data", m -> text.equals(decode(m)), CONNECT); // echoed
            }
            a.send("{\"type\":\"pair-stats\"}");
            Map<String, Object> stats = a.await("pair-stats", m -> Boolean.TRUE.equals(m.get("selected")), CONNECT);
            Map<String, Object> selected = selectedWithRemote(a, "host");
            assertThat(stats).as(a.report()).containsEntry("state", "succeeded").containsEntry("nominated", true)
                    .containsEntry("local", selected.get("local")).containsEntry("remote", selected.get("remote"));
            assertThat(number(stats, "packetsSent")).as(a.report()).isEqualTo(5);
            assertThat(number(stats, "packetsReceived")).as(a.report()).isEqualTo(5);
            assertThat(number(stats, "bytesSent")).isEqualTo(5 * "ping 0".length());
            assertThat(number(stats, "bytesReceived")).isEqualTo(5 * "ping 0".length());
            assertThat(number(stats, "requestsSent")).isPositive();
            assertThat(number(stats, "requestsReceived")).isPositive();
            assertThat(number(stats, "responsesSent")).isPositive();
            assertThat(number(stats, "responsesReceived")).isPositive();
            assertThat(number(stats, "consentRequestsSent")).isGreaterThanOrEqualTo(0);
            assertThat(number(stats, "currentRoundTripTime")).as("seconds, on loopback").isPositive().isLessThan(1);
            assertThat(number(stats, "totalRoundTripTime")).isGreaterThanOrEqualTo(number(stats, "currentRoundTripTime"));
            a.closeStdin();
            b.closeStdin();
            assertThat(a.awaitExit(EXIT)).as(a.report()).isZero();
            assertThat(b.awaitExit(EXIT)).as(b.report()).isZero();
            assertCleanRun(a);
            assertCleanRun(b);
        }
    }

    @Test
    void aPeerThatHearsNothingFailsAfterItsTimeout() {
        try (PeerProcess lonely = PeerProcess.start("lonely", PeerProcess.icePeer("--timeout", "1"))) {
            lonely.read(null);
            Map<String, Object> failed = lonely.awaitState("failed", CONNECT);
            assertThat(failed).as(lonely.report()).containsEntry("reason", "timeout");
            assertThat(failed.get("detail")).as(lonely.report()).asString().contains("not connected after 1.0 s");
            assertThat(lonely.awaitExit(EXIT)).as(lonely.report()).isEqualTo(1);
            assertCleanRun(lonely);
            assertThat(lonely.messages("state")).extracting(m -> m.get("state"))
                    .containsExactly("gathering", "gathered", "failed", "closed");
        }
    }

    /**
     * Both peers relay-only through coturn (our TURN client over UDP, TCP, or TLS trusting coturn's
     * self-signed certificate with --turn-ca): they connect over the relay-to-relay pair, every ping
     * comes back, and both allocations are deleted when they exit.
     */
    @ParameterizedTest(name = "TURN over {0}")
    @ValueSource(strings = {"udp", "tcp", "tls"})
    void twoRelayOnlyPeersConnectThroughCoturnAndDeleteTheirAllocations(String transport) {
        try (Coturn coturn = Coturn.startWithTls("verbose")) {
            boolean tls = transport.equals("tls");
            InetSocketAddress server = tls ? coturn.tlsAddress() : coturn.address();
            List<String> options = new ArrayList<>(List.of("--relay-only", "--turn", "127.0.0.1:" + server.getPort(),
                    "--turn-user", Coturn.USER, "--turn-pass", Coturn.PASSWORD, "--turn-transport", transport));
            if (tls) {
                options.addAll(List.of("--turn-ca", coturn.certificateFile().toString()));
            }
            String[] turn = options.toArray(String[]::new);
            try (PeerProcess sender = PeerProcess.start("sender", PeerProcess.icePeer(with(turn, "--send", "20",
                    "--exit-after-stats")));
                    PeerProcess echo = PeerProcess.start("echo", PeerProcess.icePeer(with(turn, "--controlled",
                            "--echo")))) {
                PeerProcess.relay(sender, echo);
                assertThat(sender.await("hello", m -> true, CONNECT)).containsEntry("relay_only", true);
                sender.awaitState("connected", CONNECT);
                echo.awaitState("connected", CONNECT);
                Map<String, Object> mine = selectedWithRemote(sender, "relay");
                Map<String, Object> theirs = selectedWithRemote(echo, "relay");
                assertThat(mine).as(sender.report()).containsEntry("local_type", "relay");
                assertThat(mine.get("local")).as(sender.report()).isEqualTo(theirs.get("remote"));
                assertThat(mine.get("remote")).as(sender.report()).isEqualTo(theirs.get("local"));

                Map<String, Object> stats = sender.await("stats", m -> true, CONNECT);
                assertThat(number(stats, "received")).as(sender.report()).isEqualTo(20);
                assertThat(sender.awaitExit(EXIT)).as(sender.report()).isZero();
                echo.closeStdin();
                assertThat(echo.awaitExit(EXIT)).as(echo.report()).isZero();
                for (PeerProcess peer : List.of(sender, echo)) {
                    assertCleanRun(peer);
                    assertThat(peer.messages("candidate")).as(peer.report()).isNotEmpty()
                            .allSatisfy(c -> assertThat((String) c.get("candidate")).contains(" typ relay "));
                }
            }
            CoturnChecks.awaitAllocationsDeleted(coturn, 2, CONNECT);
            assertThat(CoturnChecks.allocationTransports(coturn)).containsExactly(transport, transport);
        }
    }

    @Test
    void aRelayOnlyPeerWhoseCredentialsTheServerRefusesFailsWithoutWaitingForItsTimeout() {
        String password = "not-" + Coturn.PASSWORD;
        try (Coturn coturn = Coturn.start("verbose");
                PeerProcess peer = PeerProcess.start("peer", PeerProcess.icePeer("--relay-only", "--turn",
                        "127.0.0.1:" + coturn.address().getPort(), "--turn-user", Coturn.USER, "--turn-pass",
                        password))) {
            peer.read(null);
            Map<String, Object> failed = peer.awaitState("failed", CONNECT);
            assertThat(failed).as(peer.report()).containsEntry("reason", "gathering-failed")
                    .containsEntry("detail", "--relay-only and the TURN server gave no relayed candidate");
            assertThat(peer.awaitExit(EXIT)).as(peer.report()).isEqualTo(1);
            assertThat(peer.messages("state")).extracting(m -> m.get("state"))
                    .containsExactly("gathering", "gathered", "failed", "closed");
            assertThat(peer.messages("candidate")).isEmpty();
            assertThat(peer.stderr()).as(peer.report()).contains("401").doesNotContain(password);
        }
    }

    // --tcp-only: ICE-TCP host candidates only (RFC 6544), every candidate signalled with "tcp" and a
    // tcptype, and the pings go over the TCP pair's connection
    @Test
    void twoTcpOnlyPeersConnectOverTcpAndEveryPingComesBack() {
        try (PeerProcess sender = PeerProcess.start("sender", PeerProcess.icePeer("--tcp-only", "--send", "50",
                "--exit-after-stats"));
                PeerProcess echo = PeerProcess.start("echo", PeerProcess.icePeer("--controlled", "--echo", "--tcp-only"))) {
            PeerProcess.relay(sender, echo);
            sender.awaitState("connected", CONNECT);
            echo.awaitState("connected", CONNECT);
            assertThat(sender.messages("candidate")).as(sender.report()).isNotEmpty()
                    .allMatch(m -> String.valueOf(m.get("candidate")).contains(" tcp ")
                            && String.valueOf(m.get("candidate")).contains(" tcptype "));
            assertThat(String.valueOf(sender.await("selected", m -> true, CONNECT).get("local"))).as(sender.report())
                    .contains(" tcp ");
            Map<String, Object> stats = sender.await("stats", m -> true, CONNECT);
            assertThat(number(stats, "received")).as(sender.report()).isEqualTo(50);
            assertThat(sender.awaitExit(EXIT)).as(sender.report()).isZero();
            echo.send("{\"type\":\"close\"}");
            assertThat(echo.awaitExit(EXIT)).as(echo.report()).isZero();
            assertCleanRun(sender);
            assertCleanRun(echo);
        }
    }

    // a full peer that starts out controlled learns from "ice-lite" that it must take control
    @Test
    void aFullPeerConnectsToALitePeerAndTakesControl() {
        try (PeerProcess sender = PeerProcess.start("sender", PeerProcess.icePeer("--controlled", "--send", "20",
                "--exit-after-stats"));
                PeerProcess lite = PeerProcess.start("lite", PeerProcess.icePeer("--lite", "--echo"))) {
            PeerProcess.relay(sender, lite);
            assertThat(lite.await("hello", m -> true, CONNECT)).containsEntry("lite", true)
                    .containsEntry("role", "controlled");
            assertThat(lite.await("credentials", m -> true, CONNECT)).containsEntry("ice-lite", true);
            sender.awaitState("connected", CONNECT);
            lite.awaitState("connected", CONNECT);
            Map<String, Object> stats = sender.await("stats", m -> true, CONNECT);
            assertThat(number(stats, "received")).as(sender.report()).isEqualTo(20);
            assertThat(sender.awaitExit(EXIT)).as(sender.report()).isZero();
            lite.send("{\"type\":\"close\"}");
            assertThat(lite.awaitExit(EXIT)).as(lite.report()).isZero();
            assertCleanRun(sender);
            assertCleanRun(lite);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--relay-only                                        | --relay-only needs a TURN server",
        "--turn 127.0.0.1:3478 --turn-user u                 | --turn needs --turn-pass P",
        "--turn-user u                                       | --turn-user needs --turn HOST:PORT",
        "--turn 127.0.0.1:3478 --turn-user u --turn-pass p --turn-transport dtls"
                + " | --turn-transport must be udp, tcp or tls but was dtls",
        "--turn 127.0.0.1:3478 --turn-user u --turn-pass p --turn-transport tls --turn-ca /nonexistent.pem"
                + " | --turn-ca cannot read /nonexistent.pem"})
    void badTurnOptionsFailFastWithExitCode2NamingTheOption(String options, String message) {
        try (PeerProcess peer = PeerProcess.start("peer", PeerProcess.icePeer(options.trim().split(" +")))) {
            peer.read(null);
            assertThat(peer.awaitExit(EXIT)).as(peer.report()).isEqualTo(2);
            assertThat(peer.lines()).as("nothing on stdout").isEmpty();
            assertThat(peer.stderr()).contains("ice-peer: " + message.trim());
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        try (PeerProcess peer = PeerProcess.start("peer", PeerProcess.icePeer("--frobnicate"))) {
            peer.read(null);
            assertThat(peer.awaitExit(EXIT)).as(peer.report()).isEqualTo(2);
            assertThat(peer.lines()).isEmpty();
            assertThat(peer.stderr()).contains("unknown option --frobnicate").contains("usage:");
        }
    }

    /**
     * The peer's {@code selected} line once its remote candidate is the signalled one, of {@code type}
     * (with the peer's report if none comes). The first line can name a peer-reflexive candidate: the
     * other side's check arrived before its trickled candidate, and a check teaches the candidate first
     * (RFC 8445 section 7.3.1.3); once signalling brings it, the pair takes the signalled candidate and
     * the peer prints the same path again with it (RFC 8838 section 11).
     */
    static Map<String, Object> selectedWithRemote(PeerProcess peer, String type) {
        return peer.await("selected", m -> type.equals(m.get("remote_type")), CONNECT);
    }

    /** The protocol was kept, and Netty's leak detector (paranoid in the peer) found nothing. */
    static void assertCleanRun(PeerProcess peer) {
        peer.assertSpokeTheProtocol();
        assertThat(peer.stderr()).as("leaks or errors on stderr\n%s", peer.report())
                .doesNotContain("LEAK:").doesNotContain("ERROR");
    }

    private static String[] with(String[] options, String... more) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static String data(String text) {
        return "{\"type\":\"data\",\"base64\":\""
                + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    static String decode(Map<String, Object> dataLine) {
        return new String(Base64.getDecoder().decode((String) dataLine.get("base64")), StandardCharsets.UTF_8);
    }
}
