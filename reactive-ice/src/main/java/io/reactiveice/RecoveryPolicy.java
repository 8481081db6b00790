package io.reactiveice;

/**
 * What an agent does on its own when the network changes under a live session (issue 13), set with
 * {@link IceAgent#recovery(RecoveryPolicy)}.
 *
 * <p>Whatever the policy, the agent moves to the best remaining valid pair the instant the selected
 * pair's address disappears, fails over to a backup that answers when the selected pair goes silent
 * (RFC 7675), gathers on addresses that appear, and, with {@link IceAgent#renomination renomination} on
 * both sides, the controlling agent renominates a new pair that is valid and better than the selected
 * one (or any valid one once the selected pair is gone). None of that needs the application's
 * signalling. The policy decides the one step that does: an ICE restart (<a
 * href="https://www.rfc-editor.org/rfc/rfc8445#section-9">RFC 8445 section 9</a>), whose new
 * credentials and candidates the application must carry to the peer.
 *
 * <p>An enum rather than a switch, because what is automatic is a matter of degree that may grow (a
 * restart for a better path where renomination is missing, say); today there are two degrees.
 */
public enum RecoveryPolicy {
    /**
     * The default: move, fail over and renominate, never restart on its own. When no valid pair is
     * left and none becomes valid, the session goes DISCONNECTED and then FAILED when consent runs out,
     * unless the application calls {@link IceSession#restart()}.
     */
    RENOMINATE,
    /**
     * As {@link #RENOMINATE}, and restart ICE when that cannot save the session: the selected pair is
     * gone or silent (DISCONNECTED), no valid backup is left, and no pair can be renominated (without
     * renomination on both sides a second nomination is not RFC 8445, so a peer without it is restarted
     * with; with it, a pair that may still succeed gets {@link IceAgent#restartInterval the interval}
     * first). Either role restarts (RFC 8445 section 9). The new credentials and candidates come out
     * on {@link IceSession#restarts()} and {@link IceSession#localCandidates()} exactly as after
     * {@link IceSession#restart()}; the application signals them as it did the first ones. Off by
     * default because it needs that signalling.
     */
    RESTART
}
