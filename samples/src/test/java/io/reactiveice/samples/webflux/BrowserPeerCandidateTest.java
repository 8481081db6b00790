package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reactiveice.sdp.IceCandidateInit;
import io.reactiveice.sdp.SdpParseException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The page's {@code RTCIceCandidateInit} as the WebFlux sample reads it, from the members Jackson has
 * read already: the same value, or an error naming the same field, as the library's own
 * {@link IceCandidateInit#parseJson} gives for the same text.
 */
class BrowserPeerCandidateTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HOST = "candidate:1 1 udp 2130706431 192.0.2.1 9 typ host";

    @Test
    void membersReadByJacksonGiveWhatTheLibrarysReaderGives() {
        for (String text : List.of(
                "{\"candidate\":\"" + HOST + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"EsAw\"}",
                "{\"sdpMLineIndex\":7,\"candidate\":\"a=" + HOST + "\"}",
                "{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}",
                "{\"candidate\":\"" + HOST + "\",\"sdpMid\":null,\"sdpMLineIndex\":null,\"usernameFragment\":null}",
                "{\"candidate\":\"" + HOST + "\",\"sdpMLineIndex\":2.0,\"other\":[1]}",
                "{}")) {
            assertThat(BrowserPeer.candidateInit(JSON.readTree(text))).as(text).isEqualTo(IceCandidateInit.parseJson(text));
        }
    }

    @Test
    void aMemberOfTheWrongTypeNamesTheMemberAsTheLibrarysReaderDoes() {
        for (String text : List.of("[1]", "\"x\"", "{\"candidate\":null}", "{\"candidate\":5}", "{\"sdpMid\":0}",
                "{\"sdpMid\":[\"0\"]}", "{\"usernameFragment\":true}", "{\"candidate\":\"" + HOST + "\",\"sdpMLineIndex\":\"0\"}",
                "{\"candidate\":\"" + HOST + "\",\"sdpMLineIndex\":0.5}", "{\"candidate\":\"" + HOST + "\",\"sdpMLineIndex\":-1}",
                "{\"candidate\":\"" + HOST + "\",\"sdpMLineIndex\":65536}", "{\"candidate\":\"" + HOST + "\",\"sdpMLineIndex\":1e10}",
                "{\"candidate\":\"candidate:1 1 udp x 192.0.2.1 9 typ host\"}")) {
            SdpParseException ours = catchThrowableOfType(SdpParseException.class,
                    () -> BrowserPeer.candidateInit(JSON.readTree(text)));
            SdpParseException library = catchThrowableOfType(SdpParseException.class, () -> IceCandidateInit.parseJson(text));
            assertThat(ours).as(text).isNotNull();
            assertThat(ours.field()).as(text).isEqualTo(library.field());
        }
    }
}
