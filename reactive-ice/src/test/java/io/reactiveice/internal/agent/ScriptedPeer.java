package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.internal.sansio.Transmit;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A peer whose every datagram a test writes by hand, for one core under test: authentic checks
 * (with or without USE-CANDIDATE) and answers to the core's requests, delivered at the instant the
 * test chooses. No network: what the core sends is drained and kept in {@link #sent}.
 */
final class ScriptedPeer {
    static final IceCredentials CREDENTIALS = new IceCredentials("peer", "peerpassword0000000000000");

    final IceAgentCore core;
    final List<Transmit> sent = new ArrayList<>();
    final List<Long> sentAt = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(77);

    ScriptedPeer(IceAgentCore core) {
        this.core = core;
    }

    /** Moves what the core sent at {@code now} into {@link #sent}; returns how many. */
    int drain(long now) {
        int n = 0;
        for (Transmit t = core.pollTransmit(); t != null; t = core.pollTransmit()) {
            sent.add(t);
            sentAt.add(now);
            n++;
        }
        return n;
    }

    /** The core's requests (checks and consent checks) to {@code to}, in the order sent. */
    List<Transmit> requestsTo(InetSocketAddress to) {
        List<Transmit> out = new ArrayList<>();
        for (Transmit t : sent) {
            if (t.to().equals(to) && isRequest(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The peer's authentic check from {@code from} to the core's {@code base}, controlling. */
    void check(long now, InetSocketAddress from, InetSocketAddress base, boolean useCandidate) {
        check(now, from, base, useCandidate, 0);
    }

    /** The same, with NOMINATION {@code nomination} after USE-CANDIDATE unless it is 0 (renomination). */
    void check(long now, InetSocketAddress from, InetSocketAddress base, boolean useCandidate, long nomination) {
        ByteBuffer out = ByteBuffer.allocate(256);
        StunMessageWriter w = new StunMessageWriter().begin(out, StunMethod.BINDING, StunClass.REQUEST,
                TransactionId.random(random))
                .putString(StunAttributeType.USERNAME.code(), core.credentials().ufrag() + ":" + CREDENTIALS.ufrag())
                .putU32(StunAttributeType.PRIORITY.code(), 0x6E7F00FF)
                .putU64(StunAttributeType.ICE_CONTROLLING.code(), 7);
        if (useCandidate) {
            w.putFlag(StunAttributeType.USE_CANDIDATE.code());
        }
        if (nomination != 0) {
            w.putU32(StunAttributeType.NOMINATION.code(), (int) nomination);
        }
        deliver(now, base, from, finish(w.putMessageIntegrity(IntegrityKey.shortTerm(core.credentials().pwd())), out));
    }

    /** The peer's success answer to {@code request}, from where it was sent to, to where it came from. */
    void answer(long now, Transmit request) {
        StunMessageReader req = new StunMessageReader().read(request.data(), 0, request.data().length);
        ByteBuffer out = ByteBuffer.allocate(256);
        StunMessageWriter w = new StunMessageWriter().beginResponse(out, req, StunClass.SUCCESS_RESPONSE)
                .putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), request.from());
        deliver(now, request.from(), request.to(), finish(w.putMessageIntegrity(key()), out));
    }

    /** The peer's success answer to {@code request}, but from {@code source}: not symmetric (RFC 8445 section 7.2.5.2.1). */
    void answerFrom(long now, Transmit request, InetSocketAddress source) {
        StunMessageReader req = new StunMessageReader().read(request.data(), 0, request.data().length);
        ByteBuffer out = ByteBuffer.allocate(256);
        StunMessageWriter w = new StunMessageWriter().beginResponse(out, req, StunClass.SUCCESS_RESPONSE)
                .putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), request.from());
        deliver(now, request.from(), source, finish(w.putMessageIntegrity(key()), out));
    }

    /** The peer's authentic error answer to {@code request}. */
    void answerError(long now, Transmit request, int code) {
        StunMessageReader req = new StunMessageReader().read(request.data(), 0, request.data().length);
        ByteBuffer out = ByteBuffer.allocate(256);
        StunMessageWriter w = new StunMessageWriter().beginResponse(out, req, StunClass.ERROR_RESPONSE)
                .putErrorCode(code, "Bad Request");
        deliver(now, request.from(), request.to(), finish(w.putMessageIntegrity(key()), out));
    }

    private void deliver(long now, InetSocketAddress base, InetSocketAddress from, byte[] bytes) {
        core.handleInput(now, new Datagram(base, from, ByteBuffer.wrap(bytes), 0, bytes.length));
        drain(now);
    }

    private static IntegrityKey key() {
        return IntegrityKey.shortTerm(CREDENTIALS.pwd());
    }

    private static byte[] finish(StunMessageWriter w, ByteBuffer out) {
        int n = w.putFingerprint().finish();
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        return bytes;
    }

    static boolean isRequest(Transmit t) {
        StunMessageReader r = new StunMessageReader();
        return r.tryRead(t.data(), 0, t.data().length) && r.messageClass() == StunClass.REQUEST;
    }

    static boolean hasUseCandidate(Transmit t) {
        StunMessageReader r = new StunMessageReader();
        return r.tryRead(t.data(), 0, t.data().length) && r.indexOf(StunAttributeType.USE_CANDIDATE) >= 0;
    }
}
