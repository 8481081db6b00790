package io.reactiveice.benchmarks;

import java.util.Locale;

/**
 * One measured run through the relay (or, for the baseline, straight to the peer), whichever client
 * made it.
 *
 * @param round the round it belongs to (0: warm-up)
 * @param row which row of the table it belongs to, e.g. {@code "ours x1 window 32"}
 * @param clients how many clients (allocations) sent at once
 * @param sent datagrams sent
 * @param echoed echoes the client received
 * @param atPeer what reached the echo peer, and its rate while every client was sending
 * @param clientRate echoes per second as the client saw them (first send to last echo); NaN for
 *     {@code turnutils_uclient}, which does not say
 * @param rtt our round trips, sorted, in nanoseconds; empty for {@code turnutils_uclient}
 * @param uclient {@code turnutils_uclient}'s own report, or {@code null}
 * @param clientCpuNanos CPU the client used (our JVM without the echo peer, or the uclient process)
 * @param coturnCpuNanos CPU coturn used
 * @param othersCores cores other processes took meanwhile
 * @param drops what the kernel dropped on the way
 */
record TurnRun(int round, String row, int clients, long sent, long echoed, EchoPeer.Flow atPeer, double clientRate,
        long[] rtt, Uclient.Report uclient, long clientCpuNanos, long coturnCpuNanos, double othersCores, Drops drops) {

    /**
     * Datagrams the kernel dropped during the run because a socket's receive buffer was full.
     *
     * @param client at the client's sockets; -1 if not known ({@code turnutils_uclient}'s are closed when it exits)
     * @param coturn at coturn's listening port
     * @param peer at the echo peer
     * @param machine at every UDP socket of the machine ({@code RcvbufErrors} of {@code /proc/net/snmp})
     */
    record Drops(long client, long coturn, long peer, long machine) {
    }

    /** The fraction of sent datagrams whose echo did not come back. */
    double loss() {
        return sent == 0 ? Double.NaN : 1 - (double) Math.min(echoed, sent) / sent;
    }

    /** A percentile of our round trips in microseconds, or NaN. */
    double rttMicros(double percentile) {
        return rtt.length == 0 ? Double.NaN : BenchSupport.percentile(rtt, percentile) / 1_000.0;
    }

    /** The relay rate at the peer, or NaN. */
    double peerRate() {
        return atPeer == null ? Double.NaN : atPeer.perSecond();
    }

    /**
     * Completed round trips per second, by the peer's clock: the rate at the peer times the share of
     * the datagrams that reached it whose echo also got back. Equal to {@link #peerRate()} without loss;
     * a client that loses on the way back gets no credit for what it lost.
     */
    double roundTripRate() {
        if (atPeer == null || atPeer.datagrams() == 0) {
            return Double.NaN;
        }
        return atPeer.perSecond() * Math.min(1.0, (double) echoed / atPeer.datagrams());
    }

    /** CPU per datagram sent, in microseconds. */
    double clientMicrosPerDatagram() {
        return sent == 0 ? Double.NaN : clientCpuNanos / 1_000.0 / sent;
    }

    /** coturn's CPU per datagram sent (each is relayed twice: out and back), in microseconds. */
    double coturnMicrosPerDatagram() {
        return sent == 0 ? Double.NaN : coturnCpuNanos / 1_000.0 / sent;
    }

    /** One line for the log of the run. */
    String describe() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "round %d %-26s sent %,9d  echoed %,9d  loss %6.3f%%", round, row, sent, echoed, 100 * loss()));
        if (atPeer != null) {
            s.append(String.format(Locale.ROOT, "  at the peer %,8.0f/s over %.2f s from %d allocations,"
                    + " round trips %,8.0f/s", atPeer.perSecond(), atPeer.seconds(), atPeer.sources(), roundTripRate()));
        }
        if (!Double.isNaN(clientRate)) {
            s.append(String.format(Locale.ROOT, "  echoes %,8.0f/s", clientRate));
        }
        if (rtt.length > 0) {
            s.append(String.format(Locale.ROOT, "\n      rtt us: min %.1f  median %.1f  p99 %.1f  max %.1f", rttMicros(0),
                    rttMicros(50), rttMicros(99), rttMicros(100)));
        }
        if (uclient != null) {
            s.append(String.format(Locale.ROOT, "\n      uclient's own rtt (whole ms): average %.3f ms, min %d, max %d;"
                    + " it counts %d lost", uclient.rttAverageMillis(), uclient.rttMinMillis(), uclient.rttMaxMillis(),
                    uclient.lost()));
        }
        s.append(String.format(Locale.ROOT, "\n      cpu per datagram: client %.2f us, coturn %.2f us;"
                + " other processes %.2f cores", clientMicrosPerDatagram(), coturnMicrosPerDatagram(), othersCores));
        s.append(String.format(Locale.ROOT, "\n      kernel receive-buffer drops: client %s, coturn %d, peer %d,"
                + " whole machine %d", drops.client() < 0 ? "n/a" : Long.toString(drops.client()), drops.coturn(),
                drops.peer(), drops.machine()));
        return s.toString();
    }
}
