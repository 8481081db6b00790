package io.reactiveice.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two hosts whose network changes under them, made of network namespaces and veth pairs that this
 * lab creates and {@link #close() removes}; nothing is linked to the root namespace. It is the
 * test bed of the network-change tests of issue 13: an address that disappears and comes back, an
 * address replaced by a new one on another link, and a NAT that changes a mapping. Needs root and
 * Debian's {@code iproute2}; {@link #behindRouter()} also {@code nftables} and {@code conntrack}.
 *
 * <p>{@link #twoLinks()}: host A and host B joined by two links, each a veth pair and a /24 of its
 * own, each host with an address on both. The only routes are the two connected ones, as for a
 * laptop on Wi-Fi and Ethernet at once: when A's address on a link goes (or the link goes down),
 * its route goes with it, and sending from A to B's address on that link fails at once with
 * "network unreachable", whatever socket it is sent from.
 *
 * <pre>
 *   A 10.7.1.1 ──link 1 (l1)── 10.7.1.2 B
 *   A 10.7.2.1 ──link 2 (l2)── 10.7.2.2 B
 * </pre>
 *
 * <p>{@link #behindRouter()}: host A in a private LAN behind a masquerading router R, host B on
 * R's public side. R maps A's ports into one of two disjoint port ranges and filters as a
 * port-restricted cone ({@link NatType#PORT_RESTRICTED_CONE}); {@link #rebind()} moves it to the
 * other range and forgets every mapping, so A's next datagram leaves from a new public port. B's
 * default route points at an address nobody has (as {@link NatLab}'s upstream does), so what it
 * sends to A's private address vanishes instead of failing.
 *
 * <pre>
 *   A 10.7.1.1 ──l1── 10.7.1.254 R 198.18.7.254 ──wan── 198.18.7.2 B
 * </pre>
 *
 * <p>{@link #behindOneToOneNat()}: the same two hosts and router, which maps a public address of its
 * own, {@code 198.18.7.10}, one to one onto A (a server behind a cloud provider's NAT, issue 14).
 */
public final class TwoLinkLab implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** The router's two port ranges: {@link #rebind()} alternates them. */
    private static final String[] PORT_RANGES = {"20000-29999", "30000-39999"};
    private static final String UPSTREAM = "198.18.7.253";
    private static final String UPSTREAM_MAC = "02:00:00:00:07:fd";
    /** How long a link end may take to become operationally up once both ends are set up. */
    private static final Duration LINK_UP = Duration.ofSeconds(10);

    private final String prefix;
    private final Host a;
    private final Host b;
    private final String router; // null without one
    private final List<String> created = new ArrayList<>();
    private int range;

    /**
     * One host of the lab.
     *
     * @param namespace its network namespace, for {@code ip netns exec}
     */
    public record Host(String namespace) {
        /**
         * A command line that runs a program on this host.
         *
         * @param command the program and its arguments
         * @return {@code ip netns exec <namespace> command...}
         */
        public List<String> exec(List<String> command) {
            List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            out.addAll(command);
            return out;
        }
    }

    /** The public address {@link #behindOneToOneNat()}'s router maps onto A's private one. */
    private static final String ONE_TO_ONE = "198.18.7.10";

    private TwoLinkLab(String prefix, boolean withRouter) {
        this.prefix = prefix;
        this.a = new Host(prefix + "A");
        this.b = new Host(prefix + "B");
        this.router = withRouter ? prefix + "R" : null;
    }

    /**
     * Hosts A and B joined by two links, each host with an address on both ({@link #address}).
     *
     * @return the lab, to be closed by the caller
     * @throws AssertionError naming the program or command that is missing or failed
     */
    public static TwoLinkLab twoLinks() {
        ExternalProgram.require("ip", "iproute2");
        TwoLinkLab lab = new TwoLinkLab(newPrefix(), false);
        try {
            lab.addHosts();
            for (int link = 1; link <= 2; link++) {
                ip(lab.a.namespace(), "link", "add", "l" + link, "type", "veth", "peer", "name", "l" + link, "netns",
                        lab.b.namespace());
                lab.addAddress(lab.a, link, hostAddress(link, 1));
                lab.addAddress(lab.b, link, hostAddress(link, 2));
                ip(lab.a.namespace(), "link", "set", "l" + link, "up");
                ip(lab.b.namespace(), "link", "set", "l" + link, "up");
            }
            for (int link = 1; link <= 2; link++) {
                awaitRunning(lab.a.namespace(), "l" + link);
                awaitRunning(lab.b.namespace(), "l" + link);
            }
        } catch (Throwable e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /**
     * Host A behind a masquerading router, host B on its public side ({@link #publicAddress()}).
     *
     * @return the lab, to be closed by the caller
     * @throws AssertionError naming the program or command that is missing or failed
     */
    public static TwoLinkLab behindRouter() {
        ExternalProgram.require("conntrack", "conntrack");
        TwoLinkLab lab = routed();
        try {
            lab.masquerade();
        } catch (Throwable e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /**
     * Host A behind a one-to-one NAT, as a cloud VM or a Kubernetes node is: the router maps the
     * public address {@link #oneToOneAddress()} onto A's private {@code 10.7.1.1} and back, ports
     * unchanged (DNAT in, SNAT out), and lets in from the public side only what is for that address
     * or answers what A sent. Host B on the public side can reach A only at the public address: what
     * it sends to A's private one vanishes (B's default route, as {@link #behindRouter()}'s).
     *
     * @return the lab, to be closed by the caller
     * @throws AssertionError naming the program or command that is missing or failed
     */
    public static TwoLinkLab behindOneToOneNat() {
        TwoLinkLab lab = routed();
        try {
            ip(lab.router, "addr", "add", ONE_TO_ONE + "/32", "dev", "wan");
            String rules = """
                    flush ruleset
                    table ip twolinklab {
                      chain prerouting {
                        type nat hook prerouting priority dstnat; policy accept;
                        iifname "wan" ip daddr %1$s dnat to 10.7.1.1
                      }
                      chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "wan" ip saddr 10.7.1.1 snat to %1$s
                      }
                      chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "wan" ct status dnat accept
                        iifname "wan" ct state established,related accept
                        iifname "wan" drop
                      }
                    }
                    """.formatted(ONE_TO_ONE);
            SystemCommand.run(List.of("ip", "netns", "exec", lab.router, "nft", "-f", "-"), rules);
        } catch (Throwable e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** The public address {@link #behindOneToOneNat()}'s router maps onto A's private {@code 10.7.1.1}. */
    public static InetAddress oneToOneAddress() {
        return ip(ONE_TO_ONE);
    }

    /** A behind a router R, B on R's public side; R forwards and has no ruleset yet. */
    private static TwoLinkLab routed() {
        ExternalProgram.require("ip", "iproute2");
        ExternalProgram.require("nft", "nftables");
        ExternalProgram.require("sysctl", "procps");
        TwoLinkLab lab = new TwoLinkLab(newPrefix(), true);
        try {
            lab.addHosts();
            lab.addNamespace(lab.router);
            ip(lab.a.namespace(), "link", "add", "l1", "type", "veth", "peer", "name", "l1", "netns", lab.router);
            ip(lab.router, "link", "add", "wan", "type", "veth", "peer", "name", "l1", "netns", lab.b.namespace());
            lab.addAddress(lab.a, 1, hostAddress(1, 1));
            ip(lab.router, "addr", "add", "10.7.1.254/24", "dev", "l1");
            ip(lab.router, "addr", "add", "198.18.7.254/24", "dev", "wan");
            ip(lab.b.namespace(), "addr", "add", "198.18.7.2/24", "dev", "l1");
            ip(lab.a.namespace(), "link", "set", "l1", "up");
            ip(lab.router, "link", "set", "l1", "up");
            ip(lab.router, "link", "set", "wan", "up");
            ip(lab.b.namespace(), "link", "set", "l1", "up");
            awaitRunning(lab.a.namespace(), "l1");
            awaitRunning(lab.router, "l1");
            awaitRunning(lab.router, "wan");
            awaitRunning(lab.b.namespace(), "l1");
            ip(lab.a.namespace(), "route", "add", "default", "via", "10.7.1.254");
            ip(lab.b.namespace(), "neigh", "replace", UPSTREAM, "lladdr", UPSTREAM_MAC, "dev", "l1", "nud", "permanent");
            ip(lab.b.namespace(), "route", "add", "default", "via", UPSTREAM, "dev", "l1", "onlink");
            SystemCommand.run(List.of("ip", "netns", "exec", lab.router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        } catch (Throwable e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private static String newPrefix() {
        return "rt" + ProcessHandle.current().pid() + "x" + NEXT.getAndIncrement();
    }

    private void addHosts() {
        addNamespace(a.namespace());
        addNamespace(b.namespace());
    }

    private void addNamespace(String name) {
        try {
            SystemCommand.run(List.of("ip", "netns", "add", name));
        } catch (AssertionError e) {
            throw new AssertionError("TwoLinkLab needs root to create network namespaces (CI runs as root): "
                    + e.getMessage(), e);
        }
        created.add(name);
        ip(name, "link", "set", "lo", "up");
    }

    /** The router's ruleset: masquerade into the current port range, from the wan only answers. */
    private void masquerade() {
        String rules = """
                flush ruleset
                table ip twolinklab {
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "wan" meta l4proto udp masquerade to :%1$s
                    oifname "wan" masquerade
                  }
                  chain input {
                    type filter hook input priority filter; policy accept;
                    iifname "wan" ct state established,related accept
                    iifname "wan" drop
                  }
                  chain forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "wan" ct state established,related accept
                    iifname "wan" drop
                  }
                }
                """.formatted(PORT_RANGES[range]);
        SystemCommand.run(List.of("ip", "netns", "exec", router, "nft", "-f", "-"), rules);
    }

    /**
     * The address a host has, or is given by {@link #addAddress}, on a link: {@code 10.7.<link>.<host>},
     * where host A is 1 and B is 2 ({@link #twoLinks()}); with {@link #behindRouter()}, A's on link 1.
     *
     * @param link 1 or 2
     * @param host 1 to 253
     */
    public static InetAddress hostAddress(int link, int host) {
        if (link < 1 || link > 2 || host < 1 || host > 253) {
            throw new IllegalArgumentException("link must be 1..2 and host 1..253 but were " + link + ", " + host);
        }
        return ip("10.7." + link + "." + host);
    }

    /** B's address on the public side of {@link #behindRouter()}'s router. */
    public static InetAddress publicAddress() {
        return ip("198.18.7.2");
    }

    /** The address of a host on a link as {@link #twoLinks()} made it (A 1, B 2). */
    public InetAddress address(Host host, int link) {
        return hostAddress(link, host.equals(a) ? 1 : 2);
    }

    /** Host A (behind the router, with {@link #behindRouter()}). */
    public Host a() {
        return a;
    }

    /** Host B. */
    public Host b() {
        return b;
    }

    /**
     * Gives a host an address on a link (its {@code /24}): a new one, or one deleted before.
     *
     * @param link 1 or 2
     * @param address an address of {@code 10.7.<link>.0/24}
     */
    public void addAddress(Host host, int link, InetAddress address) {
        ip(host.namespace(), "addr", "add", address.getHostAddress() + "/24", "dev", "l" + link);
    }

    /**
     * Deletes a host's address on a link ({@code ip addr del}): its connected route goes with it, and
     * a socket bound to it stays open but can no longer send.
     */
    public void deleteAddress(Host host, int link, InetAddress address) {
        ip(host.namespace(), "addr", "del", address.getHostAddress() + "/24", "dev", "l" + link);
    }

    /**
     * Replaces A's address on {@code fromLink} by {@code address} on {@code toLink}, at once: the old
     * one is deleted, then the new one added.
     */
    public void moveAddress(InetAddress old, int fromLink, InetAddress address, int toLink) {
        deleteAddress(a, fromLink, old);
        addAddress(a, toLink, address);
    }

    /** Takes A's end of a link down ({@code ip link set down}): its address stays, its route goes. */
    public void linkDown(int link) {
        ip(a.namespace(), "link", "set", "l" + link, "down");
    }

    /** Brings A's end of a link up again, and waits until it is operationally up. */
    public void linkUp(int link) {
        ip(a.namespace(), "link", "set", "l" + link, "up");
        awaitRunning(a.namespace(), "l" + link);
    }

    /**
     * Waits until a link end is operationally up ({@code operstate} "up", the RUNNING flag). The kernel
     * sets that some time after {@code ip link set up} (its link watch runs at most once a second), and
     * Java's {@code NetworkInterface.isUp()} wants it: a peer that enumerates its interfaces before then
     * finds none of its addresses, and gathers no candidate on them.
     */
    private static void awaitRunning(String namespace, String device) {
        List<String> probe = List.of("ip", "netns", "exec", namespace, "grep", "-qx", "up",
                "/sys/class/net/" + device + "/operstate");
        if (!Await.until(() -> SystemCommand.succeeds(probe), LINK_UP)) {
            throw new AssertionError(device + " in " + namespace + " is not operationally up after " + LINK_UP);
        }
    }

    /**
     * Makes the router change A's mapping ({@link #behindRouter()} only): it masquerades into its
     * other port range from now on and forgets every connection it tracked ({@code conntrack -F}),
     * so A's next datagram to B leaves from a new public port, and B's datagrams to the old one are
     * dropped as unsolicited.
     */
    public void rebind() {
        if (router == null) {
            throw new IllegalStateException("rebind needs the lab of behindRouter()");
        }
        range = 1 - range;
        masquerade();
        SystemCommand.run(List.of("ip", "netns", "exec", router, "conntrack", "-F"));
    }

    /** Deletes every namespace the lab made, which deletes every link in them; idempotent. */
    @Override
    public void close() {
        AssertionError first = null;
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                SystemCommand.run(List.of("ip", "netns", "delete", created.get(i)));
            } catch (AssertionError e) {
                first = first == null ? e : first;
            }
        }
        created.clear();
        if (first != null) {
            throw first;
        }
    }

    private static void ip(String namespace, String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        SystemCommand.run(command);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return "TwoLinkLab[" + prefix + (router != null ? ", behind a router" : ", two links") + "]";
    }
}
