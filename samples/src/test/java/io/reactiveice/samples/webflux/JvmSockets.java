package io.reactiveice.samples.webflux;

import java.util.ArrayList;
import java.util.List;

/**
 * The local addresses of the sockets this JVM has open, from {@code ss}, for the browser tests'
 * check that every socket binds a lab address and none the wildcard.
 */
final class JvmSockets {
    private JvmSockets() {
    }

    /** The local {@code address:port} of every UDP socket of this JVM. */
    static List<String> udp() throws Exception {
        return of("-u");
    }

    /** The local {@code address:port} of every TCP socket of this JVM, listening or connected. */
    static List<String> tcp() throws Exception {
        return of("-t");
    }

    /**
     * From {@code ss -H <protocol> -a -n -p}: an IPv6 socket bound to an IPv4-mapped address
     * ({@code [::ffff:10.214.0.1]:5000}, as the JDK binds an IPv4 address on a dual-stack socket) as the
     * IPv4 address. A wildcard stays as {@code ss} shows it ({@code *:5000}, {@code 0.0.0.0:5000},
     * {@code [::]:5000}).
     */
    private static List<String> of(String protocol) throws Exception {
        String pid = "pid=" + ProcessHandle.current().pid() + ",";
        List<String> out = new ArrayList<>();
        for (String line : NetworkNamespace.run(List.of("ss", "-H", protocol, "-a", "-n", "-p")).split("\n")) {
            if (line.contains(pid)) {
                out.add(line.trim().split("\\s+")[3].replaceFirst("^\\[::ffff:([0-9.]+)\\]:", "$1:"));
            }
        }
        return out;
    }
}
