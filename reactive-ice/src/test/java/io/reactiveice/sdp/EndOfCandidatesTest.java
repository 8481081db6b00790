package io.reactiveice.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-of-candidates flag attribute (RFC 8840; meaning in RFC 8838 sections 13 and 14). */
class EndOfCandidatesTest {

    @Test
    void recognisesTheFlagWithOrWithoutPrefixAndLineEnding() {
        assertThat(EndOfCandidates.isEndOfCandidates(EndOfCandidates.LINE)).isTrue();
        assertThat(EndOfCandidates.LINE).isEqualTo("a=end-of-candidates");
        assertThat(EndOfCandidates.isEndOfCandidates("a=end-of-candidates\r\n")).isTrue();
        assertThat(EndOfCandidates.isEndOfCandidates("end-of-candidates")).isTrue();
    }

    @Test
    void otherLinesAreNotIt() {
        assertThat(EndOfCandidates.isEndOfCandidates("a=candidate:1 1 udp 1 192.0.2.1 9 typ host")).isFalse();
        assertThat(EndOfCandidates.isEndOfCandidates("a=end-of-candidatesX")).isFalse();
        assertThat(EndOfCandidates.isEndOfCandidates("")).isFalse();
        assertThat(EndOfCandidates.isEndOfCandidates("m=audio 9 UDP/TLS/RTP/SAVPF 111")).isFalse();
    }

    @Test
    void aValueIsRefusedNamingTheAttribute() {
        SdpParseException e = catchThrowableOfType(SdpParseException.class,
                () -> EndOfCandidates.isEndOfCandidates("a=end-of-candidates:1"));
        assertThat(e.field()).isEqualTo("end-of-candidates");
        assertThat(e.token()).isEqualTo("1");
    }

    @Test
    void isPresentLooksAtEveryLine() {
        assertThat(EndOfCandidates.isPresent(List.of("a=ice-ufrag:8hhY", "a=end-of-candidates"))).isTrue();
        assertThat(EndOfCandidates.isPresent(List.of("a=ice-ufrag:8hhY", "a=candidate:1 1 udp 1 192.0.2.1 9 typ host")))
                .isFalse();
        assertThat(EndOfCandidates.isPresent(List.of())).isFalse();
    }
}
