package io.reactiveice.internal.transport;

import io.reactiveice.candidate.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The one way a STUN or TURN server's host becomes an address
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-8">RFC 8489 section 8</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc8656#section-3.1">RFC 8656 section 3.1</a>, here
 * without SRV): an IP literal at once, a name through the system resolver off the event loop, on the
 * {@link Scheduler} given to it (blocking DNS belongs on {@code Schedulers.boundedElastic()}). Of a
 * name's addresses it takes the first in the JDK's order, as {@link InetAddress#getByName} does (IPv4
 * first unless {@code java.net.preferIPv6Addresses} says otherwise). A name that does not resolve is a
 * {@link UnresolvedServerException} naming the host. Immutable.
 */
public final class ServerResolver {
    /** A name lookup: all the addresses of a host, in preference order. */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final Scheduler scheduler;
    private final Lookup lookup;

    ServerResolver(Scheduler scheduler, Lookup lookup) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * A resolver whose name lookups run on {@code scheduler}.
     *
     * @param scheduler where the blocking lookup runs, e.g. {@code Schedulers.boundedElastic()}
     * @return the resolver
     */
    public static ServerResolver on(Scheduler scheduler) {
        return new ServerResolver(scheduler, InetAddress::getAllByName);
    }

    /**
     * The server's transport address.
     *
     * @param host an IP literal or a name
     * @param port the port
     * @return the address: at once for a literal, after the lookup on the scheduler for a name; an
     *     {@link UnresolvedServerException} naming the host if the name has no address
     */
    public Mono<InetSocketAddress> resolve(String host, int port) {
        Objects.requireNonNull(host, "host");
        InetAddress literal = IpLiteral.parse(host);
        if (literal != null) {
            return Mono.just(new InetSocketAddress(literal, port));
        }
        return Mono.fromCallable(() -> new InetSocketAddress(first(host), port)).subscribeOn(scheduler);
    }

    private InetAddress first(String host) throws UnresolvedServerException {
        InetAddress[] all;
        try {
            all = lookup.lookup(host);
        } catch (UnknownHostException e) {
            throw new UnresolvedServerException(host, e);
        }
        if (all == null || all.length == 0) {
            throw new UnresolvedServerException(host, null);
        }
        return all[0];
    }

    @Override
    public String toString() {
        return "ServerResolver[" + scheduler + "]";
    }

    /**
     * A server's host name that has no address. An {@link UnknownHostException}, so that code that
     * caught the system resolver's failure still catches it.
     */
    public static final class UnresolvedServerException extends UnknownHostException {
        private static final long serialVersionUID = 1L;

        private final String host;

        /**
         * @param host the name that did not resolve
         * @param cause the resolver's failure, or {@code null}
         */
        public UnresolvedServerException(String host, UnknownHostException cause) {
            super("the server host " + host + " does not resolve"
                    + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
            this.host = host;
            if (cause != null) {
                initCause(cause);
            }
        }

        /** The name that did not resolve. */
        public String host() {
            return host;
        }
    }
}
