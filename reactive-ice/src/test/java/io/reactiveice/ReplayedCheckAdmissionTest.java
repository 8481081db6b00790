package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.agent.IceRole;
import io.reactiveice.agent.IceState;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * Who may deliver application data (RFC 8445 section 12.2): the peer of a valid pair. An observer
 * who copies one authentic check of the peer (MESSAGE-INTEGRITY covers the message, not its source)
 * and replays it from an address of its own gets its data held, never delivered, and the hold ends
 * when the pair fails, on restart or close, or after 2 s; data held for the real peer is delivered
 * once our own check succeeds. Every address admitted leaves again when its pair is no longer valid.
 */
class ReplayedCheckAdmissionTest extends VirtualTimeSessions {

    @Test
    void aReplayedAuthenticCheckFromAnotherAddressDoesNotLetThatAddressInjectData() throws Exception {
        connect();
        InetSocketAddress bAddress = b.selectedPair().base();
        byte[] captured = net.sent.stream()
                .filter(s -> s.to().equals(bAddress) && s.data()[0] == 0 && s.data()[1] == 1)
                .findFirst().orElseThrow().data(); // one of A's checks, as seen on the wire

        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<String> atB = new CopyOnWriteArrayList<>();
        Disposable reading = cb.receive().subscribe(buf -> {
            atB.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        });
        PacketSocket attacker = net.bind(new InetSocketAddress("127.0.0.9", 6666), (d, s) -> { }).block();
        try {
            attacker.send(Unpooled.wrappedBuffer(captured.clone()), bAddress); // the replay
            clock.advanceTimeBy(Duration.ofMillis(5));
            attacker.send(Unpooled.copiedBuffer("injected", StandardCharsets.US_ASCII), bAddress);
            clock.advanceTimeBy(Duration.ofMillis(5));
            assertThat(atB).as("data the application received").doesNotContain("injected");
        } finally {
            reading.dispose();
            attacker.dispose();
        }
    }

    private IceAgent agent(IceRole role, long seed, String... ips) throws Exception {
        List<InetAddress> hosts = new ArrayList<>();
        for (String ip : ips) {
            hosts.add(InetAddress.getByName(ip));
        }
        return IceAgent.create().role(role).scheduler(clock).random(new SplittableRandom(seed))
                .packetTransport(net).hostAddresses(hosts);
    }

    private void exchange() {
        signal();
        clock.advanceTimeBy(Duration.ofMillis(500)); // every pair checked, the backups too
        assertThat(b.state()).isEqualTo(IceState.COMPLETED);
    }

    /** Everything {@code c} receives, as text. */
    private static List<String> reader(IceConnection c, List<Disposable> readers) {
        List<String> got = new CopyOnWriteArrayList<>();
        readers.add(c.receive().subscribe(buf -> {
            got.add(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }));
        return got;
    }

    private void send(PacketSocket from, String text, InetSocketAddress to) {
        from.send(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII), to);
        clock.advanceTimeBy(Duration.ofMillis(5));
    }

    @Test
    void theReplayersHeldDataIsNeverDeliveredAndIsReleasedAfterTwoSecondsCountedAsDropped() throws Exception {
        a = start(agent(IceRole.CONTROLLING, "127.0.0.1", 1));
        b = start(agent(IceRole.CONTROLLED, "127.0.0.2", 2));
        exchange();
        InetSocketAddress bAddress = b.selectedPair().base();
        byte[] captured = net.sent.stream()
                .filter(s -> s.to().equals(bAddress) && s.data()[0] == 0 && s.data()[1] == 1)
                .findFirst().orElseThrow().data();
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<Disposable> readers = new ArrayList<>();
        List<String> atB = reader(cb, readers);
        PacketSocket attacker = net.bind(new InetSocketAddress("127.0.0.9", 6666), (d, s) -> { }).block();
        try {
            attacker.send(Unpooled.wrappedBuffer(captured.clone()), bAddress); // the replay
            clock.advanceTimeBy(Duration.ofMillis(5));
            assertThat(b.admission().heldAddresses()).as("the replayer's address is held for").isOne();
            long dropped = cb.dropped();
            attacker.send(Unpooled.copiedBuffer("injected", StandardCharsets.US_ASCII), bAddress);
            clock.advanceTimeBy(Duration.ofMillis(1)); // it arrives now
            clock.advanceTimeBy(Duration.ofMillis(1_999));
            assertThat(cb.dropped()).as("held for 2 s").isEqualTo(dropped);
            clock.advanceTimeBy(Duration.ofMillis(1));
            assertThat(cb.dropped()).as("released after 2 s").isEqualTo(dropped + 1);

            for (int i = 0; i < RemoteAdmission.HOLD + 4; i++) {
                attacker.send(Unpooled.copiedBuffer("more " + i, StandardCharsets.US_ASCII), bAddress);
            }
            clock.advanceTimeBy(Duration.ofSeconds(60)); // our check to the replayer fails meanwhile
            assertThat(b.admission().heldAddresses()).as("the hold ends when the pair fails").isZero();
            assertThat(cb.dropped()).as("16 held and released, 4 beyond the hold").isEqualTo(dropped + 1 + 20);
            assertThat(atB).isEmpty();
            assertThat(b.state()).isEqualTo(IceState.COMPLETED);
        } finally {
            readers.forEach(Disposable::dispose);
            attacker.dispose();
        }
    }

