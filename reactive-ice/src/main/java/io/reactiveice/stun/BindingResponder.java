package io.reactiveice.stun;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

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
 * <p>Error answers go to unauthenticated senders, whose source address may be forged, so they are
 * kept from being an amplifier: each carries the fixed reason phrase of its code ({@code Bad
 * Request}, {@code Unauthenticated}, {@code Unknown Attribute}) and no SOFTWARE or FINGERPRINT (both
 * optional, sections 14.7 and 14.14); the cause of a 400 goes to {@link #badRequests(BadRequestCause)}
 * and its detail to {@link #lastDetail()} for a DEBUG line. An error answer is sent only if the
 * {@code errorAnswers} gate lets its source have one (a per-source rate limit in the transport), and
 * never when it would be larger than {@link #errorAnswerBound(InetSocketAddress) a fixed bound}: the
 * success answer to a bare Binding request with the {@link #DEFAULT_SOFTWARE default SOFTWARE} for
 * the source's address family, 56 bytes over IPv4 and 68 over IPv6. The bound does not depend on
 * this server's own SOFTWARE or credential, so that a server without SOFTWARE (whose success answer
 * is 40 bytes) still sends its 400s (40 bytes), 401s (44) and 420s (56 with one or two unknown
 * attributes; RFC 8489 section 6.3.1.1 says to answer them); over IPv4 a 420 listing more than two
 * unknown attributes is not sent. Both are counted.
 *
 * <p>An instance holds a reader and a writer: use it from one thread at a time (one event loop).
 * The counters may be read from any thread.
 */
public final class BindingResponder {
    /** The SOFTWARE a server sends unless told otherwise, and the one the error answer bound is computed with. */
    public static final String DEFAULT_SOFTWARE = "reactive-ice";
    private static final int DEFAULT_SOFTWARE_ATTRIBUTE = 4 + ((DEFAULT_SOFTWARE.length() + 3) & ~3);
    private final String software;
    private final String username;
    private final IntegrityKey key;
    private final Predicate<InetSocketAddress> errorAnswers;
    private final StunMessageReader reader = new StunMessageReader();
    private final StunMessageWriter writer = new StunMessageWriter();
    private final Map<BindingOutcome, LongAdder> outcomes = new EnumMap<>(BindingOutcome.class);
    private final Map<StunRejection, LongAdder> rejections = new EnumMap<>(StunRejection.class);
    private final Map<BadRequestCause, LongAdder> badRequests = new EnumMap<>(BadRequestCause.class);
    private final LongAdder received = new LongAdder();
    private String detail; // the event loop's only

    /**
     * A responder that answers every error.
     *
     * @param software the SOFTWARE attribute of every success response, or {@code null}
     * @param username the USERNAME requests must carry, or {@code null} for a server without authentication
     * @param password the short-term password, when {@code username} is set
     */
    public BindingResponder(String software, String username, String password) {
        this(software, username, password, source -> true);
    }

    /**
     * A responder.
     *
     * @param software the SOFTWARE attribute of every success response, or {@code null}
     * @param username the USERNAME requests must carry, or {@code null} for a server without authentication
     * @param password the short-term password, when {@code username} is set
     * @param errorAnswers asked once per error answer whether its source may have one (a rate limit);
     *     {@code false} drops it, counted as {@link BindingOutcome#DROPPED_RATE_LIMITED}
     */
    public BindingResponder(String software, String username, String password,
            Predicate<InetSocketAddress> errorAnswers) {
        this.software = software;
        this.username = username;
        this.key = username == null ? null : IntegrityKey.shortTerm(Objects.requireNonNull(password, "password"));
        this.errorAnswers = Objects.requireNonNull(errorAnswers, "errorAnswers");
        for (BindingOutcome o : BindingOutcome.values()) {
            outcomes.put(o, new LongAdder());
        }
        for (StunRejection r : StunRejection.values()) {
            rejections.put(r, new LongAdder());
        }
        for (BadRequestCause c : BadRequestCause.values()) {
            badRequests.put(c, new LongAdder());
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
        detail = null;
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
            return error(out, source, 420, BindingOutcome.UNKNOWN_ATTRIBUTE);
        }
        BadRequestCause cause = reader.methodCode() != StunMethod.BINDING.code() ? unsupportedMethod()
                : malformedAttribute();
        if (cause == null && key != null) {
            cause = missingCredentials();
        }
        if (cause != null) {
            badRequests.get(cause).increment();
            return error(out, source, 400, BindingOutcome.BAD_REQUEST);
        }
        if (key != null && (!reader.valueEquals(reader.indexOf(StunAttributeType.USERNAME.code()),
                username.getBytes(StandardCharsets.UTF_8)) || !reader.integrityMatches(key))) {
            return error(out, source, 401, BindingOutcome.UNAUTHENTICATED);
        }
        writer.beginResponse(out, reader, StunClass.SUCCESS_RESPONSE)
                .putAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), source.getAddress(), source.getPort(), true);
        finish(key != null);
        return BindingOutcome.SUCCESS;
    }

    /** Writes an error answer with its fixed reason phrase, if the gate and the size bound allow it. */
    private BindingOutcome error(ByteBuffer out, InetSocketAddress source, int code, BindingOutcome outcome) {
        if (!errorAnswers.test(source)) {
            return BindingOutcome.DROPPED_RATE_LIMITED;
        }
        int start = out.position();
        writer.beginResponse(out, reader, StunClass.ERROR_RESPONSE).putErrorCode(code, reasonPhrase(code));
        if (code == 420) {
            writer.putUnknownAttributes(reader.unknownComprehensionRequired());
        }
        int length = writer.finish();
        if (length > errorAnswerBound(source)) {
            out.position(start);
            detail = "a " + code + " answer of " + length + " bytes would be larger than the success answer";
            return BindingOutcome.DROPPED_OVERSIZED_ERROR;
        }
        return outcome;
    }

    private static String reasonPhrase(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthenticated";
            default -> "Unknown Attribute";
        };
    }

    /**
     * The largest error answer sent to {@code source}: the length of the success answer to a bare
     * Binding request from its address family with the {@link #DEFAULT_SOFTWARE default SOFTWARE}
     * (header, XOR-MAPPED-ADDRESS, SOFTWARE, FINGERPRINT), 56 bytes for IPv4 and 68 for IPv6,
     * whatever this server's own SOFTWARE and credential (RFC 8489 section 6.3.1.1 asks for the 420
     * also when SOFTWARE is off).
     *
     * @param source the address the answer would go to
     * @return the bound in bytes
     */
    public static int errorAnswerBound(InetSocketAddress source) {
        int address = source.getAddress().getAddress().length == 4 ? 8 : 20;
        return StunMessageReader.HEADER_LENGTH + 4 + address + DEFAULT_SOFTWARE_ATTRIBUTE + 8;
    }

    private BadRequestCause unsupportedMethod() {
        detail = "method 0x" + Integer.toHexString(reader.methodCode()) + " is not Binding";
        return BadRequestCause.UNSUPPORTED_METHOD;
    }

    private BadRequestCause malformedAttribute() {
        for (int i = 0; i < reader.attributeCount(); i++) {
            if (StunAttributeType.isKnown(reader.attributeType(i))) {
                try {
                    reader.attribute(i);
                } catch (StunDecodeException | IllegalArgumentException e) {
                    detail = e.getMessage();
                    return BadRequestCause.MALFORMED_ATTRIBUTE;
                }
            }
        }
        return null;
    }

    private BadRequestCause missingCredentials() {
        if (!reader.has(StunAttributeType.USERNAME.code())) {
            detail = "USERNAME missing";
            return BadRequestCause.USERNAME_MISSING;
        }
        if (!reader.hasIntegrity()) {
            detail = "MESSAGE-INTEGRITY missing";
            return BadRequestCause.INTEGRITY_MISSING;
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

    /** 400 answers (sent or not) for this cause. */
    public long badRequests(BadRequestCause cause) {
        return badRequests.get(cause).sum();
    }

    /**
     * What exactly was wrong with the datagram {@link #respond} handled last, for a DEBUG line (e.g.
     * the malformed attribute of a 400), or {@code null}; read it on the thread that called respond.
     */
    public String lastDetail() {
        return detail;
    }

    /** Datagrams dropped for any reason: not STUN, malformed, responses, and error answers not sent. */
    public long dropped() {
        return count(BindingOutcome.DROPPED_NOT_STUN) + count(BindingOutcome.DROPPED_MALFORMED)
                + count(BindingOutcome.DROPPED_RESPONSE) + count(BindingOutcome.DROPPED_RATE_LIMITED)
                + count(BindingOutcome.DROPPED_OVERSIZED_ERROR);
    }
}
