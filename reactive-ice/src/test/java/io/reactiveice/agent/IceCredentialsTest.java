package io.reactiveice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Fresh credentials have the RFC's lengths, use every ice-char evenly, and never repeat. */
class IceCredentialsTest {
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    @Test
    void lengthsAndAlphabet() {
        IceCredentials c = IceCredentials.generate(new SecureRandom());
        assertThat(c.ufrag()).hasSize(8);
        assertThat(c.pwd()).hasSize(24);
        assertThat((c.ufrag() + c.pwd()).chars()).allMatch(ch -> ICE_CHARS.indexOf(ch) >= 0);
    }

    @Test
    void everyCharacterIsAboutEquallyLikelyInEveryPosition() {
        SplittableRandom random = new SplittableRandom(11);
        int draws = 20_000;
        int[][] counts = new int[32][64];
        Set<String> ufrags = new HashSet<>();
        for (int d = 0; d < draws; d++) {
            IceCredentials c = IceCredentials.generate(random);
            ufrags.add(c.ufrag());
            String all = c.ufrag() + c.pwd();
            for (int i = 0; i < 32; i++) {
                counts[i][ICE_CHARS.indexOf(all.charAt(i))]++;
            }
        }
        assertThat(ufrags).hasSize(draws); // 48 bits: a repeat in 20,000 is a broken generator
        double expected = draws / 64.0; // 312.5, standard deviation about 17.5
        for (int i = 0; i < 32; i++) {
            for (int k = 0; k < 64; k++) {
                assertThat((double) counts[i][k]).as("position %d, char %c", i, ICE_CHARS.charAt(k))
                        .isBetween(expected - 120, expected + 120);
            }
        }
    }

    @Test
    void refusesBadSyntaxNamingTheField() {
        assertThatThrownBy(() -> new IceCredentials("abc", "a".repeat(22))).hasMessageContaining("ufrag");
        assertThatThrownBy(() -> new IceCredentials("abcd", "a".repeat(21) + "-")).hasMessageContaining("pwd");
    }
}
