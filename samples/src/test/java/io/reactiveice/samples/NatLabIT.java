package io.reactiveice.samples;

import static io.reactiveice.testing.NatType.PORT_RESTRICTED_CONE;
import static io.reactiveice.testing.NatType.SYMMETRIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.NatLab;
import io.reactiveice.testing.NatType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The peer program ({@code target/ice-peer.jar}) on both sides of a {@link NatLab}: each peer in its
 * own private LAN ({@code lanA} 10.0.1.2, {@code lanB} 10.0.2.2) behind its own NAT router
 * ({@code natA} 198.18.0.2, {@code natB} 198.18.0.3) on a public segment ({@code pub},
 * 198.18.0.0/24) where coturn runs on 198.18.0.1:3478 as the STUN server and, in the cells with TURN,
 * the TURN server. The peers bind their LAN address only ({@code --addr}); the lab has no link to the
 * root namespace. One lab and one coturn serve every cell; a cell sets the routers' {@link NatType}
 * and starts two new peers, both at once, with this test relaying their signalling.
 *
 * <p>The cells assert which pair types are selected (the last {@code selected} line of each peer,
 * read once the controlling peer's pings have come back over the pair), never a time: port-restricted cone facing port-restricted cone connects directly (hole
 * punching, RFC 8445 section 2.2), with TURN too; a symmetric NAT facing anything but a full cone
 * leaves no direct path, so with STUN only both peers fail after their {@code --timeout}, and with
 * TURN they connect over a relayed pair.
 */
class NatLabIT {
    /** Generous: a loaded machine only makes a cell slower. */
    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(30);
    /** The STUN-only cells where no direct path exists wait this long before failing. */
    private static final String FAIL_TIMEOUT = "8";
    /** The controlling peer's pings once connected, echoed by the controlled one. */
    private static final String PINGS = "20";
    /**
     * A pair on a direct path: no relay at either end, the remote end reflexive (its host address is
     * private); the local end is what the agent sends from, the host base of its reflexive candidate.
     */
    private static final Predicate<Map<String, Object>> DIRECT = m ->
            Set.of("host", "srflx", "prflx").contains(m.get("local_type"))
                    && Set.of("srflx", "prflx").contains(m.get("remote_type"));
    private static final Predicate<Map<String, Object>> RELAYED = m ->
            "relay".equals(m.get("local_type")) || "relay".equals(m.get("remote_type"));

    private static NatLab lab;
    private static Coturn coturn;

    @BeforeAll
    static void buildTheLab() {
        lab = NatLab.create();
        try {
            coturn = lab.startCoturn("verbose");
        } catch (Throwable e) {
            lab.close();
            throw e;
        }
    }

