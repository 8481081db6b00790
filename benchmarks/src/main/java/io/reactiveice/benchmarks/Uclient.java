package io.reactiveice.benchmarks;

import io.reactiveice.testing.Coturn;
import io.reactiveice.testing.ExternalProgram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * coturn's own test client, {@code turnutils_uclient} (Debian package {@code coturn}), run once
 * against a server and an echo peer, with its summary parsed.
 *
 * <p>The flags: {@code -c} one allocation per client (no second, RTCP allocation), {@code -m} clients,
 * {@code -n} messages per client, {@code -l} message length, {@code -z 0} no interval between messages,
 * {@code -u}/{@code -w} long-term credentials, {@code -e}/{@code -r} the peer, {@code -p} the server's
 * port. Without {@code -s} it binds a channel and sends ChannelData. Its pacing: a 1 ms libevent timer
 * sends at most 50 messages per client per tick, and each client starts 1 to 6 s after connecting,
 * at random. It stamps every message with a millisecond clock read once per tick and reports the
 * round trip in whole milliseconds.
 */
final class Uclient {
    private static final Pattern TOTALS = Pattern.compile("start_mclient: tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+)");
    private static final Pattern RTT =
            Pattern.compile("Average round trip delay ([0-9.]+) ms; min = (\\d+) ms, max = (\\d+) ms");

    private Uclient() {
    }

    /**
     * What one run of {@code turnutils_uclient} reported.
     *
     * @param sent messages sent, all clients
     * @param received messages echoed back
     * @param lost what it counts as lost
     * @param rttAverageMillis its average round trip, ms
     * @param rttMinMillis its least round trip, whole ms
     * @param rttMaxMillis its largest round trip, whole ms
     * @param cpuNanos the CPU time the process used (user and system)
     * @param command the command line
     */
    record Report(long sent, long received, long lost, double rttAverageMillis, long rttMinMillis, long rttMaxMillis,
            long cpuNanos, String command) {
    }

    /** The command line of one run. */
    static List<String> command(InetSocketAddress server, InetSocketAddress peer, int clients, int messages,
            int length) {
        return List.of(ExternalProgram.require("turnutils_uclient", "coturn").toString(), "-c", "-m",
                Integer.toString(clients), "-n", Integer.toString(messages), "-l", Integer.toString(length), "-z", "0",
                "-u", Coturn.USER, "-w", Coturn.PASSWORD, "-e", peer.getAddress().getHostAddress(), "-r",
                Integer.toString(peer.getPort()), "-p", Integer.toString(server.getPort()),
                server.getAddress().getHostAddress());
    }

    /**
     * Runs the client to the end and parses its summary.
     *
     * @param directory where its output goes ({@code uclient-<n>.txt})
     * @return its report
     * @throws IllegalStateException if it failed, hung or printed no summary
     */
    static Report run(InetSocketAddress server, InetSocketAddress peer, int clients, int messages, int length,
            Path directory) {
        List<String> command = command(server, peer, clients, messages, length);
        try {
            Path out = Files.createTempFile(directory, "uclient-", ".txt");
            long childrenBefore = BenchSupport.ProcessTicks.read("self").children();
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            // start-up (up to 6 s), sending at 12,500 per client per second at least, 10 s of waiting for losses
            long limit = 60 + messages / 1_000L;
            if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("turnutils_uclient did not finish in " + limit + " s; see " + out);
            }
            long cpu = (BenchSupport.ProcessTicks.read("self").children() - childrenBefore)
                    * BenchSupport.ProcessTicks.TICK_NANOS;
            String text = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("turnutils_uclient exited with " + p.exitValue() + "; see " + out);
            }
            Matcher totals = last(TOTALS, text, out);
            Matcher lost = last(LOST, text, out);
            Matcher rtt = last(RTT, text, out);
            return new Report(Long.parseLong(totals.group(1)), Long.parseLong(totals.group(2)),
                    Long.parseLong(lost.group(1)), Double.parseDouble(rtt.group(1)), Long.parseLong(rtt.group(2)),
                    Long.parseLong(rtt.group(3)), cpu, String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The last match in the text, with its groups. */
    private static Matcher last(Pattern pattern, String text, Path out) {
        Matcher m = pattern.matcher(text);
        int at = -1;
        while (m.find()) {
            at = m.start();
        }
        if (at < 0) {
            throw new IllegalStateException("turnutils_uclient printed no '" + pattern.pattern() + "'; see " + out);
        }
        m.find(at);
        return m;
    }
}
