package io.reactiveice.agent;

import java.util.random.RandomGenerator;

/**
 * Consent freshness on the selected pair (<a href="https://www.rfc-editor.org/rfc/rfc7675#section-5.1">RFC
 * 7675 section 5.1</a>): a Binding request every 5 s, randomized to 0.8 to 1.2 times the interval;
 * consent is lost 30 s after the last response, and the agent then stops sending. After a shorter
 * silence it reports DISCONNECTED and probes the other valid pairs; the controlling agent
 * re-nominates one that answers, and the controlled agent follows that nomination.
 * These checks double as the keepalives of RFC 8445 section 11. An ICE-lite agent sends none: the
 * same two silences are measured on the peer's checks instead.
 */
final class ConsentFreshness {
    private final IceAgentCore core;

    ConsentFreshness(IceAgentCore core) {
        this.core = core;
    }

    /** The consent interval randomized per RFC 7675 section 5.1. */
    static long jitter(long interval, RandomGenerator random) {
        return (long) (interval * (0.8 + 0.4 * random.nextDouble()));
    }

    void run(long now) {
        PairEntry selected = core.selectedEntry();
        IceState state = core.state();
        if (selected == null || state == IceState.FAILED || state == IceState.CLOSED) {
            return;
        }
        CoreConfig c = core.config();
        if (!c.lite() && now >= core.nextConsentAt()) {
            core.sendConsentCheck(now, selected);
            if (state == IceState.DISCONNECTED) {
                probeOthers(now, selected);
            }
            core.nextConsentAt(now + jitter(c.consentInterval().toNanos(), core.random()));
        }
        long silent = now - selected.lastConsentAt;
        if (silent >= c.consentTimeout().toNanos()) {
            core.setState(IceState.FAILED); // consent lost: no data may be sent (section 5.1)
        } else if (silent >= c.disconnectedTimeout().toNanos()
                && (state == IceState.CONNECTED || state == IceState.COMPLETED)) {
            core.setState(IceState.DISCONNECTED);
            if (!c.lite()) {
                probeOthers(now, selected);
            }
        }
    }

    void probeOthers(long now, PairEntry selected) {
        for (PairEntry p : core.checklist().pairs()) {
            if (p != selected && p.valid && !p.retired) {
                core.sendConsentCheck(now, p);
            }
        }
    }

    /** A consent response arrived on {@code pair}. */
    void consentRenewed(long now, PairEntry pair) {
        PairEntry selected = core.selectedEntry();
        if (pair == selected) {
            if (core.state() == IceState.DISCONNECTED) {
                core.setState(IceState.CONNECTED);
            }
            return;
        }
        if (core.state() == IceState.DISCONNECTED && pair.valid && !pair.retired
                && core.roleNow() == IceRole.CONTROLLING) {
            core.renominate(now, pair); // both sides select it when the check succeeds
        }
    }
}
