package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.TwoLinkLab;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Real network changes under a live session (issue 13): two peer programs
 * ({@code target/ice-peer.jar}, {@code --all-interfaces --host-only}) in a {@link TwoLinkLab}, A
 * controlling, B echoing. Once they connect, this test sends A a {@code data} datagram every 50 ms
 * ({@code labecho <seq>}), which B echoes; then it changes the network and measures, from the
 * moment the change is in effect to the first echo of a datagram sent after it, how long data took
 * to flow again. Since the old path is gone, that echo came over a new one. Each case asserts only
 * that data flows again within {@link #RECOVERY} (generous: never a tight time) and that the test
 * asked nothing of the peers but data: no {@code restart}, no other application call.
 *
 * <ul>
 *   <li>Two links, an address of each peer on both: A's address on the link of the selected pair
 *       is deleted ({@code ip addr del}), then restored; and, in a lab of its own, B's.</li>
 *   <li>A has one address only, on link 1; it is replaced by a new one on link 2.</li>
 *   <li>A behind a masquerading router: the router changes A's mapping (a new port range and
 *       {@code conntrack -F}).</li>
 * </ul>
 *
 * <p>Every case runs in the default build.
 */
class NetworkChangeIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    /** Generous: the targets of issue 13 are 1 to 2 s; a loaded machine only makes recovery slower. */
    static final Duration RECOVERY = Duration.ofSeconds(20);
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final long PING_MILLIS = 50;

    /**
     * The baseline, in the default build: both peers connect in the two-link lab and echo, and the
     * driver's {@code restart} (an application call, unlike the cases below) gives new credentials
     * and candidates that, forwarded to B, restart both sides while data keeps flowing.
     */
    @Test
    void theTwoLinkLabConnectsAndARestartAskedByTheDriverKeepsDataFlowing() {
        try (TwoLinkLab lab = TwoLinkLab.twoLinks(); Peers peers = Peers.start(lab)) {
            peers.awaitEchoes();
            Map<String, Object> first = peers.a.await("credentials", m -> true, CONNECT);
            peers.a.send("{\"type\":\"restart\"}");
            peers.a.await("credentials", m -> !m.get("ufrag").equals(first.get("ufrag")), CONNECT);
            peers.a.await("end-of-candidates", m -> true, CONNECT); // the first one's, or the restart's
            long after = peers.nextSeq.get();
            peers.a.await("data", m -> Peers.seq(m) >= after, RECOVERY);
            assertThat(peers.a.messages("end-of-candidates")).as("a's restart ends its candidates\n%s",
                    peers.a.report()).hasSize(2);
            assertThat(peers.a.messages("state")).as("no failure\n%s", peers.a.report())
                    .noneMatch(m -> "failed".equals(m.get("state")));
        }
    }

    /*
     * A lost interface with another path available: A's address on the link of the selected pair goes
     * (and its route with it). A's network monitor reports it within its 1 s interval, A moves off the
     * lost pair at once, and the cross pair it would move to (A's other address towards B's address on
     * the lost link) fails the moment its nominating check cannot leave ("network unreachable", a hard
     * error as RFC 8445 section 7.2.5.2.2 treats an ICMP one), so A selects and nominates the pair within
     * the other link and B follows: data flows again without a restart or any application call, and
     * A's socket on the other link stays open through the failed sends. Restoring the address gathers
     * it again (continual gathering) while data keeps flowing on the other link.
     */
    @Test
    void deletingTheAddressOfTheSelectedLinkMovesToTheOtherLinkAndRestoringItKeepsDataFlowing() {
        try (TwoLinkLab lab = TwoLinkLab.twoLinks(); Peers peers = Peers.start(lab)) {
            peers.awaitEchoes();
            int link = peers.selectedLinkOfA();
            InetAddress address = lab.address(lab.a(), link);
            Duration lost = peers.recoveryAfter(() -> lab.deleteAddress(lab.a(), link, address));
            Duration restored = peers.recoveryAfter(() -> lab.addAddress(lab.a(), link, address));
            peers.report("address of the selected link deleted", lost);
            peers.report("address restored", restored);
        }
    }

    /*
     * The same loss on the controlled side: B's address under the selected pair goes. B's monitor
     * reports it, B moves its own data path to a valid pair over the other link and checks that pair
     * at once; B cannot nominate, and A, which lost nothing, takes B's check on a backup as the hint:
     * it probes its selected pair, and when that goes unanswered (four round trips, at least 100 ms)
     * RFC 7675 recovery renominates the backup that answers, so A's data reaches B again, without a
     * restart or any application call (before: only after A's 7.5 s of consent silence).
     */
    @Test
    void deletingTheControlledPeersAddressOfTheSelectedLinkMovesBothToTheOtherLink() {
        try (TwoLinkLab lab = TwoLinkLab.twoLinks(); Peers peers = Peers.start(lab)) {
            peers.awaitEchoes();
            int link = peers.selectedLinkOfB();
            Duration lost = peers.recoveryAfter(() -> lab.deleteAddress(lab.b(), link, lab.address(lab.b(), link)));
            peers.report("b's address of the selected link deleted", lost);
        }
    }

    /*
     * A new address only, the old one gone: A starts with one address, on link 1, and connects
     * although its checks towards B's link-2 address cannot leave (a failed send fails that pair; the
     * socket stays open). Then that address is replaced by a new one on link 2: A's network monitor
     * sees one gone and one new, the new one is gathered (continual gathering), paired with B's
     * candidates and checked, and its pair is selected and nominated as soon as it succeeds, without
     * an ICE restart or any application call.
     */
    @Test
    void replacingTheOnlyAddressOfAByANewOneOnTheOtherLinkRecovers() {
        try (TwoLinkLab lab = TwoLinkLab.twoLinks()) {
            lab.deleteAddress(lab.a(), 2, lab.address(lab.a(), 2)); // A starts with one address, on link 1
            try (Peers peers = Peers.start(lab)) {
                peers.awaitEchoes();
                InetAddress fresh = TwoLinkLab.hostAddress(2, 11);
                Duration moved = peers.recoveryAfter(() -> lab.moveAddress(lab.address(lab.a(), 1), 1, fresh, 2));
                peers.report("only address replaced by a new one", moved);
            }
        }
    }

    /*
     * A's checks and data reach B from the new mapping, and B's answers go back to it, so A
     * (controlling) sees nothing wrong; B's data and consent checks to the old mapping are dropped by
     * the router. B follows the rebinding (Rebinding in the core): A's data from a new port of the
     * router's address makes B check that source in its next Ta slot, and B moves its selected pair
     * there once the check succeeds. No restart, no nomination needed.
     */
    @Test
    void aNewMappingOfTheRouterIsFollowedWithoutARestart() {
        try (TwoLinkLab lab = TwoLinkLab.behindRouter(); Peers peers = Peers.start(lab)) {
            peers.awaitEchoes();
            Duration rebound = peers.recoveryAfter(lab::rebind);
            peers.report("the router changed A's mapping", rebound);
        }
    }

    /*
     * A's only address replaced, as in replacingTheOnlyAddressOfAByANewOneOnTheOtherLinkRecovers, but
     * with --auto-restart on both peers (issue 13's automatic recovery, RecoveryPolicy.RESTART; neither
     * peer signals renomination): A restarts ICE on its own the instant the new address's candidate
     * is gathered, prints new credentials and candidates that the driver forwards as it forwards every
     * signalling line, B answers with its own, and data flows again.
     */
    @Test
    void replacingTheOnlyAddressOfAWithAutoRestartRecoversByARestartOfItsOwn() {
        try (TwoLinkLab lab = TwoLinkLab.twoLinks()) {
            lab.deleteAddress(lab.a(), 2, lab.address(lab.a(), 2));
            try (Peers peers = Peers.start(lab, "--auto-restart")) {
                peers.awaitEchoes();
                Object ufrag = peers.a.messages("credentials").get(0).get("ufrag");
                InetAddress fresh = TwoLinkLab.hostAddress(2, 11);
                Duration moved = peers.recoveryAfter(() -> lab.moveAddress(lab.address(lab.a(), 1), 1, fresh, 2));
                peers.report("only address replaced, --auto-restart", moved);
                assertThat(peers.a.messages("credentials")).as("a restarted on its own\n%s", peers.a.report())
                        .extracting(m -> m.get("ufrag")).hasSizeGreaterThanOrEqualTo(2).contains(ufrag)
                        .anyMatch(u -> !u.equals(ufrag));
            }
        }
    }

    /** A controlling peer on host A, an echoing one on host B, and the datagrams this test sends A. */
    static final class Peers implements AutoCloseable {
        private final PeerProcess a;
        private final PeerProcess b;
        private final ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "network-change-pinger");
            t.setDaemon(true);
            return t;
        });
        private final AtomicLong nextSeq = new AtomicLong();
        private final Set<String> commandsSent = ConcurrentHashMap.newKeySet();

        private Peers(PeerProcess a, PeerProcess b) {
            this.a = a;
            this.b = b;
        }

        static Peers start(TwoLinkLab lab, String... extra) {
            PeerProcess a = PeerProcess.start("a", lab.a().exec(PeerProcess.icePeer(args(extra, "--controlling",
                    "--all-interfaces", "--host-only", "--timeout", "60"))));
            PeerProcess b;
            try {
                b = PeerProcess.start("b", lab.b().exec(PeerProcess.icePeer(args(extra, "--controlled", "--echo",
                        "--all-interfaces", "--host-only", "--timeout", "60"))));
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
            PeerProcess.relay(a, b);
            Peers peers = new Peers(a, b);
            peers.pinger.scheduleAtFixedRate(peers::ping, 0, PING_MILLIS, TimeUnit.MILLISECONDS);
            return peers;
        }

        private static String[] args(String[] extra, String... base) {
            String[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
            System.arraycopy(extra, 0, all, base.length, extra.length);
            return all;
        }

        /** One {@code labecho <seq>} datagram to A, to be sent over its selected pair and echoed by B. */
        private void ping() {
            long seq = nextSeq.getAndIncrement();
            String payload = Base64.getEncoder().encodeToString(("labecho " + seq).getBytes(StandardCharsets.US_ASCII));
            commandsSent.add("data");
            a.send("{\"type\":\"data\",\"base64\":\"" + payload + "\"}");
        }

        /** Both connected, and an echo came back (the datagrams queued before connecting count). */
        void awaitEchoes() {
            a.awaitState("connected", CONNECT);
            b.awaitState("connected", CONNECT);
            long from = nextSeq.get();
            a.await("data", m -> seq(m) >= from, CONNECT);
        }

        /** The link (1 or 2) of A's local address in its last {@code selected} line. */
        int selectedLinkOfA() {
            return selectedLink("local");
        }

        /** The link (1 or 2) of B's address in A's last {@code selected} line (its remote one). */
        int selectedLinkOfB() {
            return selectedLink("remote");
        }

        private int selectedLink(String end) {
            List<Map<String, Object>> selected = a.messages("selected");
            assertThat(selected).as("selected lines of a\n%s", a.report()).isNotEmpty();
            String address = (String) selected.get(selected.size() - 1).get(end);
            return address.contains(" 10.7.2.") ? 2 : 1;
        }

        /**
         * Makes the change, then waits for the first echo of a datagram sent after it.
         *
         * @return from the end of the change to that echo
         * @throws AssertionError with both peers' output if none came within {@link #RECOVERY}
         */
        Duration recoveryAfter(Runnable change) {
            change.run();
            long changedAt = System.nanoTime();
            long after = nextSeq.get();
            long echoedAt = a.awaitArrival("data", m -> seq(m) >= after, RECOVERY);
            assertThat(commandsSent).as("the test asked the peers for nothing but data").containsOnly("data");
            return Duration.ofNanos(echoedAt - changedAt);
        }

        /** The case's outcome on the test's output (the failsafe report), for whoever compares runs. */
        void report(String what, Duration recovery) {
            List<Map<String, Object>> selected = a.messages("selected");
            System.out.printf(Locale.ROOT, "[NetworkChangeIT] %s: data again after %d ms; a's pairs %s%n", what,
                    recovery.toMillis(), selected.stream().map(m -> m.get("local") + " -> " + m.get("remote")).toList());
        }

        private static long seq(Map<String, Object> message) {
            String text = new String(Base64.getDecoder().decode((String) message.get("base64")), StandardCharsets.US_ASCII);
            String[] words = text.split(" ");
            return words.length == 2 && words[0].equals("labecho") ? Long.parseLong(words[1]) : -1;
        }

        /** Stops the datagrams, ends both peers (close, then their exit), kills what is left. */
        @Override
        public void close() {
            pinger.shutdownNow();
            try {
                a.closeStdin();
                b.closeStdin();
                a.awaitExit(EXIT);
                b.awaitExit(EXIT);
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
