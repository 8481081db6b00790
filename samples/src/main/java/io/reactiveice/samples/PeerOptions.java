package io.reactiveice.samples;

import io.reactiveice.IceServer;
import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.AnnouncedAddress;
import io.reactiveice.candidate.IpLiteral;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link IcePeer}, as the option table of the peer protocol
 * ({@code shared/interop/PROTOCOL.md}) gives it.
 *
 * @param role {@code --controlling} (default) or {@code --controlled}
 * @param addresses {@code --addr}, repeatable; {@code 127.0.0.1} when none is given; empty with
 *     {@code --all-interfaces}
 * @param allInterfaces {@code --all-interfaces}: host candidates from every usable non-loopback
 *     interface, as the library enumerates them, instead of {@code --addr}
 * @param iceServers the STUN servers ({@code --stun HOST:PORT}, repeatable) and the TURN server
 *     ({@code --turn HOST:PORT} with {@code --turn-user}, {@code --turn-pass}, {@code --turn-transport});
 *     empty with {@code --host-only}
 * @param trustedCertificates {@code --turn-ca FILE}: the certificates a TLS TURN server is checked
 *     against instead of the JDK's trust store; empty when not given
 * @param relayOnly {@code --relay-only}: transport policy relay
 * @param lite {@code --lite}: an ICE-lite agent (host candidates only, always controlled)
 * @param echo {@code --echo}
 * @param send {@code --send N}, 0 for none
 * @param size {@code --size B}, the length of each ping datagram
 * @param interval {@code --interval MS}, between pings
 * @param waitTime {@code --wait S}, for the warm-up and for the last echoes
 * @param exitAfterStats {@code --exit-after-stats}
 * @param timeout {@code --timeout S}, to connect
 * @param announced {@code --announce LOCAL=PUBLIC}, repeatable: {@code PUBLIC} signalled as the host
 *     candidate's address for {@code LOCAL} (behind a one-to-one NAT)
 * @param verbose {@code -v}
 * @param autoRestart {@code --auto-restart}: the agent restarts ICE on its own when no valid pair is left
 *     ({@code RecoveryPolicy.RESTART}); its new {@code credentials}, {@code candidate}s and
 *     {@code end-of-candidates} are printed as after a {@code restart} message
 * @param tcp {@code --tcp}: ICE-TCP host candidates too (RFC 6544: passive and, unless lite, active)
 * @param tcpOnly {@code --tcp-only}: ICE-TCP host candidates only, no UDP at all
 */
