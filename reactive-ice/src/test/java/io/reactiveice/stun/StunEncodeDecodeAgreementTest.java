package io.reactiveice.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the writer produces without complaint, the reader must accept: otherwise a {@link StunMessage}
 * built in code goes on the wire and every peer (this library included) drops it. Each case either
 * has the writer refuse (an {@link IllegalArgumentException} or {@link IllegalStateException}) or
 * reads back equal.
 *
 * <p>Each case names the rule it pins; the writer and the records refuse what the reader would reject.
 */

class StunEncodeDecodeAgreementTest {
    private static final TransactionId ID = new TransactionId(1, 2);
    private static final IntegrityKey KEY = IntegrityKey.shortTerm("password");

    static Stream<Arguments> cases() {
        Supplier<StunAttribute> username = () -> new StunAttribute.Username("u");
        Supplier<StunAttribute> mi = () -> new StunAttribute.MessageIntegrity(StunBytes.of(new byte[20]));
        return Stream.of(
                // RFC 8489 section 14.7: FINGERPRINT is last. Written today; read as FINGERPRINT_NOT_LAST.
                message("FINGERPRINT then USERNAME", () -> new StunAttribute.Fingerprint(0), username),
                // RFC 8489 section 14.5. Written today; read as ATTRIBUTE_AFTER_INTEGRITY.
                message("MESSAGE-INTEGRITY then USERNAME", mi, username),
                // Written today; read as BAD_ATTRIBUTE_LENGTH.
                message("MESSAGE-INTEGRITY of 16 bytes", () -> new StunAttribute.MessageIntegrity(StunBytes.of(new byte[16]))),
                message("MESSAGE-INTEGRITY-SHA256 of 17 bytes",
                        () -> new StunAttribute.MessageIntegritySha256(StunBytes.of(new byte[17]))),
                // RFC 8489 section 14.4: USERHASH is 32 bytes. Framed, but attribute() throws BAD_ATTRIBUTE_LENGTH.
                message("USERHASH of 31 bytes", () -> new StunAttribute.UserHash(StunBytes.of(new byte[31]))),
                // An Unknown with a known code is written as that type: XOR-MAPPED-ADDRESS of 3 bytes.
                message("Unknown with the code of XOR-MAPPED-ADDRESS",
                        () -> new StunAttribute.Unknown(0x0020, StunBytes.of(new byte[3]))),
                // After putMessageIntegrity the writer still takes a MESSAGE-INTEGRITY through put().
                written("putMessageIntegrity then put(MESSAGE-INTEGRITY)",
                        w -> w.putMessageIntegrity(KEY).put(mi.get())),
                // After putMessageIntegritySha256 it still takes MESSAGE-INTEGRITY through putBytes().
                written("putMessageIntegritySha256 then putBytes(MESSAGE-INTEGRITY)",
                        w -> w.putMessageIntegritySha256(KEY).putBytes(0x0008, new byte[20], 0, 20)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whatTheWriterAcceptsTheReaderReadsBack(String name, Function<StunMessageWriter, StunMessageWriter> write) {
        ByteBuffer out = ByteBuffer.allocate(400);
        StunMessageWriter writer = new StunMessageWriter().begin(out, StunMethod.BINDING, StunClass.REQUEST, ID);
        Throwable refused = catchThrowable(() -> write.apply(writer));
        if (refused != null) {
            assertThat(refused).isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
            return;
        }
        assertThat(name).as("every case here breaks a rule and must be refused").isNull();
        byte[] bytes = Arrays.copyOf(out.array(), writer.finish());
        StunMessageReader reader = new StunMessageReader();

        assertThat(reader.tryRead(bytes, 0, bytes.length)).as("rejection %s", reader.rejection()).isTrue();
        assertThat(catchThrowable(() -> StunMessage.from(reader))).as("StunMessage.from").isNull();
    }

    @SafeVarargs
    private static Arguments message(String name, Supplier<StunAttribute>... attributes) {
        Function<StunMessageWriter, StunMessageWriter> write = w -> {
            List.of(attributes).forEach(a -> w.put(a.get()));
            return w;
        };
        return Arguments.of(name, write);
    }

    private static Arguments written(String name, Function<StunMessageWriter, StunMessageWriter> write) {
        return Arguments.of(name, write);
    }
}
