package io.reactiveice.samples;

import static io.reactiveice.samples.IcePeerCliIT.assertCleanRun;
import static io.reactiveice.samples.IcePeerCliIT.data;
import static io.reactiveice.samples.IcePeerCliIT.decode;
import static io.reactiveice.samples.PeerProcess.number;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.Coturn;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * reactive-ice against <a href="https://github.com/aiortc/aioice">aioice</a> 0.8, Debian's
 * {@code python3-aioice}: our peer program and {@code aioice_peer.py} (an aioice.Connection behind
 * the same JSON-lines protocol) as processes on 127.0.0.1, this test relaying their signalling.
 * In both role assignments both sides must connect over the same pair, of the expected candidate
 * types, our 20 pings must all come back from aioice's echo, and datagrams aioice sends must reach
 * us as {@code data} lines. The pair is host to host; or our relayed candidate (relay-only, through
 * a coturn the test starts) to aioice's host candidate; or our host candidate to aioice's relayed
 * one (its own TURN client, relay-only); in the relayed cases coturn must have deleted every
 * allocation once both peers exited.
 */
class AioiceInteropIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final int PINGS = 20;
    private static final int FROM_AIOICE = 3;

    @BeforeAll
    static void requireAioice() throws IOException, InterruptedException {
        String missing = "this test needs Debian's python3-aioice (apt-get install -y python3-aioice, or run "
                + "./run-tests.sh, which installs it)";
        assertThat(Files.isExecutable(PYTHON)).as("%s is missing: %s", PYTHON, missing).isTrue();
        Process p = new ProcessBuilder(PYTHON.toString(), "-I", "-c", "import aioice").redirectErrorStream(true).start();
        boolean done = p.waitFor(30, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(done && p.exitValue() == 0).as("%s -c \"import aioice\" failed: %s\n%s", PYTHON, missing, output)
                .isTrue();
    }

    @ParameterizedTest(name = "reactive-ice {0}, aioice {1}")
    @CsvSource({"controlling, controlled", "controlled, controlling"})
    void bothConnectAndDatagramsFlowBothWays(String ourRole, String theirRole) throws URISyntaxException {
        try (PeerProcess ours = PeerProcess.start("reactive-ice", PeerProcess.icePeer("--" + ourRole, "--send",
                String.valueOf(PINGS)));
                PeerProcess aioice = PeerProcess.start("aioice", aioicePeer("--" + theirRole, "--echo"))) {
            connectAndExchange(ours, aioice, "host", "host", "host " + ourRole);
        }
    }

    /** Our ICE-lite agent against aioice as the controlling full agent: aioice checks and nominates. */
    @Test
    void ourLiteAgentAnswersAioicesChecksAndFollowsItsNomination() throws URISyntaxException {
        try (PeerProcess ours = PeerProcess.start("reactive-ice", PeerProcess.icePeer("--lite", "--send",
                String.valueOf(PINGS)));
                PeerProcess aioice = PeerProcess.start("aioice", aioicePeer("--controlling", "--echo"))) {
            connectAndExchange(ours, aioice, "host", "host", "lite");
        }
    }

    /**
     * Our relayed candidate (transport policy relay, through coturn) against aioice's host candidates:
     * our TURN client creates the permission for aioice's address as the checks begin.
     */
    @ParameterizedTest(name = "reactive-ice {0} relay-only, aioice {1}")
    @CsvSource({"controlling, controlled", "controlled, controlling"})
    void ourRelayedCandidateConnectsToAioicesHostCandidate(String ourRole, String theirRole)
            throws URISyntaxException {
        try (Coturn coturn = Coturn.start("verbose");
                PeerProcess ours = PeerProcess.start("reactive-ice", PeerProcess.icePeer("--" + ourRole,
                        "--relay-only", "--turn", "127.0.0.1:" + coturn.address().getPort(), "--turn-user",
                        Coturn.USER, "--turn-pass", Coturn.PASSWORD, "--send", String.valueOf(PINGS)));
                PeerProcess aioice = PeerProcess.start("aioice", aioicePeer("--" + theirRole, "--echo"))) {
            connectAndExchange(ours, aioice, "relay", "host", "relay " + ourRole);
            assertThat(ours.await("hello", m -> true, CONNECT)).containsEntry("relay_only", true);
            assertThat(ours.messages("candidate")).as(ours.report()).isNotEmpty()
                    .allSatisfy(c -> assertThat((String) c.get("candidate")).contains(" typ relay "));
            CoturnChecks.awaitAllocationsDeleted(coturn, 1, CONNECT);
        }
    }

    /**
     * aioice's own TURN client relays (coturn again) and our agent uses its host candidate. aioice's
     * client binds a channel before it sends to a peer and drops Data indications, so our first checks
     * reach it only once its own check to us has bound the channel: a retransmission, not a failure.
     */
    @ParameterizedTest(name = "reactive-ice {0}, aioice {1} relay-only")
    @CsvSource({"controlling, controlled", "controlled, controlling"})
    void aioicesRelayedCandidateConnectsToOurHostCandidate(String ourRole, String theirRole)
            throws URISyntaxException {
        try (Coturn coturn = Coturn.start("verbose");
                PeerProcess ours = PeerProcess.start("reactive-ice", PeerProcess.icePeer("--" + ourRole, "--send",
                        String.valueOf(PINGS)));
                PeerProcess aioice = PeerProcess.start("aioice", aioicePeer("--" + theirRole, "--echo",
                        "--relay-only", "--turn", "127.0.0.1:" + coturn.address().getPort(), "--turn-user",
                        Coturn.USER, "--turn-pass", Coturn.PASSWORD))) {
            connectAndExchange(ours, aioice, "host", "relay", "aioice relay, host " + ourRole);
            assertThat(aioice.messages("candidate")).as(aioice.report()).isNotEmpty()
                    .allSatisfy(c -> assertThat((String) c.get("candidate")).contains(" typ relay "));
            CoturnChecks.awaitAllocationsDeleted(coturn, 1, CONNECT);
        }
    }

    /**
     * Relays the two peers' signalling until both are connected over the same pair, whose local
     * candidates are of the given types; checks that our pings all come back from aioice's echo and
     * that datagrams aioice sends reach us; closes both and checks that they exited cleanly. Each
     * side may know the other's candidate as peer-reflexive: a check can overtake the candidate line
     * that signals it (RFC 8445 section 7.3.1.3); the addresses must match all the same.
     */
    private static void connectAndExchange(PeerProcess ours, PeerProcess aioice, String ourLocalType,
            String theirLocalType, String label) {
        PeerProcess.relay(ours, aioice);
        assertThat(aioice.await("hello", m -> true, CONNECT)).containsEntry("impl", "aioice");
        Map<String, Object> ourState = ours.awaitState("connected", CONNECT);
        Map<String, Object> theirState = aioice.awaitState("connected", CONNECT);
        Map<String, Object> mine = ours.await("selected", m -> true, CONNECT);
        Map<String, Object> theirs = aioice.await("selected", m -> true, CONNECT);
        assertThat(mine).as(ours.report()).containsEntry("local_type", ourLocalType);
        assertThat(mine.get("remote_type")).as(ours.report()).isIn(theirLocalType, "prflx");
        assertThat(theirs).as(ours.report()).containsEntry("local_type", theirLocalType);
        assertThat(theirs.get("remote_type")).as(ours.report()).isIn(ourLocalType, "prflx");
        assertThat(endpoint(mine.get("local"))).as(ours.report()).isEqualTo(endpoint(theirs.get("remote")));
        assertThat(endpoint(mine.get("remote"))).as(ours.report()).isEqualTo(endpoint(theirs.get("local")));

        Map<String, Object> stats = ours.await("stats", m -> true, CONNECT);
        assertThat(number(stats, "received")).as("pings echoed by aioice\n%s", ours.report()).isEqualTo(PINGS);

        for (int i = 1; i <= FROM_AIOICE; i++) {
            aioice.send(data("aioice says " + i));
        }
        for (int i = 1; i <= FROM_AIOICE; i++) {
            String text = "aioice says " + i;
            ours.await("data", m -> text.equals(decode(m)), CONNECT);
        }
        System.out.printf("ice_ms (%s): reactive-ice %.2f, aioice %.2f; warm-up %.2f ms%n", label,
                number(ourState, "ice_ms"), number(theirState, "ice_ms"), number(stats, "warmup_ms"));

        ours.send("{\"type\":\"close\"}");
        aioice.closeStdin();
        assertThat(ours.awaitExit(EXIT)).as(ours.report()).isZero();
        assertThat(aioice.awaitExit(EXIT)).as(aioice.report()).isZero();
        assertCleanRun(ours);
        aioice.assertSpokeTheProtocol();
    }

    /** The python peer: Debian's interpreter, isolated from user site-packages and PYTHON* variables. */
    static List<String> aioicePeer(String... options) throws URISyntaxException {
        Path script = Path.of(AioiceInteropIT.class.getResource("/aioice_peer.py").toURI());
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-u", script.toString()));
        command.addAll(List.of(options));
        return command;
    }

    /** {@code address port} of a candidate line: foundations and priorities differ between the two views. */
    private static String endpoint(Object candidateLine) {
        String[] t = ((String) candidateLine).split(" ");
        return t[4] + " " + t[5];
    }
}
