package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.IceAgent;
import io.reactiveice.IceSession;
import io.reactiveice.NetworkMonitor;
import io.reactiveice.RecoveryPolicy;
import io.reactiveice.agent.CandidatePair;
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
import reactor.core.publisher.Sinks;
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
    /** The service's address after the change: all of 127/8 is loopback on Linux. */
    private static final InetAddress SECOND_LOOPBACK = ipv4(127, 0, 0, 2);

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

    /** Issue 15: the session's statistics for the page's pair table, once a second, under their W3C names. */
    @Test
    void sendsTheSessionsStatisticsForThePairTable() throws InterruptedException {
        browser = IceAgent.create().role(IceRole.CONTROLLING).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        DataChannelDescription answer = DataChannelDescription.parse(next("answer").path("sdp").asString());
        browser.setRemoteParameters(answer.ice());
        trickleBothWays(answer.ice().ufrag(), "0");
        CandidatePair ours = browser.connect().then(Mono.fromSupplier(browser::selectedPair)).block(WAIT);

        JsonNode stats = next(m -> m.path("type").asString().equals("stats") && selected(m) != null
                && selected(m).path("requestsReceived").asLong() > 0 && selected(m).path("responsesReceived").asLong() > 0);
        assertThat(stats.path("role").asString()).isEqualTo("controlled");
        assertThat(stats.path("usernameFragment").asString()).isEqualTo(answer.ice().ufrag());
        assertThat(stats.path("selectedCandidatePairChanges").asLong()).isEqualTo(1);
        JsonNode pair = selected(stats);
        assertThat(pair.path("state").asString()).as("%s", stats).isEqualTo("succeeded");
        assertThat(pair.path("nominated").asBoolean()).isTrue();
        assertThat(pair.path("local").path("candidateType").asString()).isEqualTo("host");
        assertThat(pair.path("local").path("address").asString()).isEqualTo("127.0.0.1");
        assertThat(pair.path("local").path("port").asInt()).isEqualTo(ours.remoteAddress().getPort());
        assertThat(pair.path("remote").path("port").asInt()).isEqualTo(ours.base().getPort());
        assertThat(pair.path("responsesSent").asLong()).isPositive();
        assertThat(pair.path("currentRoundTripTime").asDouble()).isPositive();
    }

    /**
     * Issue 15: a session that fails tells the page why, here consent lost (RFC 7675 section 5.1) when
     * the fake browser goes away, with the consent timing of the service's agents shortened to 1 s.
     */
    @Test
    void aFailedSessionTellsThePageWhy() throws InterruptedException {
        stop();
        peer = new BrowserPeer(IceAgent.create().hostAddresses(List.of(LOOPBACK))
                .consent(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(500)), JSON);
        outbound = peer.outbound().subscribe(text -> fromService.add(JSON.readTree(text)));
        fromService.clear();
        unread.clear();
        browser = IceAgent.create().role(IceRole.CONTROLLING).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        DataChannelDescription answer = DataChannelDescription.parse(next("answer").path("sdp").asString());
        browser.setRemoteParameters(answer.ice());
        trickleBothWays(answer.ice().ufrag(), "0");
        awaitServiceConnected();

        browser.dispose();
        JsonNode failed = next("failed");
        assertThat(failed.path("code").asString()).as("%s", failed).isEqualTo("consent-lost");
        assertThat(failed.path("reason").asString()).contains("consent");
        next(m -> m.path("type").asString().equals("state") && m.path("state").asString().equals("failed"));
    }

    /** The selected pair of a {@code stats} message, or {@code null}. */
    private static JsonNode selected(JsonNode stats) {
        for (JsonNode p : stats.path("candidatePairs")) {
            if (p.path("selected").asBoolean()) {
                return p;
            }
        }
        return null;
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

    /**
     * The agent's own restart ({@code RecoveryPolicy.RESTART}) after its address was replaced, here fed
     * by a network monitor of the test's (127.0.0.1, then 127.0.0.2): the browser offered, so the
     * service asks for a restart with its reason and answers the new offer with the credentials it
     * restarted with, not with a second restart.
     */
    @Test
    void theAgentsOwnRestartAsksTheOfferingBrowserForANewOffer() throws InterruptedException {
        Sinks.Many<List<InetAddress>> addresses = recoveringPeer();
        browser = IceAgent.create().role(IceRole.CONTROLLING).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        DataChannelDescription firstAnswer = DataChannelDescription.parse(next("answer").path("sdp").asString());
        String first = firstAnswer.ice().ufrag();
        browser.setRemoteParameters(firstAnswer.ice());
        trickleBothWays(first, "0");
        awaitSelectedRemote(LOOPBACK);
        awaitServiceConnected(); // before: an address lost while the agent is still checking fails it at once

        addresses.tryEmitNext(List.of(SECOND_LOOPBACK));
        JsonNode restart = next("restart");
        assertThat(restart.path("reason").asString()).isEqualTo("network-change");
        assertThat(restart.path("ufrag").asString()).isNotEqualTo(first);
        browser.restart().block(WAIT); // what the page does: restartIce() and a new offer
        send(message("offer").put("mode", "full").put("sdp", description(browser, "0", Setup.ACTPASS)));
        DataChannelDescription answer = DataChannelDescription.parse(next("answer").path("sdp").asString());
        assertThat(answer.ice().ufrag()).as("the credentials the agent restarted with")
                .isEqualTo(restart.path("ufrag").asString());
        browser.setRemoteParameters(answer.ice());
        trickleBothWays(answer.ice().ufrag(), "0");
        awaitSelectedRemote(SECOND_LOOPBACK);
    }

    /** The same restart when the service offered: a new offer, with the reason, and the new candidates. */
    @Test
    void theAgentsOwnRestartMakesANewOfferWhenTheServiceOffered() throws InterruptedException {
        Sinks.Many<List<InetAddress>> addresses = recoveringPeer();
        send(message("call").put("mode", "full"));
        DataChannelDescription offer = DataChannelDescription.parse(next("offer").path("sdp").asString());
        browser = IceAgent.create().role(IceRole.CONTROLLED).hostAddresses(List.of(LOOPBACK)).start().block(WAIT);
        browser.setRemoteParameters(offer.ice());
        send(message("answer").put("sdp", description(browser, "0", Setup.ACTIVE)));
        trickleBothWays(offer.ice().ufrag(), "0");
        awaitSelectedRemote(LOOPBACK);
        awaitServiceConnected(); // before: an address lost while the agent is still checking fails it at once

        addresses.tryEmitNext(List.of(SECOND_LOOPBACK));
        JsonNode again = next("offer");
        assertThat(again.path("reason").asString()).isEqualTo("network-change");
        DataChannelDescription second = DataChannelDescription.parse(again.path("sdp").asString());
        assertThat(second.ice().ufrag()).isNotEqualTo(offer.ice().ufrag());
        browser.restart().block(WAIT); // what the page's answer to a restarting offer carries: new credentials
        browser.setRemoteParameters(second.ice());
        send(message("answer").put("sdp", description(browser, "0", Setup.ACTIVE)));
        trickleBothWays(second.ice().ufrag(), "0");
        awaitSelectedRemote(SECOND_LOOPBACK);
        assertThat(unread).as("no restart request: the service drives").noneMatch(m -> m.path("type").asString()
                .equals("restart"));
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

    /**
     * Replaces the peer by one whose agents restart ICE on their own and watch the addresses the
     * returned sink gives them, 127.0.0.1 at first.
     */
    private Sinks.Many<List<InetAddress>> recoveringPeer() {
        stop();
        Sinks.Many<List<InetAddress>> addresses = Sinks.many().replay().latest();
        addresses.tryEmitNext(List.of(LOOPBACK));
        peer = new BrowserPeer(IceAgent.create().includeLoopback(true).networkMonitor(NetworkMonitor.of(addresses.asFlux()))
                .recovery(RecoveryPolicy.RESTART), JSON);
        outbound = peer.outbound().subscribe(text -> fromService.add(JSON.readTree(text)));
        fromService.clear();
        unread.clear();
        return addresses;
    }

    /** Waits until the fake browser's selected pair leads to this address of the service's. */
    private void awaitSelectedRemote(InetAddress address) {
        CandidatePair pair = browser.selectedPairs().filter(p -> p.remoteAddress().getAddress().equals(address))
                .blockFirst(WAIT);
        assertThat(pair).as("a selected pair to %s", address).isNotNull();
    }

    private void awaitServiceConnected() throws InterruptedException {
        next(m -> m.path("type").asString().equals("state") && m.path("state").asString().equals("connected"));
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
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
