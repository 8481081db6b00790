package io.reactiveice.internal.turn;

import io.reactiveice.RelayAllocator;
import io.reactiveice.agent.RelayAllocationStats;
import io.reactiveice.turn.TurnRelay;
import io.reactiveice.turn.TurnRelayAllocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What the agent sees of an allocation ({@link TurnRelayAllocator#allocate}): the relayed address as
 * a socket (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.2">RFC 8445 section
 * 5.1.1.2</a>) whose datagrams go to the receiver it was allocated with. Internal: not a
 * {@link TurnRelay}.
 */
public final class RelayedSocketAdapter extends RelayFacade implements RelayAllocator.RelayedSocket {

    public RelayedSocketAdapter(RelaySession session) {
        super(session);
    }

    @Override
    public InetSocketAddress localAddress() {
        return session.relayedAddress();
    }

    @Override
    public InetAddress clientAddress() {
        return session.clientAddress();
    }

    @Override
    public RelayAllocationStats allocationStats() {
        return session.allocationStats();
    }
}
