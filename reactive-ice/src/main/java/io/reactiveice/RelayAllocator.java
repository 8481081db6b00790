package io.reactiveice;

import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.transport.PacketSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Where relayed candidates come from: the service interface a TURN client implements
 * (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.2">RFC 8445 section 5.1.1.2</a>).
 * To the agent a relayed address is just another socket: what it sends through the
 * {@link RelayedSocket} leaves from the TURN server's relayed address, and what peers send there
 * comes back to the receiver.
 */
@FunctionalInterface
public interface RelayAllocator {

    /**
     * Allocates a relayed transport address.
     *
     * @param server a {@code turn:} or {@code turns:} server with its credentials
     * @param receiver gets every datagram that arrives at the relayed address, with the peer as sender
     * @return the allocation, alive until disposed; an error if the server refuses or does not answer
     */
    Mono<RelayedSocket> allocate(IceServer server, PacketSocket.Receiver receiver);

    /**
     * Allocates a relayed transport address through one of the agent's local addresses, so that the
     * relayed candidate is tied to it (its traffic to the server leaves from there, as RFC 8445 section
     * 5.1.1.2 gathers relayed candidates through a host candidate's base) and goes with it when that
     * address disappears ({@link RelayedSocket#clientAddress()}). An allocator that can binds the first
     * of {@code locals} of the server's address family; by default it picks its own local address
     * ({@link #allocate(IceServer, PacketSocket.Receiver)}).
     *
     * @param server a {@code turn:} or {@code turns:} server with its credentials
     * @param locals the agent's host addresses, best first (may be empty)
     * @param receiver gets every datagram that arrives at the relayed address, with the peer as sender
     * @return the allocation, alive until disposed; an error if the server refuses or does not answer
     */
    default Mono<RelayedSocket> allocate(IceServer server, List<InetAddress> locals, PacketSocket.Receiver receiver) {
        return allocate(server, receiver);
    }

    /** An allocation seen as a socket: {@link #localAddress()} is the relayed address. */
    interface RelayedSocket extends PacketSocket {
        /** The address the TURN server saw the allocation request come from (the {@code raddr}). */
        InetSocketAddress mappedAddress();

        /**
         * The local address the allocation's traffic to the TURN server leaves from, or {@code null} when
         * the allocator does not know it (a socket on the wildcard address, where the route decides). When
         * this address disappears, the agent removes the relayed candidate at once.
         */
        default InetAddress clientAddress() {
            return null;
        }

        /**
         * Emits the cause once if the allocation is lost (the server stopped answering refreshes, or
         * the connection to it closed): the agent then stops using the relayed candidate at once and
         * fails over. Never emits for an allocation that is merely disposed.
         */
        default Mono<Throwable> lost() {
            return Mono.never();
        }

        /**
         * Releases the allocation and completes when that is done: for TURN, once the server confirmed
         * its deletion (RFC 8656 section 8). {@link #dispose()} is the same without waiting; by default
         * there is nothing to wait for.
         */
        default Mono<Void> close() {
            dispose();
            return Mono.empty();
        }

        /**
         * The allocation's state, granted lifetime and refreshes now, for the session's statistics
         * ({@link IceSession#stats()}); any thread, no lock. The default tells nothing ({@code null}).
         */
        default RelayAllocationStats allocationStats() {
            return null;
        }
    }
}
