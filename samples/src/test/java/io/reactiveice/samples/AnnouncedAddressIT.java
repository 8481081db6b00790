package io.reactiveice.samples;

import static io.reactiveice.samples.PeerProcess.number;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.TwoLinkLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A service behind a one-to-one NAT (issue 14): the peer program as an ICE-lite service on host A of
 * {@link TwoLinkLab#behindOneToOneNat()}, bound to its private 10.7.1.1, which the router maps onto the
 * public 198.18.7.10; a full agent on host B, which can reach only the public address. With
 * {@code --announce 10.7.1.1=198.18.7.10} the service signals the public address and they connect;
 * without it the service signals its private address, the lite service sends no checks of its own,
 * and nothing connects. Every socket binds a lab address inside namespaces the test creates.
 */
class AnnouncedAddressIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final String PRIVATE = "10.7.1.1";
    private static final String PUBLIC = TwoLinkLab.oneToOneAddress().getHostAddress();

    @Test
    void aServiceBehindAOneToOneNatIsReachedAtTheAddressItAnnounces() {
        try (TwoLinkLab lab = TwoLinkLab.behindOneToOneNat();
                PeerProcess service = PeerProcess.start("service", lab.a().exec(PeerProcess.icePeer("--lite", "--echo",
                        "--addr", PRIVATE, "--announce", PRIVATE + "=" + PUBLIC, "--timeout", "60")));
                PeerProcess client = PeerProcess.start("client", lab.b().exec(PeerProcess.icePeer("--controlling",
                        "--addr", TwoLinkLab.publicAddress().getHostAddress(), "--send", "20", "--timeout", "60")))) {
            PeerProcess.relay(service, client);
            client.awaitState("connected", CONNECT);
            service.awaitState("connected", CONNECT);
            Map<String, Object> selected = client.await("selected", m -> true, CONNECT);
            assertThat((String) selected.get("remote")).as(client.report()).contains(" " + PUBLIC + " ");
            assertThat(selected).containsEntry("remote_type", "host");
            List<String> signalled = service.messages("candidate").stream().map(m -> (String) m.get("candidate")).toList();
            assertThat(signalled).as("the service's candidates").isNotEmpty()
                    .allSatisfy(c -> assertThat(c).contains(" " + PUBLIC + " ").doesNotContain(PRIVATE));
            Map<String, Object> stats = client.await("stats", m -> true, CONNECT);
            assertThat(number(stats, "received")).as("echoes through the NAT\n%s", client.report()).isPositive();
            client.closeStdin();
            service.closeStdin();
            client.awaitExit(EXIT);
            service.awaitExit(EXIT);
        }
    }

    @Test
    void withoutTheAnnouncementTheServiceCannotBeReached() {
        try (TwoLinkLab lab = TwoLinkLab.behindOneToOneNat();
                PeerProcess service = PeerProcess.start("service", lab.a().exec(PeerProcess.icePeer("--lite", "--echo",
                        "--addr", PRIVATE, "--timeout", "60")));
                PeerProcess client = PeerProcess.start("client", lab.b().exec(PeerProcess.icePeer("--controlling",
                        "--addr", TwoLinkLab.publicAddress().getHostAddress(), "--timeout", "60")))) {
            PeerProcess.relay(service, client);
            client.awaitState("failed", CONNECT); // every check to the private address went unanswered
            assertThat(client.messages("state")).as(client.report()).noneMatch(m -> "connected".equals(m.get("state")));
            assertThat(service.messages("candidate")).as("the service's candidates")
                    .allSatisfy(m -> assertThat((String) m.get("candidate")).contains(" " + PRIVATE + " "));
        }
    }
}
