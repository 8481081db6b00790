package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceState;
import io.reactiveice.candidate.UnicastAddress;
import io.reactiveice.internal.sansio.Datagram;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import java.nio.ByteBuffer;

/**
 * The screening of a received datagram before the agent looks at it: STUN or not by its first byte
 * (<a href="https://www.rfc-editor.org/rfc/rfc7983#section-7">RFC 7983 section 7</a>), a well-formed
 * STUN message with a FINGERPRINT (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7">RFC 8445
 * section 7</a>) from a unicast peer (section 5.1.1), of the Binding method. Allocates nothing.
 */
final class StunScreen {
    private static final int BINDING = 0x001;

    /** What the datagram is, for the agent. */
    enum Verdict {
        /** Not STUN (DTLS, RTP, application data), or too short to be a STUN message: application data. */
        APPLICATION_DATA,
        /** A STUN message that was dropped or refused, and counted: nothing more to do. */
        DROPPED,
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
     * Screens the datagram {@code in}; unless the verdict is {@link Verdict#APPLICATION_DATA}, or the
     * datagram was too short, {@code reader} has read it. What is dropped is counted in {@code status}:
     * malformed, without a valid FINGERPRINT, of another method than Binding, or anything once the
     * agent is closed, in {@link AgentStatus#dropped()}; from an address that is not a unicast peer
     * (never answered, never a peer-reflexive candidate) in {@link AgentStatus#refusedNonUnicast()}.
     */
    static Verdict screen(StunMessageReader reader, Datagram in, AgentStatus status) {
        ByteBuffer buffer = in.buffer();
        if (in.length() == 0 || (buffer.get(in.offset()) & 0xFF) > 3) {
            return Verdict.APPLICATION_DATA;
        }
        if (status.state() == IceState.CLOSED || !reader.tryRead(buffer, in.offset(), in.length())) {
            status.dropped++;
            return reader.rejection() == null || in.length() >= StunMessageReader.HEADER_LENGTH
                    ? Verdict.DROPPED : Verdict.APPLICATION_DATA;
        }
        if (!reader.hasFingerprint() || !reader.fingerprintMatches()) {
            status.dropped++; // checks carry FINGERPRINT
            return Verdict.DROPPED;
        }
        if (!UnicastAddress.isUnicast(in.source())) {
            status.refusedNonUnicast++;
            return Verdict.DROPPED;
        }
        if (reader.methodCode() != BINDING) {
            status.dropped++; // e.g. Chrome's GOOG-PING, which it sends only to peers that announce it
            return Verdict.DROPPED;
        }
        StunClass cls = reader.messageClass();
        return cls == StunClass.REQUEST ? Verdict.REQUEST : cls.isResponse() ? Verdict.RESPONSE : Verdict.INDICATION;
    }
}