    // RFC 8445 section 9: after a restart only the old selected pair carries data until a new one is selected.
    @Test
    void theBackupPairsPeerNoLongerDeliversDataAfterARestart() throws Exception {
        a = start(agent(IceRole.CONTROLLING, 1, "127.0.0.1", "127.0.0.3"));
        b = start(agent(IceRole.CONTROLLED, 2, "127.0.0.2"));
        exchange();
        InetSocketAddress bBase = b.selectedPair().base();
        InetSocketAddress selected = b.selectedPair().remoteAddress();
        PacketSocket backup = a.sockets().stream().filter(s -> !s.localAddress().equals(selected)).findFirst()
                .orElseThrow();
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<Disposable> readers = new ArrayList<>();
        List<String> atB = reader(cb, readers);
        try {
            send(backup, "before the restart", bBase);
            assertThat(atB).containsExactly("before the restart"); // a valid backup pair's peer

            b.restart().subscribe();
            clock.advanceTimeBy(Duration.ofMillis(5));
            send(backup, "after the restart", bBase);
            send(a.socket(selected), "on the old selected pair", bBase);

            assertThat(atB).containsExactly("before the restart", "on the old selected pair");
            assertThat(cb.dropped()).isOne();
        } finally {
            readers.forEach(Disposable::dispose);
        }
    }

    // RFC 8445 section 9: the old selected pair retires when the restarted session selects a new one.
    @Test
    void theOldSelectedPairsPeerNoLongerDeliversDataOnceTheRestartSelectsAnotherPair() throws Exception {
        a = start(agent(IceRole.CONTROLLING, 1, "127.0.0.1", "127.0.0.3"));
        b = start(agent(IceRole.CONTROLLED, 2, "127.0.0.2"));
        exchange();
        InetSocketAddress bBase = b.selectedPair().base();
        InetSocketAddress old = b.selectedPair().remoteAddress();
        boolean[] restarted = {false};
        net.block(s -> restarted[0] && s.from().equals(old) && s.data().length > 0 && s.data()[0] < 4);
        restarted[0] = true; // from now on the old path carries no checks, only data
        IceCredentials[] fresh = new IceCredentials[1];
        a.restart().subscribe(c -> fresh[0] = c);
        clock.advanceTimeBy(Duration.ofMillis(1));
        b.setRemoteCredentials(fresh[0]);
        a.setRemoteCredentials(b.localCredentials());
        collect(a).stream().filter(c -> !c.socketAddress().equals(old)).forEach(b::addRemoteCandidate);
        collect(b).forEach(a::addRemoteCandidate);
        a.remoteEndOfCandidates();
        b.remoteEndOfCandidates();
        for (int ms = 0; ms < 5_000 && old.equals(b.selectedPair().remoteAddress()); ms += 10) {
            clock.advanceTimeBy(Duration.ofMillis(10));
        }
        assertThat(b.selectedPair().remoteAddress()).as("the restart selected the other path").isNotEqualTo(old);
        IceConnection cb = b.connect().block(Duration.ofSeconds(1));
        List<Disposable> readers = new ArrayList<>();
        List<String> atB = reader(cb, readers);
        try {
            long dropped = cb.dropped();
            send(a.socket(old), "on the retired pair", bBase);
            send(a.socket(b.selectedPair().remoteAddress()), "on the new pair", bBase);

            assertThat(atB).containsExactly("on the new pair");
            assertThat(cb.dropped()).isEqualTo(dropped + 1);
        } finally {
            readers.forEach(Disposable::dispose);
        }
    }
}