record PeerOptions(IceRole role, List<InetAddress> addresses, boolean allInterfaces, List<IceServer> iceServers,
        List<X509Certificate> trustedCertificates, boolean relayOnly, boolean lite, boolean echo, int send, int size,
        Duration interval, Duration waitTime, boolean exitAfterStats, Duration timeout, boolean verbose,
        List<AnnouncedAddress> announced, boolean autoRestart, boolean tcp, boolean tcpOnly) {

    /** Whether a TURN server is configured (and so relayed candidates are gathered). */
    boolean usesTurn() {
        return iceServers.stream().anyMatch(IceServer::isTurn);
    }

    /** A command line that cannot run: the message goes to stderr and the process exits with 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final String USAGE = """
            usage: java -jar ice-peer.jar [options]   (JSON lines on stdin/stdout, see shared/interop/PROTOCOL.md)
              --controlling | --controlled   ICE role (default controlling)
              --addr IP                      local address for host candidates, repeatable (default 127.0.0.1)
              --all-interfaces               host candidates from every usable non-loopback interface
                                             instead of --addr (inside a network namespace)
              --stun HOST:PORT               a STUN server, repeatable
              --turn HOST:PORT               a TURN server (needs --turn-user and --turn-pass)
              --turn-user U, --turn-pass P   its long-term credentials
              --turn-transport udp|tcp|tls   how to reach it (default udp; tls is turns:, certificate verified)
              --turn-ca FILE                 PEM certificate(s) to trust for --turn-transport tls instead of
                                             the JDK's trust store (e.g. a test server's self-signed one)
              --relay-only                   signal and use relayed candidates only (transport policy relay);
                                             needs --turn
              --host-only                    ignore STUN and TURN servers: host candidates only
              --echo                         send every received datagram back
              --send N                       after connecting, send N pings and print stats
              --size B                       ping size in bytes (default 100)
              --interval MS                  between pings (default 10)
              --wait S                       warm-up limit and wait for the last echoes (default 2)
              --exit-after-stats             close and exit once stats are printed
              --timeout S                    fail if not connected after S seconds (default 30)
              --announce LOCAL=PUBLIC        signal PUBLIC as the host candidate for LOCAL (a server behind a
                                             one-to-one NAT), repeatable
              -v                             debug logging on stderr
              --auto-restart                 restart ICE on its own when no valid pair is left (the new
                                             credentials and candidates are printed as after restart)
              --lite                         an ICE-lite agent: host candidates only, always controlled
              --tcp                          also ICE-TCP host candidates (RFC 6544, passive and active)
              --tcp-only                     ICE-TCP host candidates only, no UDP at all
            """;

    /**
     * Parses the arguments.
     *
     * @param args the command line
     * @return the options
     * @throws UsageException for an unknown, malformed or unsupported option, naming it
     */
    static PeerOptions parse(String... args) throws UsageException {
        Builder b = new Builder();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (b.flag(arg)) {
                continue;
            }
            if (value == null) {
                throw new UsageException(arg.startsWith("-") && b.takesValue(arg) ? arg + " needs a value"
                        : "unknown option " + arg);
            }
            b.option(arg, value);
            i++;
        }
        return b.build();
    }

    /** Collects options as they come. */
    private static final class Builder {
        IceRole role = IceRole.CONTROLLING;
        boolean explicitRole;
        final List<InetAddress> addresses = new ArrayList<>();
        boolean allInterfaces;
        final List<IceServer> stun = new ArrayList<>();
        final TurnOptions turn = new TurnOptions();
        boolean hostOnly;
        boolean relayOnly;
        boolean lite;
        boolean echo;
        int send;
        int size = 100;
        long intervalMs = 10;
        Duration waitTime = Duration.ofSeconds(2);
        boolean exitAfterStats;
        Duration timeout = Duration.ofSeconds(30);
        boolean verbose;
        final List<AnnouncedAddress> announced = new ArrayList<>();
        boolean autoRestart;
        boolean tcp;
        boolean tcpOnly;

        boolean flag(String arg) throws UsageException {
            switch (arg) {
                case "--controlling" -> {
                    role = IceRole.CONTROLLING;
                    explicitRole = true;
                }
                case "--controlled" -> role = IceRole.CONTROLLED;
                case "--host-only" -> hostOnly = true;
                case "--echo" -> echo = true;
                case "--exit-after-stats" -> exitAfterStats = true;
                case "-v", "--verbose" -> verbose = true;
                case "--relay-only" -> relayOnly = true;
                case "--lite" -> lite = true;
                case "--all-interfaces" -> allInterfaces = true;
                case "--auto-restart" -> autoRestart = true;
                case "--tcp" -> tcp = true;
                case "--tcp-only" -> tcpOnly = true;
                default -> {
                    return false;
                }
            }
            return true;
        }

        boolean takesValue(String arg) {
            return List.of("--addr", "--stun", "--send", "--size", "--interval", "--wait", "--timeout", "--announce")
                    .contains(arg) || TurnOptions.OPTIONS.contains(arg);
        }

        void option(String arg, String value) throws UsageException {
            switch (arg) {
                case "--addr" -> addresses.add(address(value));
                case "--stun" -> stun.add(stun(value));
                case "--send" -> send = (int) integer(arg, value, 0, 1_000_000);
                case "--size" -> size = (int) integer(arg, value, 1, 65_000);
                case "--interval" -> intervalMs = integer(arg, value, 0, 60_000);
                case "--wait" -> waitTime = seconds(arg, value);
                case "--timeout" -> timeout = seconds(arg, value);
                case "--announce" -> announced.add(announce(value));
                default -> {
                    if (!TurnOptions.OPTIONS.contains(arg)) {
                        throw new UsageException("unknown option " + arg);
                    }
                    turn.option(arg, value);
                }
            }
        }

        PeerOptions build() throws UsageException {
            if (echo && send > 0) {
                throw new UsageException("--echo and --send cannot be combined: the peer would echo its own pings");
            }
            if (relayOnly && hostOnly) {
                throw new UsageException("--relay-only and --host-only cannot be combined: one allows relayed "
                        + "candidates only, the other host candidates only");
            }
            if (lite && (relayOnly || role == IceRole.CONTROLLING && explicitRole)) {
                throw new UsageException("--lite cannot be combined with " + (relayOnly ? "--relay-only" : "--controlling")
                        + ": a lite agent has host candidates only and is always controlled");
            }
            if (allInterfaces && !addresses.isEmpty()) {
                throw new UsageException("--all-interfaces and --addr cannot be combined: one takes every interface's "
                        + "addresses, the other only those given");
            }
            if (tcpOnly && relayOnly) {
                throw new UsageException("--tcp-only and --relay-only cannot be combined: relayed candidates are UDP");
            }
            IceServer turnServer = turn.server();
            if (relayOnly && turnServer == null) {
                throw new UsageException("--relay-only needs a TURN server: --turn HOST:PORT --turn-user U --turn-pass P");
            }
            List<X509Certificate> certificates = turn.certificates();
            List<IceServer> servers = new ArrayList<>();
            if (!hostOnly) {
                servers.addAll(stun);
                if (turnServer != null) {
                    servers.add(turnServer);
                }
            }
            List<InetAddress> addr = allInterfaces ? List.of()
                    : addresses.isEmpty() ? List.of(InetAddress.getLoopbackAddress()) : addresses;
            return new PeerOptions(lite ? IceRole.CONTROLLED : role, List.copyOf(addr), allInterfaces,
                    List.copyOf(servers),
                    certificates, relayOnly, lite, echo, send,
                    size, Duration.ofMillis(intervalMs), waitTime, exitAfterStats, timeout, verbose,
                    List.copyOf(announced), autoRestart, tcp || tcpOnly, tcpOnly);
        }
    }

    private static UsageException unsupported(String option, String what) {
        return new UsageException(option + " is not supported: reactive-ice cannot do " + what + " yet");
    }

    private static InetAddress address(String value) throws UsageException {
        InetAddress ip = IpLiteral.parse(value);
        if (ip == null) {
            throw new UsageException("--addr must be an IP address but was " + value);
        }
        return ip;
    }

    private static AnnouncedAddress announce(String value) throws UsageException {
        int eq = value.indexOf('=');
        InetAddress local = eq < 0 ? null : IpLiteral.parse(value.substring(0, eq));
        InetAddress announced = eq < 0 ? null : IpLiteral.parse(value.substring(eq + 1));
        if (local == null || announced == null) {
            throw new UsageException("--announce must be LOCAL=PUBLIC, two IP addresses, but was " + value);
        }
        try {
            return AnnouncedAddress.host(local, announced);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--announce " + value + ": " + e.getMessage());
        }
    }

    private static IceServer stun(String value) throws UsageException {
        try {
            return IceServer.parse("stun:" + value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--stun must be HOST:PORT but was " + value + " (" + e.getMessage() + ")");
        }
    }

    private static long integer(String option, String value, long min, long max) throws UsageException {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be an integer in " + min + ".." + max + " but was " + value);
    }

    private static Duration seconds(String option, String value) throws UsageException {
        try {
            double s = Double.parseDouble(value);
            if (s > 0 && s <= 86_400) {
                return Duration.ofNanos((long) (s * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a number of seconds in (0, 86400] but was " + value);
    }
}
