package io.reactiveice.internal.agent;

import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The screening of a received datagram before the agent looks at it: STUN or not by its first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983 section 7</a>), a well-formed
 * STUN message with a FINGERPRINT (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7">RFC 8445
 * section 7</a>) from a unicast peer (section 5.1.1), of the Binding method. Allocates nothing.
 */
final class StunScreen {
    private static final int BINDING = 0x001;

    /** What the datagram is. */
    enum Verdict {
        /** Not STUN: application data. */
        NOT_STUN,
        /** Not a STUN message after all (too short to be one): application data, counted as dropped. */
        DROPPED_NOT_STUN,
        /** A STUN message dropped without an answer: malformed, no valid FINGERPRINT, not Binding. */
        DROPPED,
        /** From an address that is not a unicast peer: refused. */
        REFUSED,
        /** A Binding request. */
        REQUEST,
        /** A Binding response, success or error. */
        RESPONSE,
        /** A Binding indication: consumed, nothing to do. */
        INDICATION
    }

    private StunScreen() {
    }

    /**
     * Screens {@code length} bytes at {@code offset} of {@code buffer} from {@code source}; unless the
     * verdict is {@link Verdict#NOT_STUN}, {@code reader} has read them.
     *
     * @param closed the agent is closed: every STUN message is dropped
     */
    static Verdict screen(StunMessageReader reader, ByteBuffer buffer, int offset, int length,
            InetSocketAddress source, boolean closed) {
        if (length == 0 || (buffer.get(offset) & 0xFF) > 3) {
            return Verdict.NOT_STUN; // DTLS, RTP, application data
        }
        if (closed || !reader.tryRead(buffer, offset, length)) {
            return reader.rejection() == null || length >= StunMessageReader.HEADER_LENGTH
                    ? Verdict.DROPPED : Verdict.DROPPED_NOT_STUN;
        }
        if (!reader.hasFingerprint() || !reader.fingerprintMatches()) {
            return Verdict.DROPPED; // checks carry FINGERPRINT
        }
        if (!UnicastAddress.isUnicast(source)) {
            return Verdict.REFUSED; // never answered, never a peer-reflexive candidate
        }
        if (reader.methodCode() != BINDING) {
            return Verdict.DROPPED; // e.g. Chrome's GOOG-PING, which it sends only to peers that announce it
        }
        StunClass cls = reader.messageClass();
        return cls == StunClass.REQUEST ? Verdict.REQUEST : cls.isResponse() ? Verdict.RESPONSE : Verdict.INDICATION;
    }
}
