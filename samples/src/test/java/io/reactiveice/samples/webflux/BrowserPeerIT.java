package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceAgent;
import io.reactiveice.IceSession;
import io.reactiveice.agent.IceRole;
import io.reactiveice.sdp.DataChannelDescription;
import io.reactiveice.sdp.DataChannelDescription.Fingerprint;
import io.reactiveice.sdp.DataChannelDescription.Setup;
import io.reactiveice.sdp.IceCandidateInit;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sample's signalling without a browser: a reactive-ice agent on 127.0.0.1 plays the page's
 * {@code RTCPeerConnection}, speaking the page's messages to a {@link BrowserPeer} whose agents also
 * use 127.0.0.1 only.
 */
class BrowserPeerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Fingerprint FINGERPRINT = Fingerprint.sha256(new byte[32]);

    private final BlockingQueue<JsonNode> fromService = new LinkedBlockingQueue<>();
    private final List<JsonNode> unread = new ArrayList<>();
    private BrowserPeer peer;
    private Disposable outbound;
    private IceSession browser;

    @BeforeEach
    void start() {
        peer = new BrowserPeer(IceAgent.create().hostAddresses(List.of(LOOPBACK)), JSON);
        outbound = peer.outbound().subscribe(text -> fromService.add(JSON.readTree(text)));
    }

    @AfterEach
    void stop() {
        outbound.dispose();
        peer.close();
        if (browser != null) {
            browser.dispose();
        }
    }

    @Test
    void saysHelloWithBothModes() throws InterruptedException {
        JsonNode hello = next("hello");
        assertThat(hello.path("modes").toString()).isEqualTo("[\"full\",\"lite\"]");
    }

    @ParameterizedTest(name = "{0} agent")
    @ValueSource(strings = {"full", "lite"})
    void answersTheBrowsersOfferAndConnects(String mode) throws InterruptedException {
        browser = IceAgent.create().role(IceRole.CONTROLLING).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        send(message("offer").put("mode", mode).put("sdp", description(browser, "data", Setup.ACTPASS)));

        DataChannelDescription answer = DataChannelDescription.parse(next("answer").path("sdp").asString());
        assertThat(answer.mid()).isEqualTo("data");
        assertThat(answer.setup()).isEqualTo(Setup.ACTIVE);
        assertThat(answer.ice().lite()).isEqualTo(mode.equals("lite"));
        assertThat(answer.ice().hasOption("trickle")).isTrue();
        JsonNode agent = next("agent");
        assertThat(agent.path("mode").asString()).isEqualTo(mode);
        assertThat(agent.path("role").asString()).isEqualTo("controlled");
        browser.setRemoteParameters(answer.ice());
        trickleBothWays(answer.ice().ufrag(), "data");

        browser.connect().block(WAIT);
        next(m -> m.path("type").asString().equals("state") && m.path("state").asString().equals("connected"));
        assertThat(next("selected").path("remote").asString()).startsWith("host 127.0.0.1 ");
    }

    @Test
    void offersWhenCalledAndTakesTheBrowsersAnswer() throws InterruptedException {
        send(message("call").put("mode", "full"));
        DataChannelDescription offer = DataChannelDescription.parse(next("offer").path("sdp").asString());
        assertThat(offer.setup()).isEqualTo(Setup.ACTPASS);
        assertThat(offer.mid()).isEqualTo("0");
        assertThat(next("agent").path("role").asString()).isEqualTo("controlling");

        browser = IceAgent.create().role(IceRole.CONTROLLED).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        browser.setRemoteParameters(offer.ice());
        send(message("answer").put("sdp", description(browser, "0", Setup.ACTIVE)));
        trickleBothWays(offer.ice().ufrag(), "0");

        browser.connect().block(WAIT);
        next(m -> m.path("type").asString().equals("selected"));
    }

    @Test
    void aRestartOfTheServicesOfferMakesANewOfferWithNewCredentials() throws InterruptedException {
        send(message("call").put("mode", "full"));
        String first = DataChannelDescription.parse(next("offer").path("sdp").asString()).ice().ufrag();
        send(message("restart"));
        String second = DataChannelDescription.parse(next("offer").path("sdp").asString()).ice().ufrag();
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aRestartOfTheBrowsersOfferIsLeftToTheBrowser() throws InterruptedException {
        browser = IceAgent.create().role(IceRole.CONTROLLING).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        String before = DataChannelDescription.parse(next("answer").path("sdp").asString()).ice().ufrag();
        send(message("restart"));
        next("restart");

        browser.restart().block(WAIT);
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        String after = DataChannelDescription.parse(next("answer").path("sdp").asString()).ice().ufrag();
        assertThat(after).as("the answer to an ICE restart has new credentials (RFC 8839 section 4.4.1.1.1)")
                .isNotEqualTo(before);
    }

    @Test
    void closeDisposesTheAgent() throws InterruptedException {
        send(message("call").put("mode", "lite"));
        next("offer");
        send(message("close"));
        next(m -> m.path("type").asString().equals("state") && m.path("state").asString().equals("closed"));
    }

    @Test
    void candidatesOfAnEarlierGenerationAreIgnoredAndMistakesAreAnsweredWithErrors() throws InterruptedException {
        send(message("candidate").set("candidate", JSON.readTree(IceCandidateInit.endOfCandidates("0", 0, null).toJson())));
        assertThat(next("error").path("message").asString()).contains("before the session description");
        send("{not json");
        next("error");
        send(message("dance"));
        assertThat(next("error").path("message").asString()).contains("dance");
        send(message("answer").put("sdp", "v=0"));
        assertThat(next("error").path("message").asString()).contains("no offer");
        send(message("offer").put("mode", "full").put("sdp", "v=0\r\nm=audio 9 RTP/AVP 0\r\n"));
        assertThat(next("error").path("message").asString()).contains("m=application");

        browser = IceAgent.create().role(IceRole.CONTROLLING).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        next("answer");
        IceCandidateInit stale = IceCandidateInit.parseJson(
                "{\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 9 typ host\",\"usernameFragment\":\"zzzz\"}");
        send(message("candidate").set("candidate", JSON.readTree(stale.toJson())));
        send(message("dance"));
        assertThat(next("error").path("message").asString()).as("the stale candidate raised no error").contains("dance");
    }

    /** The fake browser's candidates to the service and the service's to the fake browser, with end-of-candidates. */
    private void trickleBothWays(String serviceUfrag, String mid) throws InterruptedException {
        String ufrag = browser.localCredentials().ufrag();
        browser.localCandidates().map(c -> new IceCandidateInit(c, mid, 0, ufrag))
                .concatWith(Mono.just(IceCandidateInit.endOfCandidates(mid, 0, ufrag)))
                .toIterable().forEach(init -> send(message("candidate").set("candidate", JSON.readTree(init.toJson()))));
        while (true) {
            IceCandidateInit init = IceCandidateInit.parseJson(next("candidate").path("candidate").toString());
            assertThat(init.usernameFragment()).isEqualTo(serviceUfrag);
            assertThat(init.sdpMid()).isEqualTo(mid);
            if (init.isEndOfCandidates()) {
                browser.remoteEndOfCandidates();
                return;
            }
            browser.addRemoteCandidate(init.candidate());
        }
    }

    private static String description(IceSession session, String mid, Setup setup) {
        return new DataChannelDescription(session.localParameters(), mid, setup, FINGERPRINT, List.of(), false)
                .format(1, 1);
    }

    private static ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private void send(ObjectNode message) {
        send(JSON.writeValueAsString(message));
    }

    private void send(String text) {
        peer.handle(text).block(WAIT);
    }

    private JsonNode next(String type) throws InterruptedException {
        return next(m -> m.path("type").asString().equals(type));
    }

    /** The first message from the service that matches and was not taken yet; the others stay for later. */
    private JsonNode next(Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (Iterator<JsonNode> it = unread.iterator(); it.hasNext(); ) {
                JsonNode m = it.next();
                if (wanted.test(m)) {
                    it.remove();
                    return m;
                }
            }
            JsonNode m = fromService.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            assertThat(m).as("a message from the service in %s; unread: %s", WAIT, unread).isNotNull();
            unread.add(m);
        }
    }
}
