package io.reactiveice.internal.agent;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.stun.IntegrityKey;

/**
 * Local and remote credentials of one ICE session (between restarts), with the keys derived from
 * them once. The remote half arrives through signalling, possibly after the first candidates.
 */
final class SessionCredentials {
    final IceCredentials local;
    final IntegrityKey localKey;
    IceCredentials remote;
    IntegrityKey remoteKey;

    SessionCredentials(IceCredentials local) {
        this.local = local;
        this.localKey = IntegrityKey.shortTerm(local.pwd());
    }

    void remote(IceCredentials r) {
        remote = r;
        remoteKey = IntegrityKey.shortTerm(r.pwd());
    }

    /** The USERNAME of our requests: {@code remote-ufrag ":" local-ufrag} (RFC 8445 section 7.2.2). */
    String outgoingUsername() {
        return remote.ufrag() + ":" + local.ufrag();
    }
}
