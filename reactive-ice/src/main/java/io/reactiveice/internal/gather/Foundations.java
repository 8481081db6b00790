package io.reactiveice.internal.gather;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Assigns foundations (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.3">RFC 8445
 * section 5.1.1.3</a>): the same foundation for candidates of the same type, base IP address,
 * server and transport; a different one otherwise. Foundations are short decimal strings. Use one
 * instance from one thread (the agent's serialized context).
 */
public final class Foundations {
    private final Map<String, String> assigned = new HashMap<>();

    /**
     * The foundation for a candidate.
     *
     * @param type the candidate type token
     * @param baseAddress the base's IP address
     * @param server the STUN or TURN server it was learned from, or {@code null}
     * @param transport the transport token
     * @return the foundation
     */
    public String of(String type, InetAddress baseAddress, String server, String transport) {
        String key = type + "|" + baseAddress.getHostAddress() + "|" + server + "|" + transport;
        return assigned.computeIfAbsent(key, k -> Integer.toString(assigned.size() + 1));
    }
}
