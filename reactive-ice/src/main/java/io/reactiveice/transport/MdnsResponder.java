package io.reactiveice.transport;

import io.reactiveice.internal.gather.MdnsMessages;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Publishes our host candidates as mDNS names
 * (<a href="https://datatracker.ietf.org/doc/draft-ietf-mmusic-mdns-ice-candidates/">draft-ietf-mmusic-mdns-ice-candidates</a>):
 * each published address gets a fresh {@code <uuid>.local} name, and A queries for it that arrive
 * on one chosen interface, from a querier in that interface's subnet, are answered (RFC 6762
 * section 6): by unicast to a one-shot querier, by multicast through that interface otherwise.
 * Queries for any other name are ignored. IPv4 only.
 */
public final class MdnsResponder implements Disposable {
    private static final Logger log = LoggerFactory.getLogger(MdnsResponder.class);
    private static final int TTL_SECONDS = 120;

    private final InterfaceAddress scope;
    private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
    private volatile MdnsSocket socket;

    private MdnsResponder(InterfaceAddress scope) {
        this.scope = scope;
    }

    /**
     * Binds a responder (its socket, when subscribed) on the interface that has this IPv4 address: a socket, so {@code bind} as for every other socket.
     *
     * @param interfaceAddress the address whose interface queries are answered on
     * @return the running responder
     */
    public static Mono<MdnsResponder> bind(InetAddress interfaceAddress) {
        Objects.requireNonNull(interfaceAddress, "interfaceAddress");
        return Mono.defer(() -> {
            if (!(interfaceAddress instanceof Inet4Address)) {
                return Mono.error(new IllegalArgumentException("interfaceAddress must be IPv4 but was "
                        + interfaceAddress));
            }
            NetworkInterface nif = LocalInterfaces.of(interfaceAddress);
            InterfaceAddress scope = nif.getInterfaceAddresses().stream()
                    .filter(a -> a.getAddress().equals(interfaceAddress)).findFirst().orElseThrow();
            MdnsResponder responder = new MdnsResponder(scope);
            return MdnsSocket.open(nif, responder::onQuery).map(responder::attach);
        });
    }

    /** The responder, answering on {@code socket} (whose queries it receives). */
    MdnsResponder attach(MdnsSocket socket) {
        this.socket = socket;
        return this;
    }

    /** A responder for {@code scope}, not yet on a socket (for {@link #attach}). */
    static MdnsResponder scopedTo(InterfaceAddress scope) {
        return new MdnsResponder(Objects.requireNonNull(scope, "scope"));
    }

    /**
     * Publishes an address under a fresh name.
     *
     * @param address our host candidate's address (IPv4)
     * @return its name, {@code <uuid>.local}, to signal instead of the address
     */
    public String publish(InetAddress address) {
        Objects.requireNonNull(address, "address");
        String name = UUID.randomUUID() + ".local";
        names.put(name, address);
        return name;
    }

    /** Stops answering for a name. */
    public void unpublish(String name) {
        names.remove(name.toLowerCase(Locale.ROOT));
    }

    private void onQuery(byte[] message, InetSocketAddress querier) {
        MdnsMessages.Question q = MdnsMessages.question(message, message.length);
        if (q == null || q.type() != MdnsMessages.TYPE_A || !inScope(querier.getAddress())) {
            return;
        }
        InetAddress address = names.get(q.name().toLowerCase(Locale.ROOT));
        if (address == null) {
            return;
        }
        boolean oneShot = querier.getPort() != MdnsMessages.PORT; // RFC 6762 section 6.7
        byte[] answer = MdnsMessages.answer(oneShot ? q.id() : 0, q.name(), address, TTL_SECONDS);
        MdnsSocket s = socket;
        if (s != null) {
            s.send(answer, oneShot ? querier : MdnsSocket.GROUP);
            log.debug("answered {} for {} to {}", q.name(), address.getHostAddress(),
                    oneShot ? querier : MdnsSocket.GROUP);
        }
    }

    /** Whether a querier is on the interface's own subnet (answers never leave that link). */
    private boolean inScope(InetAddress querier) {
        byte[] a = querier.getAddress();
        byte[] b = scope.getAddress().getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits = scope.getNetworkPrefixLength();
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void dispose() {
        MdnsSocket s = socket;
        if (s != null) {
            s.dispose();
        }
    }

    @Override
    public boolean isDisposed() {
        MdnsSocket s = socket;
        return s == null || s.isDisposed();
    }

    /**
     * Completes when the responder's socket is closed, after {@link #dispose()}.
     *
     * @return completes when the responder has stopped
     */
    public Mono<Void> onDispose() {
        return socket.onDispose();
    }

    @Override
    public String toString() {
        return "MdnsResponder[" + scope.getAddress().getHostAddress() + "/" + scope.getNetworkPrefixLength() + ", "
                + names.size() + " names]";
    }
}
