package io.reactiveice.internal.turn;

import io.reactiveice.stun.RetransmissionSchedule;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.time.Duration;
import java.util.Objects;

/**
 * What the core needs to run one allocation. {@link #toString()} never shows the password.
 *
 * @param server the TURN server's address
 * @param username the long-term credential's username
 * @param password the long-term credential's password
 * @param lifetime the LIFETIME to ask for, or {@code null} for the server's default (600 s)
 * @param schedule the retransmission schedule of every request
 * @param addressFamily the family of the relayed address to ask for with REQUESTED-ADDRESS-FAMILY
 *     (RFC 8656 section 7.1), or {@code null} to leave the attribute out (the server then relays IPv4)
 * @param dontFragment whether to ask the server to set the DF bit towards peers (DONT-FRAGMENT, RFC
 *     8656 section 7.1); a server that does not support it answers 420 and the allocation is retried
 *     without it
 */
public record TurnAllocationConfig(InetSocketAddress server, String username, String password, Duration lifetime,
        RetransmissionSchedule schedule, ProtocolFamily addressFamily, boolean dontFragment) {

    /** Checks the fields, naming the one that is wrong. */
    public TurnAllocationConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schedule, "schedule");
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new IllegalArgumentException("lifetime must be positive but was " + lifetime);
        }
        if (addressFamily != null && addressFamily != StandardProtocolFamily.INET
                && addressFamily != StandardProtocolFamily.INET6) {
            throw new IllegalArgumentException("addressFamily must be INET or INET6 but was " + addressFamily);
        }
    }

    /**
     * A configuration without REQUESTED-ADDRESS-FAMILY or DONT-FRAGMENT.
     *
     * @param server the server
     * @param username the username
     * @param password the password
     * @param lifetime the lifetime to ask for, or {@code null}
     * @param schedule the retransmission schedule
     */
    public TurnAllocationConfig(InetSocketAddress server, String username, String password, Duration lifetime,
            RetransmissionSchedule schedule) {
        this(server, username, password, lifetime, schedule, null, false);
    }

    /**
     * A configuration with the server's default lifetime and RFC 8489's UDP schedule.
     *
     * @param server the server
     * @param username the username
     * @param password the password
     * @return the configuration
     */
    public static TurnAllocationConfig of(InetSocketAddress server, String username, String password) {
        return new TurnAllocationConfig(server, username, password, null, RetransmissionSchedule.UDP_DEFAULT);
    }

    /** A copy with another schedule. */
    public TurnAllocationConfig withSchedule(RetransmissionSchedule schedule) {
        return new TurnAllocationConfig(server, username, password, lifetime, schedule, addressFamily, dontFragment);
    }

    /** A copy that asks for a relayed address of this family ({@code null}: the server's default, IPv4). */
    public TurnAllocationConfig withAddressFamily(ProtocolFamily family) {
        return new TurnAllocationConfig(server, username, password, lifetime, schedule, family, dontFragment);
    }

    /** A copy that does or does not ask for DONT-FRAGMENT. */
    public TurnAllocationConfig withDontFragment(boolean dontFragment) {
        return new TurnAllocationConfig(server, username, password, lifetime, schedule, addressFamily, dontFragment);
    }

    @Override
    public String toString() {
        return "TurnAllocationConfig[server=" + server + ", username=" + username + ", lifetime=" + lifetime
                + ", schedule=" + schedule + ", addressFamily=" + addressFamily + ", dontFragment=" + dontFragment
                + "]";
    }
}
