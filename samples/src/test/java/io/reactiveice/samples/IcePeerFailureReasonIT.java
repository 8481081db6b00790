package io.reactiveice.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The peer program's {@code failed} line says why, as {@code reason} (the failure's short name) and
 * {@code detail} ({@code shared/interop/PROTOCOL.md}: "optional {@code reason} on {@code failed}").
 * This test is the peer's signalling driver and its remote peer at once: it signals one candidate on a
 * socket of its own on 127.0.0.1 and answers every check that arrives there with an authentic 400
 * error response (RFC 8445 section 7.2.5.2.4), so the pair, and with it the session, fails at once.
 */
class IcePeerFailureReasonIT {
    private static final Duration CONNECT = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(20);
    private static final String UFRAG = "drv1";
    private static final String PWD = "driverpassword0000000000";

    @Test
    void checksAnsweredWithAnErrorEndInAFailedLineWithReasonChecksFailed() throws Exception {
        try (DatagramSocket remote = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                PeerProcess peer = PeerProcess.start("peer", PeerProcess.icePeer())) {
            peer.read(null);
            peer.send("{\"type\":\"credentials\",\"ufrag\":\"" + UFRAG + "\",\"pwd\":\"" + PWD + "\"}");
            peer.send("{\"type\":\"candidate\",\"candidate\":\"candidate:1 1 udp 2130706431 127.0.0.1 "
                    + remote.getLocalPort() + " typ host\"}");
            peer.send("{\"type\":\"end-of-candidates\"}");
            int answered = answerChecksWithErrorsUntilFailed(remote, peer);
            Map<String, Object> failed = peer.awaitState("failed", CONNECT);

            assertThat(answered).isPositive();
            assertThat(failed).as(peer.report()).containsEntry("reason", "checks-failed");
            assertThat((String) failed.get("detail")).as(peer.report()).startsWith("checks failed on 1 pair")
                    .contains("error 400");
            assertThat(peer.awaitExit(EXIT)).as(peer.report()).isEqualTo(1);
        }
    }

    /** Answers each check of the peer's with 400 until the peer prints {@code failed}; returns how many. */
    private static int answerChecksWithErrorsUntilFailed(DatagramSocket remote, PeerProcess peer) throws Exception {
        remote.setSoTimeout(200); // to look at the peer's lines between datagrams
        long deadline = System.nanoTime() + CONNECT.toNanos();
        int answered = 0;
        byte[] buffer = new byte[1500];
        while (peer.messages("state").stream().noneMatch(m -> "failed".equals(m.get("state")))) {
            assertThat(System.nanoTime()).as("no failed line within %s\n%s", CONNECT, peer.report()).isLessThan(deadline);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                remote.receive(packet);
            } catch (SocketTimeoutException nothingYet) {
                continue;
            }
            StunMessageReader request = new StunMessageReader().read(packet.getData(), 0, packet.getLength());
            if (request.messageClass() != StunClass.REQUEST) {
                continue;
            }
            ByteBuffer out = ByteBuffer.allocate(512);
            int n = new StunMessageWriter().beginResponse(out, request, StunClass.ERROR_RESPONSE)
                    .putErrorCode(400, "Bad Request")
                    .putMessageIntegrity(IntegrityKey.shortTerm(PWD)).putFingerprint().finish();
            remote.send(new DatagramPacket(out.array(), n, packet.getSocketAddress()));
            answered++;
        }
        return answered;
    }
}
