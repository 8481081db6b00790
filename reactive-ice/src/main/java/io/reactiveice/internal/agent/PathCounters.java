package io.reactiveice.internal.agent;

import java.net.InetSocketAddress;

/**
 * The application datagrams of one path (a base and a remote address), which the shell's data path
 * counts and the core only reports in its {@link IceAgentCore#stats statistics}: the core never sees
 * application data.
 *
 * @param packetsSent datagrams sent
 * @param bytesSent their bytes
 * @param lastSentAt when the last one was sent, in nanoseconds of the agent's clock; {@link Long#MIN_VALUE} if none was
 * @param packetsReceived datagrams received
 * @param bytesReceived their bytes
 * @param lastReceivedAt when the last one arrived; {@link Long#MIN_VALUE} if none did
 * @param packetsDiscardedOnSend datagrams given to send that were released unsent
 * @param bytesDiscardedOnSend their bytes
 */
public record PathCounters(long packetsSent, long bytesSent, long lastSentAt, long packetsReceived,
        long bytesReceived, long lastReceivedAt, long packetsDiscardedOnSend, long bytesDiscardedOnSend) {
    /** Nothing sent or received. */
    public static final PathCounters NONE = new PathCounters(0, 0, Long.MIN_VALUE, 0, 0, Long.MIN_VALUE, 0, 0);

    /** Where the counts of each path come from. */
    @FunctionalInterface
    public interface Source {
        /** The counts of the path from {@code base} to {@code remote}; {@link #NONE} if it carried nothing. */
        PathCounters of(InetSocketAddress base, InetSocketAddress remote);

        /** No path carried anything (an agent without a data path, as in the core's tests). */
        static Source none() {
            return (base, remote) -> NONE;
        }
    }
}
