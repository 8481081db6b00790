package io.reactiveice.benchmarks;

import io.reactiveice.IceAgent;
import io.reactiveice.IceSession;
import io.reactiveice.agent.IceState;
import io.reactiveice.sdp.CandidateLine;
import io.reactiveice.sdp.EndOfCandidates;
import io.reactiveice.sdp.IceParameters;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * A driver JVM of {@link SharedPortScaleBenchmark}: full ICE agents on a loopback address, one UDP socket
 * each, that connect to the service JVM's lite sessions and then keep them alive with consent
 * checks. It does what the service says over the {@link ControlChannel}:
 * <ul>
 *   <li>{@code OFFER id description}: start a full agent for the lite session {@code id}, give it the
 *       lite description (so it takes control), answer {@code ANSWER id description}, and report
 *       {@code CONNECTED id} when it has selected a pair, or {@code FAILED id reason};
 *   <li>{@code CLOSE id}: dispose that agent;
 *   <li>{@code STATS}: answer {@code STATS sessions cpuNanos heapUsed states threads}, the last being
 *       CPU time by thread since the previous {@code STATS};
 *   <li>{@code QUIT} or the end of the connection: dispose everything and exit.
 * </ul>
 *
 * <p>Started by the service with {@code --control=PORT} (the loopback TCP port to connect to),
 * {@code --consent-ms=N} (the consent interval of every agent, default the library's 5,000) and
 * {@code --addr=IP} (the loopback address its agents bind, default 127.0.0.1) and {@code --tcp=1} (ICE-TCP
 * candidates only, no UDP).
 */
public final class ScaleDriver {
    private final IceAgent agent;
    private final Map<Integer, IceSession> sessions = new ConcurrentHashMap<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile ControlChannel channel;
    private Map<String, long[]> threadsMark = Map.of(); // the control reader's only

    private ScaleDriver(IceAgent agent) {
        this.agent = agent;
    }

    /**
     * Runs the driver until the service says {@code QUIT} or goes away.
     *
     * @param args {@code --control=PORT}, {@code --consent-ms=N}, {@code --addr=IP} (a loopback address the
     *     agents bind, default 127.0.0.1), {@code --tcp=0|1}
     * @throws Exception if the control connection fails
     */
    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogging();
        int control = BenchSupport.intArg(args, "control", -1);
        int consentMs = BenchSupport.intArg(args, "consent-ms", 5_000);
        InetAddress address = InetAddress.getByName(BenchSupport.stringArg(args, "addr", "127.0.0.1"));
        IceAgent agent = IceAgent.create().hostAddresses(List.of(address))
                .consent(Duration.ofMillis(consentMs), Duration.ofSeconds(30), Duration.ofMillis(7_500));
        if (BenchSupport.intArg(args, "tcp", 0) == 1) {
            agent = agent.udpCandidates(false).tcpCandidates(true); // ICE-TCP only: active and passive candidates
        }
        ScaleDriver driver = new ScaleDriver(agent);
        driver.channel = new ControlChannel(new Socket(InetAddress.getLoopbackAddress(), control), driver::onMessage);
        driver.done.await();
        driver.sessions.values().forEach(IceSession::dispose);
        driver.channel.close();
        System.exit(0);
    }

    private void onMessage(String[] m) {
        switch (m[0]) {
            case "OFFER" -> offer(Integer.parseInt(m[1]), m[2]);
            case "CLOSE" -> {
                IceSession s = sessions.remove(Integer.parseInt(m[1]));
                if (s != null) {
                    s.dispose();
                }
            }
            case "STATS" -> {
                String threads = BenchSupport.threadCpuSince(threadsMark);
                threadsMark = BenchSupport.threadCpuTicks();
                channel.send("STATS", sessions.size(), cpuNanos(),
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), states(), threads);
            }
            case "QUIT", "EOF" -> done.countDown();
            default -> System.err.println("driver: unknown message " + m[0]);
        }
    }

    private void offer(int id, String description) {
        List<String> lines = ControlChannel.lines(description);
        agent.start().subscribe(session -> {
            sessions.put(id, session);
            session.setRemoteParameters(IceParameters.parse(lines)); // a=ice-lite: this agent takes control
            CandidateLine.parseAll(lines).forEach(session::addRemoteCandidate);
            if (EndOfCandidates.isPresent(lines)) {
                session.remoteEndOfCandidates();
            }
            session.localCandidates().collectList().subscribe(
                    c -> channel.send("ANSWER", id, ControlChannel.description(session.localParameters(), c)));
            // no timeout operator per agent: the service's watchdog bounds the batch, and connect()
            // fails on its own when the agent does
            session.connect().subscribe(c -> channel.send("CONNECTED", id),
                    e -> channel.send("FAILED", id, e.toString().replace('\n', ' ')));
        }, e -> channel.send("FAILED", id, e.toString().replace('\n', ' ')));
    }

    private String states() {
        Map<IceState, Long> byState = sessions.values().stream()
                .collect(Collectors.groupingBy(IceSession::state, TreeMap::new, Collectors.counting()));
        return byState.toString().replace(" ", "");
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
