package io.reactiveice.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two private networks behind two NAT routers on a shared "public" segment, all made of network
 * namespaces and veth pairs that this lab creates and {@link #close() removes}; nothing is linked to
 * the root namespace, so every packet stays inside namespaces of the lab's own. Needs root, Debian's
 * {@code iproute2} ({@code ip}) and {@code nftables} ({@code nft}).
 *
 * <pre>
 *   lanA 10.0.1.2 ──veth── 10.0.1.1 natA 198.18.0.2 ─┐
 *                                                    ├─ br0 198.18.0.1  pub (servers: coturn)
 *   lanB 10.0.2.2 ──veth── 10.0.2.1 natB 198.18.0.3 ─┘   default routes: 198.18.0.254 (nobody)
 * </pre>
 *
 * <p>{@code pub} is the "internet": 198.18.0.0/24 (RFC 2544's benchmarking range, never routed) on a
 * bridge, whose own address {@link #serverAddress()} is where the servers run ({@link #startCoturn}).
 * {@code natA} and {@code natB} are the routers: {@code wan} in {@code pub}'s bridge, {@code lan}
 * towards their LAN, forwarding on, translating and filtering as {@link #nat} sets ({@link NatType}).
 * {@code lanA} and {@code lanB} hold the peers, each with one address and a default route through
 * its router. The routers and {@code pub} route everything else to 198.18.0.254, a neighbour with a
 * MAC address nobody has, where it vanishes: a LAN's private address is unreachable from the other
 * side, as across the real internet, and sending to one is no error.
 */
public final class NatLab implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final String WAN = "wan";
    private static final String LAN = "lan";
    /** The "rest of the internet": see {@link #upstream}. */
    private static final String UPSTREAM = "198.18.0.254";
    private static final String UPSTREAM_MAC = "02:00:00:00:00:fe";

    private final String prefix;
    private final String pub;
    private final InetAddress serverAddress;
    private final Site a;
    private final Site b;
    private final List<String> created = new ArrayList<>();

    /**
     * One side of the lab: the LAN namespace where a peer runs and its router.
     *
     * @param lanNamespace the namespace of the peer, for {@code ip netns exec}
     * @param routerNamespace the namespace of its NAT router
     * @param lanAddress the peer's only address (bind to it, never the wildcard)
     * @param publicAddress the router's address on the public segment, where the peer's mappings appear
     */
    public record Site(String lanNamespace, String routerNamespace, InetAddress lanAddress, InetAddress publicAddress) {
        /**
         * A command line that runs a program in this side's LAN.
         *
         * @param command the program and its arguments
         * @return {@code ip netns exec <lanNamespace> command...}
         */
        public List<String> exec(List<String> command) {
            List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", lanNamespace));
            out.addAll(command);
            return out;
        }
    }

    private NatLab(String prefix) {
        this.prefix = prefix;
        this.pub = prefix + "pub";
        this.serverAddress = ip("198.18.0.1");
        this.a = new Site(prefix + "lanA", prefix + "natA", ip("10.0.1.2"), ip("198.18.0.2"));
        this.b = new Site(prefix + "lanB", prefix + "natB", ip("10.0.2.2"), ip("198.18.0.3"));
    }

    /**
     * Creates every namespace, link, address and route, with both routers port-restricted cones.
     *
     * @return the lab, to be closed by the caller
     * @throws AssertionError naming the program or command that is missing or failed
     */
    public static NatLab create() {
        ExternalProgram.require("ip", "iproute2");
        ExternalProgram.require("nft", "nftables");
        ExternalProgram.require("sysctl", "procps");
        NatLab lab = new NatLab("rl" + ProcessHandle.current().pid() + "x" + NEXT.getAndIncrement());
        try {
            lab.build();
            lab.nat(NatType.PORT_RESTRICTED_CONE, NatType.PORT_RESTRICTED_CONE);
        } catch (Throwable e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() {
        addNamespace(pub);
        ip(pub, "link", "add", "br0", "type", "bridge");
        ip(pub, "addr", "add", serverAddress.getHostAddress() + "/24", "dev", "br0");
        ip(pub, "link", "set", "br0", "up");
        upstream(pub, "br0");
        site(a, "pa", "10.0.1.1");
        site(b, "pb", "10.0.2.1");
    }

    private void addNamespace(String name) {
        try {
            SystemCommand.run(List.of("ip", "netns", "add", name));
        } catch (AssertionError e) {
            throw new AssertionError("NatLab needs root to create network namespaces (CI runs as root): "
                    + e.getMessage(), e);
        }
        created.add(name);
        ip(name, "link", "set", "lo", "up");
    }

    /** The router with its wan leg in pub's bridge, then the LAN behind it with a default route. */
    private void site(Site s, String bridgePort, String routerLan) {
        addNamespace(s.routerNamespace());
        addNamespace(s.lanNamespace());
        ip(pub, "link", "add", bridgePort, "type", "veth", "peer", "name", WAN, "netns", s.routerNamespace());
        ip(pub, "link", "set", bridgePort, "master", "br0", "up");
        ip(s.routerNamespace(), "addr", "add", s.publicAddress().getHostAddress() + "/24", "dev", WAN);
        ip(s.routerNamespace(), "link", "set", WAN, "up");
        upstream(s.routerNamespace(), WAN);
        ip(s.routerNamespace(), "link", "add", LAN, "type", "veth", "peer", "name", "eth0", "netns", s.lanNamespace());
        ip(s.routerNamespace(), "addr", "add", routerLan + "/24", "dev", LAN);
        ip(s.routerNamespace(), "link", "set", LAN, "up");
        ip(s.lanNamespace(), "addr", "add", s.lanAddress().getHostAddress() + "/24", "dev", "eth0");
        ip(s.lanNamespace(), "link", "set", "eth0", "up");
        ip(s.lanNamespace(), "route", "add", "default", "via", routerLan);
        SystemCommand.run(List.of("ip", "netns", "exec", s.routerNamespace(), "sysctl", "-q", "-w",
                "net.ipv4.ip_forward=1"));
    }

    /**
     * A default route to {@link #UPSTREAM}, an address on the public segment that nobody has, with a
     * permanent neighbour entry: what is sent to an address outside the lab (a LAN's private address,
     * as a TURN server relaying to a peer's host candidate does) leaves as a frame to a MAC address no
     * interface owns, and the bridge's ports drop it. Without a route, such a send fails at once
     * (network unreachable), which a real server never sees, and coturn ends the allocation.
     */
    private static void upstream(String namespace, String device) {
        ip(namespace, "neigh", "replace", UPSTREAM, "lladdr", UPSTREAM_MAC, "dev", device, "nud", "permanent");
        ip(namespace, "route", "add", "default", "via", UPSTREAM, "dev", device, "onlink");
    }

    /**
     * Sets how each router translates, replacing its ruleset. Mappings made before stay in the
     * routers' connection tracking until they expire: a new peer binds new ports and makes new ones.
     *
     * @param natA the type of side A's router
     * @param natB the type of side B's router
     */
    public void nat(NatType natA, NatType natB) {
        Objects.requireNonNull(natA, "natA");
        Objects.requireNonNull(natB, "natB");
        SystemCommand.run(List.of("ip", "netns", "exec", a.routerNamespace(), "nft", "-f", "-"), natA.ruleset(WAN));
        SystemCommand.run(List.of("ip", "netns", "exec", b.routerNamespace(), "nft", "-f", "-"), natB.ruleset(WAN));
    }

    /**
     * Starts coturn in the public namespace on {@link #serverAddress()} (port 3478, relayed addresses
     * there too); it answers STUN as well. The caller closes it before the lab.
     *
     * @param extraLines configuration lines added to {@link Coturn}'s generated ones
     */
    public Coturn startCoturn(String... extraLines) {
        return Coturn.startIn(pub, serverAddress, extraLines);
    }

    /** The servers' address on the public segment. */
    public InetAddress serverAddress() {
        return serverAddress;
    }

    /** Side A: {@code lanA} behind {@code natA}. */
    public Site a() {
        return a;
    }

    /** Side B: {@code lanB} behind {@code natB}. */
    public Site b() {
        return b;
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
        return "NatLab[" + prefix + ": " + a + ", " + b + "]";
    }
}
