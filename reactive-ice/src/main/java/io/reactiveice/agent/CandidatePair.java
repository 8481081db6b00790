package io.reactiveice.agent;

import io.reactiveice.candidate.IceCandidate;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A local and a remote candidate as one path (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-6.1.2">RFC
 * 8445 section 6.1.2</a>): an immutable snapshot handed to applications.
 *
 * @param local our candidate
 * @param base the local socket address traffic of this pair leaves from
 * @param remote the peer's candidate
 * @param remoteAddress the peer's transport address
 * @param priority the pair priority (an unsigned 64-bit number)
 */
public record CandidatePair(IceCandidate local, InetSocketAddress base, IceCandidate remote,
        InetSocketAddress remoteAddress, long priority) {
    /** Checks the fields. */
    public CandidatePair {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    @Override
    public String toString() {
        return local.type().token() + " " + base + " <-> " + remote.type().token() + " " + remoteAddress;
    }
}
