package io.reactiveice;

import io.netty.buffer.ByteBuf;
import io.reactiveice.transport.PacketSocket;
import io.reactiveice.agent.IceCredentials;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One session's view of a {@link SharedUdpPort}: it sends through the shared socket, teaching the
 * port where to route what comes back, and receives what the port routes to its ufrags and
 * remote addresses. An error response (e.g. the 401 to a forged check) teaches nothing, so that
 * unauthenticated requests leave no state behind; and the view keeps at most {@code maxRemotes}
 * routes, forgetting the oldest, so that a peer sending authentic checks from ever new ports leaves
 * a bounded amount.
 */
final class SharedPortSocket implements PacketSocket {
    private final SharedUdpPort port;
    final PacketSocket.Receiver receiver;
    /** The remote addresses routed here, oldest first; guarded by {@code this}. Usually one peer address. */
    private final ArrayDeque<InetSocketAddress> remotes = new ArrayDeque<>(2);
    private final int maxRemotes;
    private final CopyOnWriteArrayList<String> ufrags = new CopyOnWriteArrayList<>();
    private volatile boolean disposed;

    SharedPortSocket(SharedUdpPort port, PacketSocket.Receiver receiver, int maxRemotes) {
        this.port = port;
        this.receiver = receiver;
        this.maxRemotes = maxRemotes;
    }

    /**
     * Routes checks for these credentials' ufrag here, authenticated with their password; the
     * ufrags routed before stay routed until {@link #keepNewestUfrags()}. If the view is disposed
     * meanwhile, the route is taken back: a dispose running at the same time may not have seen it.
     *
     * @return whether the ufrag is routed here by this call (not before, and not taken back)
     * @throws IceConfigException naming {@code credentials} if another session on the port has the ufrag
     */
    boolean route(IceCredentials local) {
        String ufrag = local.ufrag();
        if (disposed || ufrags.contains(ufrag)) {
            return false;
        }
        port.route(local, this);
        ufrags.add(ufrag);
        if (disposed) { // dispose() sets the flag before it reads the ufrags: it saw this one or we see the flag
            unroute(ufrag);
            return false;
        }
        return true;
    }

    /** Takes back a ufrag {@link #route} routed here (a restart that failed on another socket). */
    void unroute(String ufrag) {
        ufrags.remove(ufrag);
        port.unroute(ufrag, this);
    }

    /** Keeps the two newest ufrags routed: the current one and the one before a restart (RFC 8445 section 9). */
    void keepNewestUfrags() {
        while (ufrags.size() > 2) {
            port.unroute(ufrags.remove(0), this);
        }
    }

    /** The port routes {@code remote} here now: remember it, and forget the oldest routes beyond the limit. */
    synchronized void learned(InetSocketAddress remote) {
        if (disposed || !port.putRoute(remote, this)) {
            return;
        }
        remotes.remove(remote); // it was routed elsewhere in between: it is the newest again
        remotes.addLast(remote);
        while (remotes.size() > maxRemotes) {
            port.forget(remotes.pollFirst(), this);
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return port.localAddress();
    }

    @Override
    public void send(ByteBuf data, InetSocketAddress to) {
        if (disposed) {
            data.release();
            return;
        }
        learnFrom(data, to);
        port.socket().send(data, to);
    }

    @Override
    public void sendLater(ByteBuf data, InetSocketAddress to) {
        if (disposed) {
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
    public void dispose() {
        disposed = true;
        for (String ufrag : ufrags) {
            port.unroute(ufrag, this);
        }
        ufrags.clear();
        synchronized (this) {
            for (InetSocketAddress remote : remotes) {
                port.forget(remote, this);
            }
            remotes.clear();
        }
    }

    @Override
    public boolean isDisposed() {
        return disposed;
    }
}
