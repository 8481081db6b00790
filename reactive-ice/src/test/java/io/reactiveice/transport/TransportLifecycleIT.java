package io.reactiveice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.udp.UdpServer;
import reactor.test.StepVerifier;

/**
 * Every handle {@code transport} gives a user has one lifecycle: {@link Disposable} with an
 * {@code onDispose()} that completes once the handle is disposed and its socket closed, never before.
 * Over real sockets on 127.0.0.1.
 */
class TransportLifecycleIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void aStunClientConnectionsOnDisposeCompletesAfterDisposeAndNotBefore() {
        StunClientConnection client = StunClient.create().bindAddress(LOOPBACK).bind().block(TIMEOUT);
        assertLifecycle(client, client.onDispose());
    }

    @Test
    void aStunServerHandlesOnDisposeCompletesAfterDisposeAndNotBefore() {
        StunServerHandle server = StunServer.create().bindAddress(LOOPBACK).bind().block(TIMEOUT);
        assertLifecycle(server, server.onDispose());
    }

    // MdnsResponder.bind binds the wildcard's port 5353, which tests outside a namespace must not: this
    // puts the responder on a socket of 127.0.0.1 instead, as bind() puts it on the mDNS socket
    @Test
    void anMdnsRespondersOnDisposeCompletesAfterDisposeAndNotBefore() throws SocketException {
        InterfaceAddress scope = NetworkInterface.getByInetAddress(LOOPBACK.getAddress()).getInterfaceAddresses()
                .stream().filter(a -> a.getAddress().equals(LOOPBACK.getAddress())).findFirst().orElseThrow();
        MdnsSocket socket = new MdnsSocket(UdpServer.create().bindAddress(() -> LOOPBACK).bind().block(TIMEOUT));
        MdnsResponder responder = MdnsResponder.scopedTo(scope).attach(socket);
        assertLifecycle(responder, responder.onDispose());
    }

    private static void assertLifecycle(Disposable handle, Mono<Void> onDispose) {
        AtomicBoolean completed = new AtomicBoolean();
        Mono<Void> watched = onDispose.doOnSuccess(v -> completed.set(true)).cache();
        watched.subscribe();
        assertThat(handle.isDisposed()).isFalse();
        assertThat(completed).as("onDispose before dispose").isFalse();
        handle.dispose();
        StepVerifier.create(watched).expectComplete().verify(TIMEOUT);
        assertThat(handle.isDisposed()).isTrue();
        assertThat(completed).isTrue();
    }
}
