package io.reactiveice.turn;

import io.reactiveice.stun.RetransmissionSchedule;
import java.net.InetSocketAddress;
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
 */
public record TurnAllocationConfig(InetSocketAddress server, String username, String password, Duration lifetime,
        RetransmissionSchedule schedule) {

    /** Checks the fields, naming the one that is wrong. */
    public TurnAllocationConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(schedule, "schedule");
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new IllegalArgumentException("lifetime must be positive but was " + lifetime);
        }
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
        return new TurnAllocationConfig(server, username, password, lifetime, schedule);
    }

    @Override
    public String toString() {
        return "TurnAllocationConfig[server=" + server + ", username=" + username + ", lifetime=" + lifetime
                + ", schedule=" + schedule + "]";
    }
}
