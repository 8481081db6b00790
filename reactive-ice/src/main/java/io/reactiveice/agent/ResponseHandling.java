package io.reactiveice.agent;

import io.reactiveice.candidate.CandidatePriority;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageReader;
import java.net.InetSocketAddress;

/**
 * What the agent does with a response to one of its checks
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-7.2.5">RFC 8445 section 7.2.5</a>):
 * authenticate it against the transaction it answers, handle 487 by switching role, fail a pair
 * whose response is not symmetric, renew consent, learn a peer-reflexive local candidate, and mark
 * the pair valid. A response that is unknown or fails MESSAGE-INTEGRITY changes nothing.
 */
final class ResponseHandling {
    private final IceAgentCore core;
    private final StunMessageReader r;

    ResponseHandling(IceAgentCore core) {
        this.core = core;
        this.r = core.reader();
    }

    void handle(long now, InetSocketAddress base, InetSocketAddress source) {
        TransactionTable.Outstanding o = core.takeOutstanding();
        if (o == null) {
            return;
        }
        PairEntry pair = o.pair();
        if (!pair.held) {
            core.lateResponse(); // its pair left the checklist: nothing may come of it
            return;
        }
        if (r.messageClass() == StunClass.ERROR_RESPONSE) {
            onError(pair, o);
            return;
        }
        if (!pair.local.base().equals(base) || !pair.remoteAddress.equals(source)) {
            if (!o.consent()) {
                core.forgetChecks(pair);
                pair.transaction = null;
                pair.state = PairState.FAILED; // section 7.2.5.2.1: not symmetric
                core.nominationEnded(pair);
            }
            return;
        }
        pair.lastConsentAt = now;
        if (o.consent()) {
            new ConsentFreshness(core).consentRenewed(now, pair);
            return;
        }
        learnLocalPeerReflexive(pair);
        core.checkSucceeded(now, pair, o.nominates());
    }

    private void onError(PairEntry pair, TransactionTable.Outstanding o) {
        if (o.consent()) {
            return;
        }
        core.forgetChecks(pair);
        pair.transaction = null;
        core.nominationEnded(pair);
        if (errorCode() == 487) { // section 7.2.5.1: switch role and check the pair again
            core.switchRole();
            pair.state = PairState.WAITING;
            core.checklist().trigger(pair);
        } else {
            pair.state = PairState.FAILED;
        }
    }

    private int errorCode() {
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
    private void learnLocalPeerReflexive(PairEntry pair) {
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
        if (core.isLocalAddress(mapped)) {
            return;
        }
        long priority = CandidatePriority.of(CandidateType.PEER_REFLEXIVE.typePreference(),
                (int) ((pair.local.candidate().priority() >>> 8) & 0xFFFF), 1);
        IceCandidate prflx = IceCandidate.udp(core.nextPeerReflexiveFoundation("p"), 1, priority, mapped,
                CandidateType.PEER_REFLEXIVE);
        core.event(new IceEvent.LocalCandidateDiscovered(prflx));
    }
}
