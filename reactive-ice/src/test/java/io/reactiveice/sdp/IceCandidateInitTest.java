package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import org.junit.jupiter.api.Test;

/**
 * The browser's JSON form of a candidate, {@code RTCIceCandidateInit} (WebRTC 1.0), as
 * {@code JSON.stringify(event.candidate)} and signaling servers produce it.
 */
class IceCandidateInitTest {
    private static final String SRFLX = "candidate:842163049 1 udp 1677729535 203.0.113.7 56143 typ srflx"
            + " raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw network-cost 999";
    private static final String CHROME_JSON = "{\"candidate\":\"" + SRFLX + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
            + "\"usernameFragment\":\"EsAw\"}";

    @Test
    void chromeJsonParsesAndIsWrittenBackIdentically() {
        IceCandidateInit init = IceCandidateInit.parseJson(CHROME_JSON);
        assertThat(init.candidate()).isEqualTo(CandidateLine.parse(SRFLX));
        assertThat(init.candidate().type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        assertThat(init.sdpMid()).isEqualTo("0");
        assertThat(init.sdpMLineIndex()).isZero();
        assertThat(init.usernameFragment()).isEqualTo("EsAw");
        assertThat(init.isEndOfCandidates()).isFalse();
        assertThat(init.toJson()).isEqualTo(CHROME_JSON);
    }

    // Firefox's candidate string; members in another order; the a= form some signaling uses.
    @Test
    void memberOrderAndCandidateSpellingDoNotMatter() {
        IceCandidateInit init = IceCandidateInit.parseJson("{\"sdpMLineIndex\":1,\"sdpMid\":\"video\","
                + "\"candidate\":\"a=candidate:0 1 UDP 2122252543 192.168.1.10 50923 typ host\"}");
        assertThat(init.sdpMLineIndex()).isEqualTo(1);
        assertThat(init.usernameFragment()).isNull();
        assertThat(init.toJson()).isEqualTo(
                "{\"candidate\":\"candidate:0 1 udp 2122252543 192.168.1.10 50923 typ host\","
                + "\"sdpMid\":\"video\",\"sdpMLineIndex\":1,\"usernameFragment\":null}");
    }

    @Test
    void nullAndMissingMembersAreNull() {
        IceCandidateInit init = IceCandidateInit.parseJson(
                "{\"candidate\":\"" + SRFLX + "\",\"sdpMid\":null,\"sdpMLineIndex\":null,\"usernameFragment\":null}");
        assertThat(init.sdpMid()).isNull();
        assertThat(init.sdpMLineIndex()).isNull();
        assertThat(init.usernameFragment()).isNull();
        assertThat(init.toJson()).isEqualTo(
                "{\"candidate\":\"" + SRFLX + "\",\"sdpMid\":null,\"sdpMLineIndex\":null,\"usernameFragment\":null}");
        assertThat(IceCandidateInit.parseJson("{\"candidate\":\"" + SRFLX + "\"}")).isEqualTo(init);
    }

    // RFC 8838 section 13; WebRTC: an empty candidate is the end-of-candidates indication.
    @Test
    void emptyCandidateIsEndOfCandidates() {
        IceCandidateInit eoc = IceCandidateInit.parseJson(
                "{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"EsAw\"}");
        assertThat(eoc.isEndOfCandidates()).isTrue();
        assertThat(eoc.candidate()).isNull();
        assertThat(eoc).isEqualTo(IceCandidateInit.endOfCandidates("0", 0, "EsAw"));
        assertThat(eoc.toJson()).isEqualTo(
                "{\"candidate\":\"\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"EsAw\"}");
        // The dictionary's default for candidate is "", so {} is end-of-candidates too.
        assertThat(IceCandidateInit.parseJson("{}")).isEqualTo(IceCandidateInit.endOfCandidates(null, null, null));
    }

    @Test
    void unknownMembersOfAnyTypeAreIgnored() {
        IceCandidateInit init = IceCandidateInit.parseJson("{\"type\":\"candidate\",\"label\":0,\"id\":\"audio\","
                + "\"extra\":{\"a\":[1,2.5e3,{\"b\":null}],\"t\":true,\"f\":false},\"list\":[],\"o\":{},"
                + "\"candidate\":\"" + SRFLX + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}");
        assertThat(init).isEqualTo(new IceCandidateInit(CandidateLine.parse(SRFLX), "0", 0, null));
    }

    @Test
    void whiteSpaceMayStandAnywhereJsonAllowsIt() {
        String pretty = " \r\n{\n\t\"candidate\" :\t\"" + SRFLX + "\" ,\r\n  \"sdpMid\" : \"0\","
                + "\n  \"sdpMLineIndex\"\n:\n0 ,"
                + "\"usernameFragment\": \"EsAw\" , \"x\" : [ 1 , { } ]\n}\n\t ";
        assertThat(IceCandidateInit.parseJson(pretty)).isEqualTo(IceCandidateInit.parseJson(CHROME_JSON));
    }

    @Test
    void stringEscapesAreDecodedAndWrittenBack() {
        // sdpMid is any string: quote, backslash, solidus, the control escapes, \\u with a surrogate pair
        String json = "{\"candidate\":\"candidate:a\\/b+c 1 udp 1 192.0.2.1 9 typ host\","
                + "\"sdpMid\":\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t\\u00e9\\u00E9\\ud83d\\ude00\\u0001\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"\\u0045\\u0073Aw\"}";
        IceCandidateInit init = IceCandidateInit.parseJson(json);
        assertThat(init.candidate().foundation()).isEqualTo("a/b+c");
        assertThat(init.sdpMid()).isEqualTo("q\"b\\s/b\bf\fn\nr\rt\t\u00e9\u00e9\uD83D\uDE00\u0001");
        assertThat(init.usernameFragment()).isEqualTo("EsAw");
        // The writer escapes what it must; solidus and non-ASCII go as they are.
        assertThat(init.toJson()).isEqualTo("{\"candidate\":\"candidate:a/b+c 1 udp 1 192.0.2.1 9 typ host\","
                + "\"sdpMid\":\"q\\\"b\\\\s/b\\bf\\fn\\nr\\rt\\t\u00e9\u00e9\uD83D\uDE00\\u0001\","
                + "\"sdpMLineIndex\":0,\"usernameFragment\":\"EsAw\"}");
        assertThat(IceCandidateInit.parseJson(init.toJson())).isEqualTo(init);
    }

    @Test
    void sdpMLineIndexIsAnUnsignedShort() {
        assertThat(IceCandidateInit.parseJson("{\"sdpMLineIndex\":65535}").sdpMLineIndex()).isEqualTo(65535);
        assertThat(IceCandidateInit.parseJson("{\"sdpMLineIndex\":1.0}").sdpMLineIndex()).isEqualTo(1);
        assertThat(IceCandidateInit.parseJson("{\"sdpMLineIndex\":2e1}").sdpMLineIndex()).isEqualTo(20);
        assertRejected("{\"sdpMLineIndex\":-1}", "sdpMLineIndex", "-1");
        assertRejected("{\"sdpMLineIndex\":65536}", "sdpMLineIndex", "65536");
        assertRejected("{\"sdpMLineIndex\":1.5}", "sdpMLineIndex", "1.5");
        assertRejected("{\"sdpMLineIndex\":1e999999999}", "sdpMLineIndex", "1E+999999999");
        assertRejected("{\"sdpMLineIndex\":\"0\"}", "sdpMLineIndex", "\"0\"");
        assertRejected("{\"sdpMLineIndex\":true}", "sdpMLineIndex", "true");
        SdpParseException e = catchThrowableOfType(SdpParseException.class,
                () -> new IceCandidateInit(null, "0", 70000, null));
        assertThat(e.field()).isEqualTo("sdpMLineIndex");
        assertThat(e.token()).isEqualTo("70000");
    }

    @Test
    void membersOfTheWrongTypeNameTheMember() {
        assertRejected("{\"candidate\":null}", "candidate", "null");
        assertRejected("{\"candidate\":5}", "candidate", "5");
        assertRejected("{\"sdpMid\":0}", "sdpMid", "0");
        assertRejected("{\"sdpMid\":[\"0\"]}", "sdpMid", "[0]");
        assertRejected("{\"usernameFragment\":true}", "usernameFragment", "true");
    }

    @Test
    void aMalformedCandidateStringNamesTheCandidateField() {
        assertRejected("{\"candidate\":\"candidate:1 1 udp x 192.0.2.1 9 typ host\",\"sdpMid\":\"0\"}",
                "priority", "x");
        assertRejected("{\"candidate\":\"candidate:1 1 udp 1 192.0.2.1 9 typ\"}", "typ", "");
        assertRejected("{\"candidate\":\"   \"}", "candidate", "");
    }

    @Test
    void malformedJsonIsAJsonError() {
        assertRejected("", "json", "");
        assertRejected("[1]", "json", "[1]");
        assertRejected("\"candidate\"", "json", "\"candidate\"");
        assertRejected("{\"candidate\":", "json", "");
        assertRejected("{\"a\":1,}", "json", "}");
        assertRejected("{'a':1}", "json", "'a':1}");
        assertRejected("{\"a\":\"\\x\"}", "json", "\\x\"}");
        assertRejected("{\"a\":1} x", "json", "x");
        assertRejected("{\"a\":01}", "json", "1}");
    }

    private static void assertRejected(String json, String field, String token) {
        SdpParseException e = catchThrowableOfType(SdpParseException.class, () -> IceCandidateInit.parseJson(json));
        assertThat(e).as("parseJson(%s) must throw", json).isNotNull();
        assertThat(e.field()).as("field for %s", json).isEqualTo(field);
        assertThat(e.token()).as("token for %s", json).isEqualTo(token);
        assertThat(e.getMessage()).contains(field);
    }

    @Test
    void constructedValuesRoundTripThroughJson() {
        IceCandidate c = CandidateLine.parse("candidate:1 1 tcp 1518280447 2001:db8::1 9 typ host tcptype active");
        IceCandidateInit init = new IceCandidateInit(c, "data", 2, "EsAw");
        assertThat(IceCandidateInit.parseJson(init.toJson())).isEqualTo(init);
        IceCandidateInit eoc = IceCandidateInit.endOfCandidates(null, null, null);
        assertThat(eoc.toJson())
                .isEqualTo("{\"candidate\":\"\",\"sdpMid\":null,\"sdpMLineIndex\":null,\"usernameFragment\":null}");
        assertThat(IceCandidateInit.parseJson(eoc.toJson())).isEqualTo(eoc);
    }

    // For a service whose own JSON library has read the members already: no second parse.
    @Test
    void membersReadByAnotherReaderGiveTheValueParseJsonGives() {
        assertThat(IceCandidateInit.fromMembers(SRFLX, "0", 0, "EsAw")).isEqualTo(IceCandidateInit.parseJson(CHROME_JSON));
        assertThat(IceCandidateInit.fromMembers("", "0", 0, "EsAw"))
                .isEqualTo(IceCandidateInit.endOfCandidates("0", 0, "EsAw"));
        assertThat(IceCandidateInit.fromMembers("a=" + SRFLX, null, null, null).candidate())
                .isEqualTo(CandidateLine.parse(SRFLX));
        assertThat(catchThrowableOfType(SdpParseException.class,
                () -> IceCandidateInit.fromMembers("candidate:1 1 udp x 192.0.2.1 9 typ host", "0", 0, null)).field())
                .isEqualTo("priority");
        assertThat(catchThrowableOfType(SdpParseException.class,
                () -> IceCandidateInit.fromMembers(SRFLX, "0", 65_536, null)).field()).isEqualTo("sdpMLineIndex");
    }
}
