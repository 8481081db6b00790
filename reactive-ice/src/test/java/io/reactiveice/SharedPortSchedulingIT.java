package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceState;
import io.reactiveice.testing.Await;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where a session on a shared port runs: on the port's own event loop by default, so that a check is
 * answered on the thread that received it; on the application's scheduler when it sets one. Real UDP
 * on 127.0.0.1, a lite session on the port driven by a full agent with a socket of its own.
 */
class SharedPortSchedulingIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aSessionOnASharedPortRunsOnThePortsEventLoopByDefault() {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(new InetSocketAddress(LOOPBACK, 0)).bind().block(TIMEOUT);
        try {
            String loop = threadOf(port.sessionScheduler());
            assertThat(connectedOn(port, agent -> agent)).isEqualTo(loop);
        } finally {
            port.dispose();
        }
    }

    @Test
    void aSchedulerTheApplicationSetsIsTheOneItRunsOn() {
        SharedUdpPort port = SharedUdpPort.create().bindAddress(new InetSocketAddress(LOOPBACK, 0)).bind().block(TIMEOUT);
        Scheduler own = Schedulers.newSingle("own-session-scheduler");
        try {
            String loop = threadOf(port.sessionScheduler());
            String connected = connectedOn(port, agent -> agent.scheduler(own));
            assertThat(connected).startsWith("own-session-scheduler").isNotEqualTo(loop);
        } finally {
            port.dispose();
            own.dispose();
        }
    }

    private static String threadOf(Scheduler scheduler) {
        assertThat(scheduler).as("a UDP shared port has an event loop").isNotNull();
        return Mono.fromCallable(() -> Thread.currentThread().getName()).subscribeOn(scheduler).block(TIMEOUT);
    }

    /** The thread the lite session on {@code port} reports CONNECTED on, after a full agent connected to it. */
    private static String connectedOn(SharedUdpPort port, UnaryOperator<IceAgent> config) {
        IceSession lite = config.apply(IceAgent.create().lite(true).sharedPort(port)).start().block(TIMEOUT);
        IceSession full = IceAgent.create().hostAddresses(List.of(LOOPBACK)).start().block(TIMEOUT);
        try {
            ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
            lite.states().filter(s -> s == IceState.CONNECTED)
                    .subscribe(s -> threads.add(Thread.currentThread().getName()));
            full.setRemoteParameters(lite.localParameters()); // says ice-lite: the full agent takes control
            lite.setRemoteParameters(full.localParameters());
            lite.localCandidates().doOnComplete(full::remoteEndOfCandidates).subscribe(full::addRemoteCandidate);
            full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
            full.connect().block(TIMEOUT);
            lite.connect().block(TIMEOUT);
            assertThat(Await.until(() -> !threads.isEmpty(), TIMEOUT)).isTrue();
            return threads.peek();
        } finally {
            lite.dispose();
            full.dispose();
        }
    }
}
