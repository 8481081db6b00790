package io.reactiveice;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * What a session tells a socket that other sessions share, which routes checks by ufrag and data by
 * the peer's address ({@link SharedPortSocket}); a socket of the session's own routes everything to
 * it and does nothing here ({@link #NONE}). The session's socket registry talks to every socket
 * through this interface, so that it never asks what kind of socket it holds.
 */
interface UfragRouting {
    /** The routing of a socket that is the session's own: nothing to route. */
    UfragRouting NONE = new UfragRouting() {
        @Override
        public boolean route(IceCredentials local) {
            return false;
        }

        @Override
        public void unroute(String ufrag) {
        }

        @Override
        public void keepNewestUfrags() {
        }

        @Override
        public void pin(Predicate<InetSocketAddress> valid) {
        }
    };

    /** The socket's routing: its own if it routes by ufrag, else {@link #NONE}. */
    static UfragRouting of(PacketSocket socket) {
        return socket instanceof UfragRouting routing ? routing : NONE;
    }

    /**
     * Routes checks for these credentials' ufrag to the socket; earlier ufrags stay routed until
     * {@link #keepNewestUfrags()}.
     *
     * @return whether this call routed the ufrag (it was not routed before)
     * @throws IceConfigException naming {@code credentials} if another session on the port has the ufrag
     */
    boolean route(IceCredentials local);

    /** Takes back a ufrag that {@link #route} routed (a restart that failed on another socket). */
    void unroute(String ufrag);

    /** Keeps the two newest ufrags routed: the current one and the one before a restart (RFC 8445 section 9). */
    void keepNewestUfrags();

    /** Which remote addresses' routes are never forgotten to make room (the peers of valid pairs). */
    void pin(Predicate<InetSocketAddress> valid);
}
