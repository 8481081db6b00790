package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceRole;
import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Encodes the STUN messages of connectivity checks (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.2">RFC
 * 8445 section 7.2.2</a>) and their answers (section 7.3.1.2): USERNAME, PRIORITY, the role
 * attribute with the tie-breaker, USE-CANDIDATE when nominating (and NOMINATION with renomination),
 * MESSAGE-INTEGRITY and FINGERPRINT.
 * Stateless: an agent holds nothing of it.
 */
final class CheckMessages {
    /**
     * The writer and its 1,500-byte buffer are scratch space that every message is copied out of
     * before the call returns, so one pair per thread serves every agent: per agent they would be
     * most of an idle session's heap.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A writer and the buffer it writes into. */
    private static final class Scratch {
        final StunMessageWriter writer = new StunMessageWriter();
        final ByteBuffer buffer = ByteBuffer.allocate(1_500);
    }

    private CheckMessages() {
    }

    /**
     * A check; with a SOFTWARE attribute unless {@code software} is {@code null}, and NOMINATION after
     * USE-CANDIDATE when {@code nomination} is not 0 ({@link Renomination}).
     */
    static byte[] request(String software, TransactionId id, String username, long prflxPriority, IceRole role, long tieBreaker,
            boolean useCandidate, long nomination, IntegrityKey remoteKey) {
        Scratch scratch = SCRATCH.get();
        StunMessageWriter writer = scratch.writer;
        ByteBuffer buffer = scratch.buffer.clear();
        writer.begin(buffer, StunMethod.BINDING, StunClass.REQUEST, id);
        if (software != null) {
            writer.putString(StunAttributeType.SOFTWARE.code(), software);
        }
        writer.putString(StunAttributeType.USERNAME.code(), username)
                .putU32(StunAttributeType.PRIORITY.code(), (int) prflxPriority)
                .putU64(role == IceRole.CONTROLLING ? StunAttributeType.ICE_CONTROLLING.code()
                        : StunAttributeType.ICE_CONTROLLED.code(), tieBreaker);
        if (useCandidate) {
            writer.putFlag(StunAttributeType.USE_CANDIDATE.code());
        }
        if (nomination != 0) {
            writer.putU32(StunAttributeType.NOMINATION.code(), (int) nomination);
        }
        return finish(writer.putMessageIntegrity(remoteKey), buffer);
    }

    static byte[] success(StunMessageReader request, InetSocketAddress source, IntegrityKey localKey) {
        Scratch scratch = SCRATCH.get();
        ByteBuffer buffer = scratch.buffer.clear();
        StunMessageWriter writer = scratch.writer.beginResponse(buffer, request, StunClass.SUCCESS_RESPONSE)
                .putAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), source.getAddress(), source.getPort(), true);
        return finish(writer.putMessageIntegrity(localKey), buffer);
    }

    static byte[] error(StunMessageReader request, int code, String reason, IntegrityKey localKeyOrNull) {
        Scratch scratch = SCRATCH.get();
        ByteBuffer buffer = scratch.buffer.clear();
        StunMessageWriter writer = scratch.writer;
        writer.beginResponse(buffer, request, StunClass.ERROR_RESPONSE).putErrorCode(code, reason);
        if (localKeyOrNull != null) {
            writer.putMessageIntegrity(localKeyOrNull);
        }
        return finish(writer, buffer);
    }

    private static byte[] finish(StunMessageWriter w, ByteBuffer buffer) {
        int n = w.putFingerprint().finish();
        byte[] out = new byte[n];
        buffer.get(0, out, 0, n);
        return out;
    }
}
