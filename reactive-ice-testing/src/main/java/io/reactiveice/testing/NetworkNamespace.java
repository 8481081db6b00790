package io.reactiveice.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace that a test makes for itself with {@code ip netns} (Debian's iproute2), joined
 * to the root namespace by a veth pair: the root end has {@link #hostAddress()}, the namespace end
 * {@link #peerAddress()}, both in a private /30 of 10.231.0.0/16; the namespace has no default route,
 * so nothing in it can reach anything but the host end. {@link #close()} deletes the namespace,
 * which deletes both veth ends. Needs root (tests run as root in CI).
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String name;
    private final String hostInterface;
    private final InetAddress hostAddress;
    private final InetAddress peerAddress;

    private NetworkNamespace(String name, String hostInterface, InetAddress hostAddress, InetAddress peerAddress) {
        this.name = name;
        this.hostInterface = hostInterface;
        this.hostAddress = hostAddress;
        this.peerAddress = peerAddress;
    }

    /**
     * Creates a namespace with a veth pair, both ends up with their addresses, loopback up inside.
     *
     * @return the namespace
     * @throws AssertionError naming the command that failed
     */
    public static NetworkNamespace create() {
        ExternalProgram.require("ip", "iproute2");
        long pid = ProcessHandle.current().pid();
        int n = NEXT.getAndIncrement();
        int subnet = (int) ((pid * 7 + n) % 16_000);
        String name = "ri" + pid + "n" + n;
        String host = "rih" + (pid % 100_000) + "n" + n;
        String peer = "rip" + (pid % 100_000) + "n" + n;
        String base = "10.231." + (subnet / 64) + ".";
        int last = (subnet % 64) * 4;
        String hostIp = base + (last + 1);
        String peerIp = base + (last + 2);
        NetworkNamespace ns;
        try {
            ns = new NetworkNamespace(name, host, InetAddress.getByName(hostIp), InetAddress.getByName(peerIp));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        try {
            run("ip", "netns", "add", name);
            run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
            run("ip", "link", "set", peer, "netns", name);
            run("ip", "addr", "add", hostIp + "/30", "dev", host);
            run("ip", "link", "set", host, "up");
            run("ip", "netns", "exec", name, "ip", "addr", "add", peerIp + "/30", "dev", peer);
            run("ip", "netns", "exec", name, "ip", "link", "set", peer, "up");
            run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up");
        } catch (AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The namespace's name, for {@code ip netns exec}. */
    public String name() {
        return name;
    }

    /** The root namespace's end of the veth pair (its interface name). */
    public String hostInterface() {
        return hostInterface;
    }

    /** The address of the root namespace's end. */
    public InetAddress hostAddress() {
        return hostAddress;
    }

    /** The address of the namespace's end. */
    public InetAddress peerAddress() {
        return peerAddress;
    }

    /**
     * A command line that runs a program inside the namespace.
     *
     * @param command the program and its arguments
     * @return {@code ip netns exec <name> command...}
     */
    public List<String> exec(String... command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(List.of(command));
        return out;
    }

    /** Deletes the namespace (and with it both veth ends); idempotent. */
    @Override
    public void close() {
        try {
            run("ip", "netns", "delete", name);
        } catch (AssertionError alreadyGone) {
            // nothing to delete
        }
        try {
            run("ip", "link", "delete", hostInterface);
        } catch (AssertionError alreadyGone) {
            // deleting the namespace took the pair with it
        }
    }

    private static void run(String... command) {
        SystemCommand.run(List.of(command));
    }

    @Override
    public String toString() {
        return "NetworkNamespace[" + name + ", " + hostAddress.getHostAddress() + " <-> " + peerAddress.getHostAddress()
                + "]";
    }
}
