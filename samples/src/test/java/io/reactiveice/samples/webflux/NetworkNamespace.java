package io.reactiveice.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.testing.ExternalProgram;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A network of its own for a browser under test: a network namespace joined to this one by a veth
 * pair, both ends with private addresses of one /30 subnet. The service keeps its end in this
 * namespace and binds only that address; the browser runs inside through {@code ip netns exec}.
 *
 * <p>Nothing can leave: the namespace has no default route (this namespace does not forward
 * either), IPv6 is off on every interface of the test, and DNS inside points at the namespace's
 * own loopback. One host route exists, to {@code 8.8.8.8}, the address Chromium {@code connect()}s
 * a UDP socket to (sending nothing) to learn which local address a default route would use; it
 * leads into a second veth pair whose both ends lie inside the namespace, a sink whose packet
 * counter {@link #sinkPackets()} must stay at zero. With it, Chromium without media permission
 * gathers that address under an mDNS name, as it does on a real network.
 *
 * <p>For a service whose own address changes under a live page, a second /30, the ICE subnet,
 * holds addresses that come and go on the service's end ({@link #addServiceAddress},
 * {@link #removeServiceAddress}), each a /32 so that it brings no route: the namespace routes the
 * whole subnet into the veth pair, and this namespace answers for whichever of its two addresses it
 * has at the moment. The web server keeps the first subnet's address, so the page's signalling
 * survives the change.
 *
 * <p>For a browser on a network that blocks UDP, {@link #blockUdp()} drops all UDP in the namespace;
 * for a service behind a one-to-one NAT, {@link #natToService} maps an address of the ICE subnet onto
 * the service's end.
 *
 * <p>Names carry the JVM's PID, so that concurrent runs do not collide; {@link #close()} kills
 * every process left in the namespace and deletes it with its links, also after a failure.
 */
final class NetworkNamespace implements AutoCloseable {
    /** The address Chromium asks the routing table about to find its default local address. */
    static final String PUBLIC_PROBE = "8.8.8.8";
    /** The nftables table of {@link #blockUdp()}. */
    private static final String UDP_BLOCK = "reactive_ice_udp_block";

    private final String name;
    private final String hostLink;
    private final InetAddress serviceAddress;
    private final InetAddress browserAddress;
    /** The ICE subnet's network address; its two host addresses follow. */
    private final InetAddress iceSubnet;
    private final Path netnsEtc;
    /** Tears down when the JVM is stopped before the tests close the namespace. */
    private final Thread onExit = new Thread(() -> {
        try {
            tearDown();
        } catch (IOException | InterruptedException e) {
            // the JVM is going anyway
        }
    }, "network-namespace-teardown");

    private NetworkNamespace(long pid) throws UnknownHostException {
        this.name = "rice" + pid;
        this.hostLink = "rice" + pid + "h";
        int n = (int) (pid % 16_384);
        String prefix = "10.213." + (n / 64) + ".";
        this.serviceAddress = InetAddress.getByName(prefix + ((n % 64) * 4 + 1));
        this.browserAddress = InetAddress.getByName(prefix + ((n % 64) * 4 + 2));
        this.iceSubnet = InetAddress.getByName("10.214." + (n / 64) + "." + (n % 64) * 4);
        this.netnsEtc = Path.of("/etc/netns", name);
    }

    /**
     * Creates the namespace; needs root and Debian's {@code iproute2}.
     *
     * @return the namespace, to be closed
     */
    static NetworkNamespace create() throws IOException, InterruptedException {
        ExternalProgram.require("ip", "iproute2");
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("the browser tests create a network namespace and must run as root");
        }
        NetworkNamespace ns = new NetworkNamespace(ProcessHandle.current().pid());
        ns.deleteLeftovers();
        Runtime.getRuntime().addShutdownHook(ns.onExit);
        try {
            ns.build();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    private void build() throws IOException, InterruptedException {
        String service = serviceAddress.getHostAddress();
        String browser = browserAddress.getHostAddress();
        for (String route : run(List.of("ip", "-4", "route", "show")).split("\n")) {
            String prefix = route.split(" ")[0];
            if (!prefix.equals("default") && !prefix.isEmpty() && (overlaps(prefix, serviceAddress)
                    || overlaps(prefix, iceSubnet))) {
                throw new AssertionError("the test subnets " + service + "/30 and " + iceSubnet()
                        + " overlap a route of this host: " + route);
            }
        }
        Files.createDirectories(netnsEtc);
        Files.writeString(netnsEtc.resolve("resolv.conf"), "nameserver 127.0.0.1\n", StandardCharsets.US_ASCII);
        ip("netns", "add", name);
        inside("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        ip("link", "add", hostLink, "type", "veth", "peer", "name", "veth0", "netns", name);
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf", hostLink, "disable_ipv6"), "1");
        ip("addr", "add", service + "/30", "dev", hostLink);
        ip("link", "set", hostLink, "up");
        ip("-n", name, "addr", "add", browser + "/30", "dev", "veth0");
        ip("-n", name, "link", "set", "veth0", "up");
        ip("-n", name, "link", "set", "lo", "up");
        ip("-n", name, "link", "add", "sink0", "type", "veth", "peer", "name", "sink1");
        ip("-n", name, "link", "set", "sink0", "up");
        ip("-n", name, "link", "set", "sink1", "up");
        ip("-n", name, "route", "add", PUBLIC_PROBE + "/32", "dev", "sink0", "src", browser);
        ip("-n", name, "route", "add", iceSubnet(), "dev", "veth0", "src", browser);
    }

    /** The ICE subnet, {@code 10.214.x.y/30}: addresses the service's end may gain and lose. */
    String iceSubnet() {
        return iceSubnet.getHostAddress() + "/30";
    }

    /**
     * An address of the ICE subnet.
     *
     * @param host 1 or 2
     * @return the subnet's first or second host address
     */
    InetAddress iceAddress(int host) throws UnknownHostException {
        if (host != 1 && host != 2) {
            throw new IllegalArgumentException("host must be 1 or 2 but was " + host);
        }
        byte[] a = iceSubnet.getAddress();
        a[3] += (byte) host;
        return InetAddress.getByAddress(a);
    }

    /** The name of the service's end of the veth pair, in this namespace. */
    String serviceLink() {
        return hostLink;
    }

    /** Gives the service's end an address of the ICE subnet, as a /32. */
    void addServiceAddress(InetAddress address) throws IOException, InterruptedException {
        ip("addr", "add", iceOnly(address) + "/32", "dev", hostLink);
    }

    /** Takes an address of the ICE subnet from the service's end; its sockets stay, but nothing reaches them. */
    void removeServiceAddress(InetAddress address) throws IOException, InterruptedException {
        ip("addr", "del", iceOnly(address) + "/32", "dev", hostLink);
    }

    private String iceOnly(InetAddress address) throws UnknownHostException {
        if (!address.equals(iceAddress(1)) && !address.equals(iceAddress(2))) {
            throw new IllegalArgumentException(address.getHostAddress() + " is not in the ICE subnet " + iceSubnet());
        }
        return address.getHostAddress();
    }

    /** The service's end: the only address the agent and the web server may bind. */
    InetAddress serviceAddress() {
        return serviceAddress;
    }

    /** The browser's end, inside the namespace. */
    InetAddress browserAddress() {
        return browserAddress;
    }

    /**
     * Starts a program inside the namespace.
     *
     * @param command the program and its arguments
     * @param log where its stdout and stderr go
     * @return the process; {@code ip netns exec} replaces itself with the program, so this is it
     */
    Process start(List<String> command, Path log) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Drops every UDP packet in and out of the namespace, loopback included, as a network that blocks
     * UDP does (nftables, in this namespace only: the service's side is untouched); needs Debian's
     * {@code nftables}. TCP, the page's signalling and ChromeDriver's, still passes.
     */
    void blockUdp() throws IOException, InterruptedException {
        ExternalProgram.require("nft", "nftables");
        inside("nft", "add table inet " + UDP_BLOCK + " { chain in { type filter hook input priority 0; policy accept;"
                + " meta l4proto udp counter drop; }; chain out { type filter hook output priority 0; policy accept;"
                + " meta l4proto udp counter drop; }; }");
    }

    /** Lets UDP pass again; nothing happens if it was not blocked. */
    void unblockUdp() throws IOException, InterruptedException {
        runQuietly(List.of("ip", "netns", "exec", name, "nft", "delete", "table", "inet", UDP_BLOCK));
    }

    /** UDP packets {@link #blockUdp()} dropped so far, both ways. */
    long droppedUdp() throws IOException, InterruptedException {
        String rules = run(List.of("ip", "netns", "exec", name, "nft", "list", "table", "inet", UDP_BLOCK));
        return Pattern.compile("counter packets (\\d+)").matcher(rules).results()
                .mapToLong(m -> Long.parseLong(m.group(1))).sum();
    }

    /**
     * A one-to-one NAT in front of the service, as the browser sees it: what the namespace sends to
     * {@code publicAddress} (an address of the ICE subnet, which the namespace routes into the veth
     * pair) goes to the service's end instead, and the answers come back from {@code publicAddress}
     * (nftables DNAT, undone for the answers by connection tracking). Until {@link #close()}.
     */
    void natToService(InetAddress publicAddress) throws IOException, InterruptedException {
        ExternalProgram.require("nft", "nftables");
        inside("nft", "add table ip reactive_ice_nat { chain out { type nat hook output priority -100; policy accept;"
                + " ip daddr " + iceOnly(publicAddress) + " dnat to " + serviceAddress.getHostAddress() + "; }; }");
    }

    /** Fails unless no packet went toward {@link #PUBLIC_PROBE}: nothing a test did left the test network. */
    void assertNothingLeft() throws IOException, InterruptedException {
        assertThat(sinkPackets()).as("packets sent toward %s", PUBLIC_PROBE).isZero();
    }

    /**
     * A browser test's tear-down: closes the {@code parts} that are there ({@code null} for those never
     * started), in order (the browser before the services it talks to), then this network, also if
     * closing one of them fails.
     */
    void closeAfter(AutoCloseable... parts) throws Exception {
        try {
            for (AutoCloseable part : parts) {
                if (part != null) {
                    part.close();
                }
            }
        } finally {
            close();
        }
    }

    /** Packets that went into the sink: anything sent toward an address outside the test network. */
    long sinkPackets() throws IOException, InterruptedException {
        String out = run(List.of("ip", "netns", "exec", name, "cat", "/sys/class/net/sink1/statistics/rx_packets"));
        return Long.parseLong(out.strip());
    }

    /** Kills what runs inside, deletes the namespace (and so both veth pairs) and its /etc files. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs
        }
        tearDown();
    }

    private void tearDown() throws IOException, InterruptedException {
        List<String> pids = List.of();
        try {
            pids = List.of(run(List.of("ip", "netns", "pids", name)).strip().split("\\s+"));
        } catch (AssertionError e) {
            // no such namespace (any more)
        }
        for (String pid : pids) {
            if (!pid.isEmpty()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        deleteLeftovers();
    }

    private void deleteLeftovers() throws IOException, InterruptedException {
        runQuietly(List.of("ip", "netns", "del", name));
        runQuietly(List.of("ip", "link", "del", hostLink));
        Files.deleteIfExists(netnsEtc.resolve("resolv.conf"));
        Files.deleteIfExists(netnsEtc);
    }

    /** Whether a route's prefix overlaps the /30 of {@code subnet}. */
    private static boolean overlaps(String prefix, InetAddress subnet) throws UnknownHostException {
        String[] p = prefix.split("/");
        int bits = p.length == 2 ? Integer.parseInt(p[1]) : 32;
        int common = Math.min(bits, 30);
        int mask = common == 0 ? 0 : -1 << (32 - common);
        return (toInt(InetAddress.getByName(p[0])) & mask) == (toInt(subnet) & mask);
    }

    private static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command);
    }

    private void inside(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(List.of(args));
        run(command);
    }

    private static void runQuietly(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** Runs a command to its end (30 s at most) and returns its output; fails on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
