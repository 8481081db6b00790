package io.reactiveice.testing;

/**
 * How a router of a {@link NatLab} translates and filters (RFC 4787 vocabulary). Both filter alike:
 * a datagram from the public side reaches the LAN only when it answers a mapping the LAN made, from
 * the very address and port that mapping was made to (address- and port-dependent filtering, the
 * "port-restricted" part); anything unsolicited to the router's public address is dropped, as home
 * routers do. They differ in how they map.
 */
public enum NatType {
    /**
     * Port-restricted cone: endpoint-independent mapping, as Linux masquerading gives when it keeps
     * the source port (nft {@code masquerade}): one inside address and port appears as one public
     * address and port to every destination, so the server-reflexive candidate is reachable by a
     * peer the inside has sent to (hole punching works).
     */
    PORT_RESTRICTED_CONE(""),
    /**
     * Symmetric: address- and port-dependent mapping, a new random public port for every destination
     * (nft {@code masquerade random,fully-random}): the port the STUN server saw is not the one a peer
     * sees, so only a relay or a cone peer's prior opening can get through.
     */
    SYMMETRIC(" random,fully-random");

    private final String masqueradeFlags;

    NatType(String masqueradeFlags) {
        this.masqueradeFlags = masqueradeFlags;
    }

    /**
     * This router's nft ruleset: masquerade out of {@code wan}; from {@code wan}, only what answers a
     * connection the LAN opened (to the LAN or to the router itself); everything from the LAN allowed.
     */
    String ruleset(String wan) {
        return """
                flush ruleset
                table ip natlab {
                  chain postrouting {
                    type nat hook postrouting priority srcnat; policy accept;
                    oifname "%1$s" masquerade%2$s
                  }
                  chain input {
                    type filter hook input priority filter; policy accept;
                    iifname "%1$s" ct state established,related accept
                    iifname "%1$s" drop
                  }
                  chain forward {
                    type filter hook forward priority filter; policy accept;
                    iifname "%1$s" ct state established,related accept
                    iifname "%1$s" drop
                  }
                }
                """.formatted(wan, masqueradeFlags);
    }
}
