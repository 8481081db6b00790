package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.TwoLinkLab;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * NAT rebinding against another implementation (issue 13): Debian's aioice 0.8 ({@code aioice_peer.py})
 * as host A behind {@link TwoLinkLab#behindRouter()}'s masquerading router, controlling, sent a
 * {@code data} datagram every 50 ms by this test; our peer program as host B on the public side,
 * controlled, echoing. Once they connect the router changes A's mapping ({@link TwoLinkLab#rebind()}).
 * aioice knows nothing of it (its pair, from its socket to B, is unchanged); our side must notice the
 * new source of A's data, check it and move its selected pair there, with no restart and no call of the
 * test's. Asserts only that the echoes come back and that B selected A's new mapping.
 */
class AioiceRebindingIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    /** Generous: an availability bound on a loaded machine, not a measurement. */
    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @Test
    void ourControlledSideFollowsANewMappingOfAnAioicePeer() throws URISyntaxException {
        ScheduledExecutorService pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aioice-rebinding-pinger");
            t.setDaemon(true);
            return t;
        });
        try (TwoLinkLab lab = TwoLinkLab.behindRouter();
                PeerProcess a = PeerProcess.start("aioice", lab.a().exec(AioiceInteropIT.aioicePeer("--controlling",
                        "--addr", TwoLinkLab.hostAddress(1, 1).getHostAddress())));
                PeerProcess b = PeerProcess.start("ours", lab.b().exec(PeerProcess.icePeer("--controlled", "--echo",
                        "--addr", TwoLinkLab.publicAddress().getHostAddress(), "--host-only", "--timeout", "60")))) {
            PeerProcess.relay(a, b);
            AtomicLong next = new AtomicLong();
            pinger.scheduleAtFixedRate(() -> a.send(data(next.getAndIncrement())), 0, 50, TimeUnit.MILLISECONDS);
            a.awaitState("connected", CONNECT);
            b.awaitState("connected", CONNECT);
            long first = next.get();
            a.await("data", m -> seq(m) >= first, CONNECT);
            String before = (String) b.messages("selected").get(b.messages("selected").size() - 1).get("remote");

            lab.rebind();
            long changedAt = System.nanoTime();
            long after = next.get();
            long echoedAt = a.awaitArrival("data", m -> seq(m) >= after, RECOVERY);
            String now = (String) b.messages("selected").get(b.messages("selected").size() - 1).get("remote");
            assertThat(now).as("B's selected remote after the rebinding\n%s", b.report()).isNotEqualTo(before)
                    .contains(" 198.18.7.254 ");
            System.out.printf(Locale.ROOT, "[AioiceRebindingIT] data again after %d ms; B's remote %s -> %s%n",
                    (echoedAt - changedAt) / 1_000_000, before, now);
        } finally {
            pinger.shutdownNow();
        }
    }

    private static String data(long seq) {
        String payload = Base64.getEncoder().encodeToString(("labecho " + seq).getBytes(StandardCharsets.US_ASCII));
        return "{\"type\":\"data\",\"base64\":\"" + payload + "\"}";
    }

    private static long seq(Map<String, Object> message) {
        String text = new String(Base64.getDecoder().decode((String) message.get("base64")), StandardCharsets.US_ASCII);
        String[] words = text.split(" ");
        return words.length == 2 && words[0].equals("labecho") ? Long.parseLong(words[1]) : -1;
    }
}
