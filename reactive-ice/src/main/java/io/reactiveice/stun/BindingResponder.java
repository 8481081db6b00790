package io.reactiveice.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * The protocol core of a STUN server: one datagram in, at most one response out
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-6.3">RFC 8489 section 6.3</a>). No I/O,
 * no clock: the transport hands it bytes and sends what it writes.
 *
 * <ul>
 *   <li>A Binding request is answered with XOR-MAPPED-ADDRESS, optionally SOFTWARE, MESSAGE-INTEGRITY
 *       when a short-term credential is configured, and FINGERPRINT.</li>
 *   <li>420 with UNKNOWN-ATTRIBUTES when the request holds comprehension-required attributes this
 *       library does not know (section 6.3.1.1).</li>
 *   <li>400 for a request of another method, a known attribute with a malformed value, or, with a
 *       credential configured, a request lacking USERNAME or MESSAGE-INTEGRITY (section 9.1.3);
 *       401 for a wrong username or MESSAGE-INTEGRITY.</li>
 *   <li>Anything that is not a well-formed STUN request or indication, or fails FINGERPRINT, is
 *       dropped and counted by reason; nothing ever throws.</li>
 * </ul>
 *
 * <p>An instance holds a reader and a writer: use it from one thread at a time (one event loop).
 * The counters may be read from any thread.
 */
public final class BindingResponder {
    private final String software;
    private final String username;
    private final IntegrityKey key;
    private final StunMessageReader reader = new StunMessageReader();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final Map<BindingOutcome, LongAdder> outcomes = new EnumMap<>(BindingOutcome.class);
    private final Map<StunRejection, LongAdder> rejections = new EnumMap<>(StunRejection.class);
    private final LongAdder received = new LongAdder();

    /**
     * A responder.
     *
     * @param software the SOFTWARE attribute of every response, or {@code null}
     * @param username the USERNAME requests must carry, or {@code null} for a server without authentication
     * @param password the short-term password, when {@code username} is set
     */
    public BindingResponder(String software, String username, String password) {
        this.software = software;
        this.username = username;
        this.key = username == null ? null : IntegrityKey.shortTerm(Objects.requireNonNull(password, "password"));
        for (BindingOutcome o : BindingOutcome.values()) {
            outcomes.put(o, new LongAdder());
        }
        for (StunRejection r : StunRejection.values()) {
            rejections.put(r, new LongAdder());
        }
    }

    /**
     * Handles one datagram.
     *
     * @param in the buffer holding the datagram
     * @param offset where it starts
     * @param length its length
     * @param source who sent it: the address answered in XOR-MAPPED-ADDRESS
     * @param out where a response is written, at its position; its position moves past the response
     * @return what was done
     */
    public BindingOutcome respond(ByteBuffer in, int offset, int length, InetSocketAddress source, ByteBuffer out) {
        received.increment();
        BindingOutcome outcome = handle(in, offset, length, source, out);
        outcomes.get(outcome).increment();
        return outcome;
    }

    private BindingOutcome handle(ByteBuffer in, int offset, int length, InetSocketAddress source, ByteBuffer out) {
        if (length == 0 || PacketKind.ofFirstByte(in.get(offset)) != PacketKind.STUN) {
            return BindingOutcome.DROPPED_NOT_STUN;
        }
        if (!reader.tryRead(in, offset, length)) {
            return malformed(reader.rejection());
        }
        if (reader.hasFingerprint() && !reader.fingerprintMatches()) {
            return malformed(StunRejection.FINGERPRINT_MISMATCH);
        }
        StunClass cls = reader.messageClass();
        if (cls == StunClass.INDICATION) {
            return BindingOutcome.INDICATION;
        }
        if (cls != StunClass.REQUEST) {
            return BindingOutcome.DROPPED_RESPONSE;
        }
        if (reader.hasUnknownComprehensionRequired()) {
            writer.beginResponse(out, reader, StunClass.ERROR_RESPONSE)
                    .putErrorCode(420, "Unknown Attribute")
                    .putUnknownAttributes(reader.unknownComprehensionRequired());
            finish(false);
            return BindingOutcome.UNKNOWN_ATTRIBUTE;
        }
        String problem = reader.methodCode() != StunMethod.BINDING.code() ? "Bad Request: unsupported method"
                : malformedAttribute();
        if (problem == null && key != null) {
            problem = missingCredentials();
        }
        if (problem != null) {
            writer.beginResponse(out, reader, StunClass.ERROR_RESPONSE).putErrorCode(400, problem);
            finish(false);
            return BindingOutcome.BAD_REQUEST;
        }
        if (key != null && (!reader.valueEquals(reader.indexOf(StunAttributeType.USERNAME.code()),
                username.getBytes(StandardCharsets.UTF_8)) || !reader.integrityMatches(key))) {
            writer.beginResponse(out, reader, StunClass.ERROR_RESPONSE).putErrorCode(401, "Unauthenticated");
            finish(false);
            return BindingOutcome.UNAUTHENTICATED;
        }
        writer.beginResponse(out, reader, StunClass.SUCCESS_RESPONSE)
                .putAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), source.getAddress(), source.getPort(), true);
        finish(key != null);
        return BindingOutcome.SUCCESS;
    }

    private String malformedAttribute() {
        for (int i = 0; i < reader.attributeCount(); i++) {
            if (StunAttributeType.isKnown(reader.attributeType(i))) {
                try {
                    reader.attribute(i);
                } catch (StunDecodeException | IllegalArgumentException e) {
                    return "Bad Request: " + e.getMessage();
                }
            }
        }
        return null;
    }

    private String missingCredentials() {
        if (!reader.has(StunAttributeType.USERNAME.code())) {
            return "Bad Request: USERNAME missing";
        }
        if (!reader.hasIntegrity()) {
            return "Bad Request: MESSAGE-INTEGRITY missing";
        }
        return null;
    }

    private void finish(boolean sign) {
        if (software != null) {
            writer.putString(StunAttributeType.SOFTWARE.code(), software);
        }
        if (sign) {
            writer.putMessageIntegrity(key);
        }
        writer.putFingerprint().finish();
    }

    private BindingOutcome malformed(StunRejection why) {
        rejections.get(why).increment();
        return BindingOutcome.DROPPED_MALFORMED;
    }

    /** Datagrams seen in all. */
    public long received() {
        return received.sum();
    }

    /** Datagrams that ended in this outcome. */
    public long count(BindingOutcome outcome) {
        return outcomes.get(outcome).sum();
    }

    /** Datagrams dropped as malformed for this reason. */
    public long dropped(StunRejection reason) {
        return rejections.get(reason).sum();
    }

    /** Datagrams dropped for any reason. */
    public long dropped() {
        return count(BindingOutcome.DROPPED_NOT_STUN) + count(BindingOutcome.DROPPED_MALFORMED)
                + count(BindingOutcome.DROPPED_RESPONSE);
    }
}
