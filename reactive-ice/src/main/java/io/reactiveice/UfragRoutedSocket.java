package io.reactiveice;

import io.reactiveice.agent.IceCredentials;
import io.reactiveice.transport.PacketSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ufrag bookkeeping of a session's view of a shared port, UDP ({@link SharedPortSocket}) or TCP
 * ({@link SharedTcpPortSocket}): which ufrags the port routes to the view, oldest first, kept to the
 * current and the previous one across a restart (RFC 8445 section 9), and taken back from the port
 * when the view is disposed, also when a dispose races a route.
 */
abstract class UfragRoutedSocket implements PacketSocket, UfragRouting {
    private static final String[] NO_UFRAGS = {};

    /** The ufrags routed here, oldest first: replaced whole under {@code this}, read from any thread. */
    private volatile String[] ufrags = NO_UFRAGS;
    /** Set before the ufrags are read on dispose, so that a route racing it sees the flag or is seen. */
    private volatile boolean disposed;

    /** Asks the port to route checks for {@code local}'s ufrag to this view. */
    abstract void portRoute(IceCredentials local);

    /** Asks the port to stop routing {@code ufrag} to this view. */
    abstract void portUnroute(String ufrag);

    /** Lets go of the view's other routes (addresses, connections) once it is disposed. */
    abstract void release();

    /**
     * Routes checks for these credentials' ufrag here, authenticated with their password; the ufrags
     * routed before stay routed until {@link #keepNewestUfrags()}. If the view is disposed meanwhile,
     * the route is taken back: a dispose running at the same time may not have seen it.
     *
     * @return whether the ufrag is routed here by this call (not before, and not taken back)
     * @throws IceConfigException naming {@code credentials} if another session on the port has the ufrag
     */
    @Override
    public final boolean route(IceCredentials local) {
        String ufrag = local.ufrag();
        if (disposed || List.of(ufrags).contains(ufrag)) {
            return false;
        }
        portRoute(local);
        addUfrag(ufrag);
        if (disposed) { // dispose() sets the flag before it reads the ufrags: it saw this one or we see the flag
            unroute(ufrag);
            return false;
        }
        return true;
    }

    /** Takes back a ufrag {@link #route} routed here (a restart that failed on another socket). */
    @Override
    public final void unroute(String ufrag) {
        removeUfrag(ufrag);
        portUnroute(ufrag);
    }

    /** Keeps the two newest ufrags routed: the current one and the one before a restart (RFC 8445 section 9). */
    @Override
    public final void keepNewestUfrags() {
        for (String[] now = ufrags; now.length > 2; now = ufrags) {
            removeUfrag(now[0]);
            portUnroute(now[0]);
        }
    }

    private synchronized void addUfrag(String ufrag) {
        String[] now = Arrays.copyOf(ufrags, ufrags.length + 1);
        now[now.length - 1] = ufrag;
        ufrags = now;
    }

    private synchronized void removeUfrag(String ufrag) {
        List<String> now = new ArrayList<>(List.of(ufrags));
        if (now.remove(ufrag)) {
            ufrags = now.toArray(NO_UFRAGS);
        }
    }

    @Override
    public final void dispose() {
        disposed = true;
        String[] routed;
        synchronized (this) {
            routed = ufrags;
            ufrags = NO_UFRAGS;
        }
        for (String ufrag : routed) {
            portUnroute(ufrag);
        }
        release();
    }

    @Override
    public final boolean isDisposed() {
        return disposed;
    }
}
