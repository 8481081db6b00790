package io.reactiveice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.socket.DatagramPacket;
import io.reactiveice.internal.transport.SourceRateLimiter;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The embedded server's error answers are rate limited per source IP with the shared port's
 * {@link SourceRateLimiter}, on a clock the test owns (virtual time), so every count is exact.
 */
class StunServerErrorRateTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 3478);
    private static final InetSocketAddress ALICE = new InetSocketAddress("127.0.0.2", 40_000);
    private static final InetSocketAddress ALICE_OTHER_PORT = new InetSocketAddress("127.0.0.2", 40_001);
    private static final InetSocketAddress BOB = new InetSocketAddress("127.0.0.3", 40_000);
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final BindingHandler handler = StunServer.create().clock(clock).errorRateLimit(10, 3).newHandler();
    private long transaction;

    @AfterEach
    void disposeClock() {
        clock.dispose();
    }

    private static byte[] request(int method, long id) {
        ByteBuffer b = ByteBuffer.allocate(64);
        int n = new StunMessageWriter().begin(b, method, StunClass.REQUEST, id, 1).finish();
        byte[] bytes = new byte[n];
        b.get(0, bytes, 0, n);
        return bytes;
    }

    /** Whether the handler answered; releases what it hands on and the datagram, as Reactor Netty would. */
    private boolean answered(int method, InetSocketAddress sender) {
        DatagramPacket in = new DatagramPacket(Unpooled.wrappedBuffer(request(method, ++transaction)), SERVER, sender);
        try {
            DatagramPacket out = handler.apply(in);
            if (out == null) {
                return false;
            }
            ByteBuf content = out.content();
            assertThat(out.recipient()).isEqualTo(sender);
            content.release();
            return true;
        } finally {
            in.release();
        }
    }

    private int answeredOf(int n, int method, InetSocketAddress sender) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += answered(method, sender) ? 1 : 0;
        }
        return count;
    }

    @Test
    void errorAnswersArePacedPerSourceIpAndSuccessesNever() {
        int allocate = StunMethod.ALLOCATE.code(); // a 400 for this server
        assertThat(answeredOf(10, allocate, ALICE)).isEqualTo(3);               // the burst
        assertThat(answeredOf(5, allocate, ALICE_OTHER_PORT)).isZero();          // per IP, not per port
        assertThat(answeredOf(10, allocate, BOB)).isEqualTo(3);                 // another source has its own
        assertThat(answeredOf(50, StunMethod.BINDING.code(), ALICE)).isEqualTo(50); // successes are not limited

        clock.advanceTimeBy(Duration.ofMillis(99));
        assertThat(answeredOf(5, allocate, ALICE)).isZero();
        clock.advanceTimeBy(Duration.ofMillis(1));                             // 10 per second: one more
        assertThat(answeredOf(5, allocate, ALICE)).isEqualTo(1);
        clock.advanceTimeBy(Duration.ofSeconds(10));                           // refilled up to the burst only
        assertThat(answeredOf(10, allocate, ALICE)).isEqualTo(3);

        assertThat(handler.responder().count(BindingOutcome.BAD_REQUEST)).isEqualTo(3 + 3 + 1 + 3);
        assertThat(handler.responder().count(BindingOutcome.DROPPED_RATE_LIMITED)).isEqualTo(7 + 5 + 7 + 5 + 4 + 7);
        assertThat(handler.responder().count(BindingOutcome.SUCCESS)).isEqualTo(50);
    }

    @Test
    void theDefaultLimitIsTheSharedPortsAHundredPerSecondWithBurstsOfTwoHundred() {
        BindingHandler defaults = StunServer.create().clock(clock).newHandler();
        int answered = 0;
        for (int i = 0; i < 300; i++) {
            DatagramPacket in = new DatagramPacket(Unpooled.wrappedBuffer(request(StunMethod.ALLOCATE.code(), i)),
                    SERVER, ALICE);
            DatagramPacket out = defaults.apply(in);
            in.release();
            if (out != null) {
                answered++;
                out.release();
            }
        }
        assertThat(answered).isEqualTo(200);
    }

    @Test
    void aLimitThatCannotWorkFailsAtTheCallNamingIt() {
        assertThatThrownBy(() -> StunServer.create().errorRateLimit(0, 10))
                .hasMessageContaining("perSecond").hasMessageContaining("0");
        assertThatThrownBy(() -> StunServer.create().errorRateLimit(10, 0.5))
                .hasMessageContaining("burst").hasMessageContaining("0.5");
        assertThatThrownBy(() -> StunServer.create().receiveBuffer(0))
                .hasMessageContaining("receiveBuffer").hasMessageContaining("0");
    }
}
