package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.reactiveice.candidate.IceCandidate;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Mutated real inputs, from a fixed seed: every one either parses to a value that formats and
 * parses back equal, or is refused with an {@link SdpParseException} naming a known field. No other
 * exception escapes, whatever the input.
 */
class SdpMalformedInputTest {
    private static final int ROUNDS = 20_000;
    private static final String ALPHABET = " \t:.-+/0123456789aAzZ_%[]\"\\{},\u0000\r\n\u00e9\uFF15typraddrporttcp";
    private static final Set<String> CANDIDATE_FIELDS = Set.of("candidate", "attribute", "foundation", "component-id",
            "transport", "priority", "connection-address", "port", "typ", "raddr", "rport", "tcptype", "extension");
    private static final Set<String> JSON_FIELDS = Set.of("json", "candidate", "sdpMid", "sdpMLineIndex",
            "usernameFragment");
    private static final List<String> SEEDS = List.of(CandidateLineTest.CHROME_HOST, CandidateLineTest.CHROME_MDNS,
            CandidateLineTest.CHROME_SRFLX, CandidateLineTest.CHROME_RELAY, CandidateLineTest.CHROME_TCP,
            CandidateLineTest.CHROME_IPV6,
            "a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998");

    private final Random random = new Random(0x8839);

    @Test
    void mutatedCandidateLinesParseConsistentlyOrFailWithANamedField() {
        for (int round = 0; round < ROUNDS; round++) {
            String input = mutate(SEEDS.get(random.nextInt(SEEDS.size())));
            try {
                IceCandidate c = CandidateLine.parse(input);
                assertThat(CandidateLine.parse(CandidateLine.format(c))).as(input).isEqualTo(c);
            } catch (SdpParseException e) {
                assertThat(CANDIDATE_FIELDS).as(input).contains(e.field());
            } catch (RuntimeException e) {
                fail("parse(" + input + ") threw " + e, e);
            }
        }
    }

    @Test
    void mutatedJsonParsesConsistentlyOrFailsWithANamedField() {
        for (int round = 0; round < ROUNDS; round++) {
            String seed = "{\"candidate\":\"" + SEEDS.get(random.nextInt(SEEDS.size() - 1))
                    + "\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,\"usernameFragment\":\"EsAw\",\"x\":[1,{\"y\":null}]}";
            String input = mutate(seed);
            try {
                IceCandidateInit init = IceCandidateInit.parseJson(input);
                assertThat(IceCandidateInit.parseJson(init.toJson())).as(input).isEqualTo(init);
            } catch (SdpParseException e) {
                assertThat(e.field()).as(input).isIn(union(JSON_FIELDS, CANDIDATE_FIELDS));
            } catch (RuntimeException e) {
                fail("parseJson(" + input + ") threw " + e, e);
            }
        }
    }

    @Test
    void mutatedDataChannelDescriptionsParseConsistentlyOrFailWithANamedField() {
        Set<String> fields = union(CANDIDATE_FIELDS, Set.of("m", "mid", "setup", "fingerprint", "ice-ufrag", "ice-pwd",
                "ice-options", "ice-lite", "end-of-candidates"));
        List<String> seeds = List.of(DataChannelDescriptionTest.CHROMIUM_OFFER,
                DataChannelDescription.parse(DataChannelDescriptionTest.CHROMIUM_OFFER.replace("a=mid:0",
                        "a=mid:0\r\na=" + CandidateLineTest.CHROME_HOST + "\r\na=end-of-candidates")).format(1, 2));
        for (int round = 0; round < ROUNDS / 4; round++) {
            String input = mutate(seeds.get(random.nextInt(seeds.size())));
            try {
                DataChannelDescription d = DataChannelDescription.parse(input);
                assertThat(DataChannelDescription.parse(d.format(1, 1))).as(input).isEqualTo(d);
            } catch (SdpParseException e) {
                assertThat(e.field()).as(input).isIn(fields);
            } catch (RuntimeException e) {
                fail("parse(" + input + ") threw " + e, e);
            }
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** One to four edits: delete, insert, replace, truncate, or duplicate a slice. */
    private String mutate(String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && sb.length() > 0; i++) {
            int at = random.nextInt(sb.length());
            switch (random.nextInt(5)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> sb.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 3 -> sb.setLength(at);
                default -> {
                    int end = Math.min(sb.length(), at + 1 + random.nextInt(12));
                    sb.insert(at, sb.substring(at, end));
                }
            }
        }
        return sb.toString();
    }
}