    @AfterAll
    static void removeTheLab() {
        try {
            if (coturn != null) {
                coturn.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
        }
    }

    @Test
    void coneFacingConeConnectsDirectlyWithStunOnly() {
        try (Cell cell = Cell.start(PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, false, "30")) {
            cell.awaitConnected();
            cell.assertPairInUse("direct", DIRECT);
        }
    }

    // the relayed pairs succeed too, but the controlling side must nominate the direct one
    @Test
    void coneFacingConeKeepsTheDirectPairWhenTurnIsOffered() {
        try (Cell cell = Cell.start(PORT_RESTRICTED_CONE, PORT_RESTRICTED_CONE, true, "30")) {
            cell.awaitConnected();
            cell.assertPairInUse("direct", DIRECT);
        }
    }

    @Test
    void coneFacingSymmetricConnectsOverARelayWithTurn() {
        try (Cell cell = Cell.start(PORT_RESTRICTED_CONE, SYMMETRIC, true, "30")) {
            cell.awaitConnected();
            cell.assertPairInUse("relayed", RELAYED);
        }
    }

    @Test
    void symmetricFacingSymmetricConnectsOverARelayWithTurn() {
        try (Cell cell = Cell.start(SYMMETRIC, SYMMETRIC, true, "30")) {
            cell.awaitConnected();
            cell.assertPairInUse("relayed", RELAYED);
        }
    }

    // the cone side's checks open its router to the symmetric side's reflexive port, which the
    // symmetric router never uses towards it: every check dies at a router
    @Test
    void coneFacingSymmetricFailsAfterTheTimeoutWithStunOnly() {
        try (Cell cell = Cell.start(PORT_RESTRICTED_CONE, SYMMETRIC, false, FAIL_TIMEOUT)) {
            cell.assertBothFail();
        }
    }

    @Test
    void symmetricFacingSymmetricFailsAfterTheTimeoutWithStunOnly() {
        try (Cell cell = Cell.start(SYMMETRIC, SYMMETRIC, false, FAIL_TIMEOUT)) {
            cell.assertBothFail();
        }
    }

    /** Two peers of one cell: a controlling one in lanA, a controlled one in lanB. */
    private record Cell(String name, PeerProcess a, PeerProcess b) implements AutoCloseable {
        static Cell start(NatType natA, NatType natB, boolean turn, String timeout) {
            lab.nat(natA, natB);
            String name = natA + " x " + natB + (turn ? ", STUN + TURN" : ", STUN only");
            PeerProcess a = PeerProcess.start("a", lab.a().exec(PeerProcess.icePeer(options(lab.a(), turn, timeout,
                    "--controlling", "--send", PINGS, "--wait", "5"))));
            PeerProcess b;
            try {
                b = PeerProcess.start("b", lab.b().exec(PeerProcess.icePeer(options(lab.b(), turn, timeout,
                        "--controlled", "--echo"))));
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
            PeerProcess.relay(a, b);
            return new Cell(name, a, b);
        }

        private static String[] options(NatLab.Site site, boolean turn, String timeout, String... role) {
            String server = lab.serverAddress().getHostAddress() + ":" + coturn.address().getPort();
            List<String> options = new ArrayList<>(List.of("--addr",
                    site.lanAddress().getHostAddress(), "--stun", server, "--timeout", timeout));
            options.addAll(List.of(role));
            if (turn) {
                options.addAll(List.of("--turn", server, "--turn-user", Coturn.USER, "--turn-pass", Coturn.PASSWORD));
            }
            return options.toArray(String[]::new);
        }

        void awaitConnected() {
            a.awaitState("connected", CONNECT);
            b.awaitState("connected", CONNECT);
        }

        /**
         * The pair each side uses is of this kind: the controlling side's first selection of such a
         * pair is awaited, then its pings' {@code stats} (data crossed the pair and came back), and
         * after that each side's last {@code selected} line is the pair in use.
         */
        void assertPairInUse(String kind, Predicate<Map<String, Object>> pair) {
            a.await("selected", pair, CONNECT);
            awaitEchoes();
            for (PeerProcess peer : List.of(a, b)) {
                Map<String, Object> last = lastSelected(peer);
                assertThat(last).as("%s: the last selected line of %s is %s\n%s", name, peer == a ? "a" : "b", kind,
                        report()).matches(pair);
            }
            printSummary();
        }

        /** A's pings came back over the pair, some of them at least (the kernel may drop a datagram). */
        private void awaitEchoes() {
            Map<String, Object> stats = a.await("stats", m -> true, CONNECT);
            assertThat(PeerProcess.number(stats, "received")).as("%s: pings echoed\n%s", name, report()).isPositive();
        }

        private Map<String, Object> lastSelected(PeerProcess peer) {
            peer.await("selected", m -> true, CONNECT);
            List<Map<String, Object>> selected = peer.messages("selected");
            return selected.get(selected.size() - 1);
        }

        void assertBothFail() {
            for (PeerProcess peer : List.of(a, b)) {
                Map<String, Object> failed = peer.awaitState("failed", CONNECT);
                assertThat(failed).as("%s\n%s", name, report()).containsEntry("reason", "timeout");
                assertThat(failed.get("detail")).as("%s\n%s", name, report()).asString()
                        .contains("not connected after " + FAIL_TIMEOUT + ".0 s");
                assertThat(peer.awaitExit(EXIT)).as("%s\n%s", name, report()).isEqualTo(1);
                assertThat(peer.messages("state")).as("%s\n%s", name, report())
                        .noneMatch(m -> "connected".equals(m.get("state")));
            }
            printSummary();
        }

        String report() {
            return a.report();
        }

        /** The cell's outcome on the test's output (the failsafe report), for whoever compares runs. */
        private void printSummary() {
            for (PeerProcess peer : List.of(a, b)) {
                List<Map<String, Object>> selected = peer.messages("selected");
                Map<String, Object> end = peer.messages("state").stream()
                        .filter(m -> Set.of("connected", "failed").contains(m.get("state"))).findFirst().orElse(Map.of());
                System.out.println("[NatLabIT] " + name + " | " + (peer == a ? "a" : "b") + " " + end.get("state")
                        + " ice_ms=" + end.get("ice_ms") + " t_ms=" + end.get("t_ms") + " selected="
                        + selected.stream().map(m -> m.get("local_type") + "/" + m.get("remote_type")).toList());
            }
        }

        /** Ends both peers: close, then wait for their exit (they delete their allocations first). */
        @Override
        public void close() {
            try {
                for (PeerProcess peer : List.of(a, b)) {
                    peer.closeStdin();
                }
                for (PeerProcess peer : List.of(a, b)) {
                    peer.awaitExit(EXIT);
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
