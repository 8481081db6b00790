package io.reactiveice.turn;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.reactiveice.IceServer;
import io.reactiveice.testing.Coturn;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * With every logger at TRACE, a whole allocation life (a refused password, then an allocation with
 * permission, data and deletion) logs plenty but never a password, and no error message names one.
 */
class CredentialsNotLoggedIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String WRONG = "not-the-password-4711";

    @Test
    void noPasswordReachesTheLogsOrTheErrors() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("io.reactiveice");
        Level rootBefore = root.getLevel();
        Level oursBefore = ours.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.TRACE);
        ours.setLevel(Level.TRACE);
        List<String> errors = new ArrayList<>();
        try (Coturn coturn = Coturn.start()) {
            String uri = "turn:127.0.0.1:" + coturn.address().getPort();
            TurnRelayAllocator client = TurnRelayAllocator.create()
                    .localAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try {
                client.open(IceServer.parse(uri, Coturn.USER, WRONG)).block(TIMEOUT);
            } catch (TurnAuthenticationException expected) {
                errors.add(expected.toString());
            }
            TurnRelay relay = client.open(IceServer.parse(uri, Coturn.USER, Coturn.PASSWORD)).block(TIMEOUT);
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            relay.permit(peer).block(TIMEOUT);
            // the first datagram to a peer binds a channel (RFC 8656 section 12); waiting for it before the
            // close makes every line the test counts happen, however slow the machine
            Mono<TurnEvent> bound = relay.events().filter(e -> e instanceof TurnEvent.ChannelBound).next()
                    .cache();
            bound.subscribe();
            relay.send(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII), peer);
            bound.block(TIMEOUT);
            errors.add(relay.toString());
            errors.add(client.toString());
            relay.close().block(TIMEOUT);
        } finally {
            root.detachAppender(appender);
            root.setLevel(rootBefore);
            ours.setLevel(oursBefore);
        }
        List<String> logged = appender.list.stream()
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
        assertThat(errors).hasSize(3).anySatisfy(e -> assertThat(e).contains("401"));
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("allocated"));
        assertThat(logged).anySatisfy(line -> assertThat(line).contains("allocation failed"));
        assertThat(logged).hasSizeGreaterThan(5).allSatisfy(line -> assertThat(line)
                .doesNotContain(Coturn.PASSWORD).doesNotContain(WRONG));
        assertThat(errors).allSatisfy(e -> assertThat(e).doesNotContain(Coturn.PASSWORD).doesNotContain(WRONG));
    }
}
