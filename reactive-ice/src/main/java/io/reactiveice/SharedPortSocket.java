package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.agent.IceCredentials;
import io.reactiveice.transport.PacketSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One session's view of a {@link SharedUdpPort}: it sends through the shared socket, teaching the
 * port where to route what comes back, and receives what the port routes to its ufrags and
 * remote addresses. An error response (e.g. the 401 to a forged check) teaches nothing, so that
 * unauthenticated requests leave no state behind; and the view keeps at most {@code maxRemotes}
 * routes, so that a peer sending authentic checks from ever new ports leaves a bounded amount. Beyond
 * that it forgets the route it sent to least recently among those its session does not
 * {@link #pin(Predicate) pin} (the peers of its valid pairs); only if all are pinned, the least
 * recently used of all.
 */
final class SharedPortSocket extends UfragRoutedSocket {
    private final SharedUdpPort port;
    final PacketSocket.Receiver receiver;
    /**
     * The remote addresses routed here, each followed by its route ({address, route, address, route,
     * ...}), exactly as long as needed; guarded by {@code this}. Usually one peer address: an array of
     * two rather than a map of one entry (an idle session's heap counts; at most {@code maxRemotes}
     * pairs, scanned only when a route is learned or forgotten, never per datagram).
     */
    private Object[] remotes = NO_REMOTES;
    private static final Object[] NO_REMOTES = {};
    private final int maxRemotes;
    private static final AtomicLongFieldUpdater<SharedPortSocket> SENDS =
            AtomicLongFieldUpdater.newUpdater(SharedPortSocket.class, "sends");
    private static final Predicate<InetSocketAddress> NONE_PINNED = remote -> false;
    /**
     * Orders the routes by their last send: every send takes the next number (through {@code SENDS};
     * fields rather than atomics or a copy-on-write list here, since an idle session's heap counts).
     */
    private volatile long sends;
    private volatile Predicate<InetSocketAddress> pinned = NONE_PINNED;

    SharedPortSocket(SharedUdpPort port, PacketSocket.Receiver receiver, int maxRemotes) {
        this.port = port;
        this.receiver = receiver;
        this.maxRemotes = maxRemotes;
    }

    @Override
    void portRoute(IceCredentials local) {
        port.route(local, this);
    }

    @Override
    void portUnroute(String ufrag) {
        port.unroute(ufrag, this);
    }

    /**
     * One route of the port's by remote address: to this view, with the number of its last send.
     *
     * @param view where what comes from the remote goes
     */
    static final class RemoteRoute {
        private final SharedPortSocket view;
        /** The number of the view's last send to this route; written by senders, read by evictions. */
        volatile long lastSend;

        RemoteRoute(SharedPortSocket view, long lastSend) {
            this.view = view;
            this.lastSend = lastSend;
        }

        SharedPortSocket view() {
            return view;
        }
    }

    /**
     * Which remote addresses' routes are never forgotten to make room: the session's valid pairs'
     * peers. Read on every eviction, from any thread.
     */
    @Override
    public void pin(Predicate<InetSocketAddress> valid) {
        this.pinned = valid;
    }

    /** A send to a routed remote: the route is the most recently used now. */
    void used(RemoteRoute route) {
        if (route.lastSend != sends) { // already the newest (the usual one peer): no write per send
            route.lastSend = SENDS.incrementAndGet(this);
        }
    }

    /** The port routes {@code remote} here now: remember it, and forget the least recently used beyond the limit. */
    synchronized void learned(InetSocketAddress remote) {
        if (isDisposed()) {
            return;
        }
        RemoteRoute route = new RemoteRoute(this, SENDS.incrementAndGet(this));
        port.putRoute(remote, route);
        int i = indexOf(remote);
        if (i >= 0) {
            remotes[i + 1] = route; // routed elsewhere in between: the newest now
        } else {
            int n = remotes.length;
            remotes = Arrays.copyOf(remotes, n + 2);
            remotes[n] = remote;
            remotes[n + 1] = route;
        }
        while (remotes.length / 2 > maxRemotes) {
            int v = indexOf(leastRecentlyUsed());
            InetSocketAddress victim = (InetSocketAddress) remotes[v];
            RemoteRoute gone = (RemoteRoute) remotes[v + 1];
            Object[] shrunk = new Object[remotes.length - 2];
            System.arraycopy(remotes, 0, shrunk, 0, v);
            System.arraycopy(remotes, v + 2, shrunk, v, remotes.length - v - 2);
            remotes = shrunk;
            port.forget(victim, gone);
        }
    }

    /** Where {@code remote} is in {@link #remotes}, or {@code -1}. */
    private int indexOf(InetSocketAddress remote) {
        for (int i = 0; i < remotes.length; i += 2) {
            if (remotes[i].equals(remote)) {
                return i;
            }
        }
        return -1;
    }

    /** The unpinned route sent to least recently, or the least recently used of all if every one is pinned. */
    private InetSocketAddress leastRecentlyUsed() {
        Predicate<InetSocketAddress> keep = pinned;
        InetSocketAddress oldest = null;
        InetSocketAddress oldestUnpinned = null;
        long oldestAt = Long.MAX_VALUE;
        long oldestUnpinnedAt = Long.MAX_VALUE;
        for (int i = 0; i < remotes.length; i += 2) {
            InetSocketAddress remote = (InetSocketAddress) remotes[i];
            long at = ((RemoteRoute) remotes[i + 1]).lastSend;
            if (at < oldestAt) {
                oldestAt = at;
                oldest = remote;
            }
            if (at < oldestUnpinnedAt && !keep.test(remote)) {
                oldestUnpinnedAt = at;
                oldestUnpinned = remote;
            }
        }
        return oldestUnpinned != null ? oldestUnpinned : oldest;
    }

    @Override
    public InetSocketAddress localAddress() {
        return port.localAddress();
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        if (isDisposed()) {
            data.release();
            return;
        }
        learnFrom(data, to);
        port.socket().send(data, to);
    }

    @Override
    public void sendLater(ByteBuf data, InetSocketAddress to) {
        if (isDisposed()) {
            data.release();
            return;
        }
        learnFrom(data, to);
        port.socket().sendLater(data, to);
    }

    @Override
    public void flush() {
        port.socket().flush();
    }

    @Override
    public Mono<Void> sendAll(Publisher<? extends ByteBuf> data, Function<ByteBuf, InetSocketAddress> destination) {
        return port.socket().sendAll(Flux.from(data).doOnNext(b -> learnFrom(b, destination.apply(b))), destination);
    }

    /** Anything but a STUN error response makes the destination route here (RFC 7983: STUN is 0-3). */
    private void learnFrom(ByteBuf data, InetSocketAddress to) {
        int n = data.readableBytes();
        if (n >= 2 && data.getUnsignedByte(data.readerIndex()) < 4) {
            int type = data.getUnsignedShort(data.readerIndex());
            if ((type & 0x0110) == 0x0110) {
                return; // an error response
            }
        }
        port.learn(to, this);
    }

    @Override
    synchronized void release() {
        for (int i = 0; i < remotes.length; i += 2) {
            port.forget((InetSocketAddress) remotes[i], (RemoteRoute) remotes[i + 1]);
        }
        remotes = NO_REMOTES;
    }
}
