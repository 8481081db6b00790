package io.reactiveice.agent;

import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;
import java.util.Queue;

/**
 * What a response to one of the agent's requests means
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.5">RFC 8445 section 7.2.5</a>), once it
 * is matched to its transaction and authenticated ({@link OutgoingChecks#take}): late, because its pair
 * left the checklist; a role conflict (487, section 7.2.5.1); a failure (another error, or not
 * symmetric, section 7.2.5.2.1); consent renewed (RFC 7675); or success, when a mapped address that is
 * none of our candidates is also learned as a peer-reflexive one (section 7.2.5.3.1). It returns the
 * outcome; the agent applies it.
 */
final class ResponseHandling {
    /** What the response asks of the agent. */
    enum Outcome {
        /** Nothing (an answer to a consent check that failed or came over another path). */
        NONE,
        /** Its pair left the checklist: ignored, counted. */
        LATE,
        /** 487: switch role and check the pair again. */
        ROLE_CONFLICT,
        /** The check failed. */
        CHECK_FAILED,
        /** A consent check was answered on its pair. */
        CONSENT,
        /** The check succeeded. */
        CHECK_SUCCEEDED
    }

    private final Candidates candidates;
    private final Queue<IceEvent> events;

    ResponseHandling(Candidates candidates, Queue<IceEvent> events) {
        this.candidates = candidates;
        this.events = events;
    }

    /** The outcome of the response in {@code r} to {@code o}, received on {@code base} from {@code source}. */
    Outcome handle(StunMessageReader r, TransactionTable.Outstanding o, InetSocketAddress base,
            InetSocketAddress source) {
        PairEntry pair = o.pair();
        if (!pair.held) {
            return Outcome.LATE; // its pair left the checklist: nothing may come of it
        }
        if (r.messageClass() == StunClass.ERROR_RESPONSE) {
            return o.consent() ? Outcome.NONE : errorCode(r) == 487 ? Outcome.ROLE_CONFLICT : Outcome.CHECK_FAILED;
        }
        if (!pair.local.base().equals(base) || !pair.remoteAddress.equals(source)) {
            return o.consent() ? Outcome.NONE : Outcome.CHECK_FAILED; // section 7.2.5.2.1: not symmetric
        }
        if (o.consent()) {
            return Outcome.CONSENT;
        }
        learnLocalPeerReflexive(r, pair);
        return Outcome.CHECK_SUCCEEDED;
    }

    private static int errorCode(StunMessageReader r) {
        if (r.indexOf(StunAttributeType.ERROR_CODE) < 0) {
            return 0;
        }
        try {
            return r.errorCode();
        } catch (RuntimeException malformed) {
            return 0;
        }
    }

    /** Section 7.2.5.3.1: a mapped address that is none of our candidates is a peer-reflexive one. */
    private void learnLocalPeerReflexive(StunMessageReader r, PairEntry pair) {
        int i = r.indexOf(StunAttributeType.XOR_MAPPED_ADDRESS);
        if (i < 0) {
            return;
        }
        InetSocketAddress mapped;
        try {
            mapped = r.xorAddress(i);
        } catch (RuntimeException malformed) {
            return;
        }
        if (candidates.isLocalAddress(mapped)) {
            return;
        }
        long priority = CandidatePriority.of(CandidateType.PEER_REFLEXIVE.typePreference(),
                (int) ((pair.local.candidate().priority() >>> 8) & 0xFFFF), 1);
        IceCandidate prflx = IceCandidate.udp(candidates.nextPeerReflexiveFoundation("p"), 1, priority, mapped,
                CandidateType.PEER_REFLEXIVE);
        events.add(new IceEvent.LocalCandidateDiscovered(prflx));
    }
}
