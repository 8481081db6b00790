package io.reactiveice.internal.agent;

import io.reactiveice.agent.PairFailure;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.candidate.TransportProtocol;
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
 * none of our candidates is also learned as a peer-reflexive one (section 7.2.5.3.1). The pair's
 * transitions go through the {@link Checklist}; what the agent itself must do (switch role, select,
 * renew consent) is returned as an {@link Outcome}.
 */
final class ResponseHandling {
    /** What the response asks of the agent besides the transitions done here. */
    enum Outcome {
        /** Nothing more. */
        NONE,
        /** Its pair left the checklist: ignored, counted. */
        LATE,
        /** 487: switch role (the pair is checked again, triggered). */
        SWITCH_ROLE,
        /** A consent check was answered on its pair ({@link ConsentFreshness#renewed}). */
        CONSENT,
        /** The check succeeded: the pair is valid; a nomination may be due. */
        SUCCEEDED,
        /** The check succeeded and nominated the pair: select it; a nomination may be due. */
        NOMINATED
    }

    private static final PairFailure.Cause NOT_SYMMETRIC = new PairFailure.NotSymmetric();

    private final Candidates candidates;
    private final Checklist checklist;
    private final OutgoingChecks checks;
    private final Nomination nomination;
    private final ConsentFreshness consent;
    private final Queue<IceEvent> events;

    ResponseHandling(Candidates candidates, Checklist checklist, OutgoingChecks checks, Nomination nomination,
            ConsentFreshness consent, Queue<IceEvent> events) {
        this.candidates = candidates;
        this.checklist = checklist;
        this.checks = checks;
        this.nomination = nomination;
        this.consent = consent;
        this.events = events;
    }

    /** Handles the response in {@code r} to {@code o}, received at {@code now} on {@code base} from {@code source}. */
    Outcome handle(long now, StunMessageReader r, TransactionTable.Outstanding o, InetSocketAddress base,
            InetSocketAddress source) {
        PairEntry pair = o.pair();
        if (!pair.held) {
            return Outcome.LATE; // its pair left the checklist: nothing may come of it
        }
        if (r.messageClass() == StunClass.ERROR_RESPONSE) {
            return o.consent() ? Outcome.NONE : checkError(pair, errorCode(r), r);
        }
        if (!pair.local.base().equals(base) || !pair.remoteAddress.equals(source)) {
            if (!o.consent()) {
                checks.failed(pair, NOT_SYMMETRIC); // section 7.2.5.2.1
            }
            return Outcome.NONE;
        }
        consent.proved(pair, now);
        if (o.consent()) {
            if (pair.rtt >= 0) { // a consent check on a valid pair: the path's round trip as it is now
                pair.rtt = now - o.sentAt();
            }
            return Outcome.CONSENT;
        }
        learnLocalPeerReflexive(r, pair);
        if (pair.rtt < 0) {
            pair.rtt = now - o.sentAt(); // of the transaction answered, which may have replaced the first
        }
        return checkSucceeded(now, pair, o.nominates());
    }

    private Outcome checkError(PairEntry pair, int code, StunMessageReader r) {
        if (code == 487) { // section 7.2.5.1: switch role and check the pair again
            checks.roleConflict(pair);
            return Outcome.SWITCH_ROLE;
        }
        checks.failed(pair, new PairFailure.ErrorResponse(code, reasonPhrase(r)));
        return Outcome.NONE;
    }

    /** The ERROR-CODE's reason phrase (after its 4 bytes of class and number), at most 128 characters. */
    private static String reasonPhrase(StunMessageReader r) {
        int i = r.indexOf(StunAttributeType.ERROR_CODE);
        try {
            String value = i < 0 ? "" : r.string(i);
            return value.length() <= 4 ? "" : value.substring(4, Math.min(value.length(), 4 + 128));
        } catch (RuntimeException malformed) {
            return "";
        }
    }

    /** Sections 7.2.5.3.2 to 7.2.5.3.4: valid, the foundation unfrozen, nominated if USE-CANDIDATE was on it. */
    private Outcome checkSucceeded(long now, PairEntry pair, boolean nominates) {
        checks.forget(pair); // the checks it replaced, if it was started early
        boolean added = checklist.checkSucceeded(pair);
        if (added) {
            events.add(new IceEvent.PairValidated(pair.snapshot()));
        }
        nomination.validated(now, added ? pair : null);
        if (nominates || pair.nominateOnSuccess) {
            checklist.nominated(pair);
            nomination.succeeded();
            return Outcome.NOMINATED;
        }
        return Outcome.SUCCEEDED;
    }

    /** The response's ERROR-CODE number, or 0 if it has none or a malformed one. */
    static int errorCode(StunMessageReader r) {
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
        if (candidates.isLocalAddress(mapped) || pair.local.candidate().transport() != TransportProtocol.UDP) {
            return; // over TCP the mapped port is the connection's, of no use to any other pair
        }
        long priority = pair.local.peerReflexivePriority();
        IceCandidate prflx = IceCandidate.udp(candidates.nextPeerReflexiveFoundation("p"), 1, priority, mapped,
                CandidateType.PEER_REFLEXIVE);
        events.add(new IceEvent.LocalCandidateDiscovered(prflx));
    }
}
