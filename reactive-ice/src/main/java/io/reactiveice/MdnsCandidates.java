package io.reactiveice;

import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.internal.gather.MdnsMessages;
import io.reactiveice.transport.MdnsResolver;
import io.reactiveice.transport.MdnsResponder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A session's mDNS candidates (draft-ietf-mmusic-mdns-ice-candidates): the peer's {@code <uuid>.local}
 * host candidates resolved to addresses with the agent's {@link MdnsResolver}, and our host candidates
 * signalled under names that the agent's {@link MdnsResponder} publishes, one name per host address.
 */
final class MdnsCandidates {
    private static final Logger log = LoggerFactory.getLogger(MdnsCandidates.class);

    private final MdnsResolver resolver;
    private final MdnsResponder responder;
    private volatile Map<String, String> published; // host address -> published name; made on the first one

    /**
     * @param resolver resolves the peer's names, or {@code null}
     * @param responder publishes our names, or {@code null}
     */
    private MdnsCandidates(MdnsResolver resolver, MdnsResponder responder) {
        this.resolver = resolver;
        this.responder = responder;
    }

    /** The one instance for every session without mDNS (most of them): it holds nothing of a session. */
    private static final MdnsCandidates OFF = new MdnsCandidates(null, null);

    /**
     * A session's mDNS candidates.
     *
     * @param resolver resolves the peer's names, or {@code null}
     * @param responder publishes our names, or {@code null}
     */
    static MdnsCandidates of(MdnsResolver resolver, MdnsResponder responder) {
        return resolver == null && responder == null ? OFF : new MdnsCandidates(resolver, responder);
    }

    /**
     * Resolves a peer's candidate if its address is an mDNS name: the candidate with the answer's
     * address goes to {@code resolved}; without a resolver, when nobody answers in time, or on an
     * error, it is dropped quietly.
     *
     * @param id the session's id, for the log lines
     * @return {@code false} if the candidate's address is not an mDNS name (nothing was done)
     */
    boolean resolve(String id, IceCandidate candidate, Consumer<IceCandidate> resolved) {
        if (candidate.hasIpAddress() || !MdnsMessages.isMdnsName(candidate.address())) {
            return false;
        }
        if (resolver == null) {
            log.debug("[{}] mDNS candidate {} dropped: no mdnsResolver", id, candidate.address());
            return true;
        }
        resolver.resolve(candidate.address())
                .switchIfEmpty(Mono.fromRunnable(() -> log.debug("[{}] mDNS candidate {} dropped: nobody answered",
                        id, candidate.address())))
                .subscribe(ip -> {
                    log.debug("[{}] mDNS candidate {} is {}", id, candidate.address(), ip.getHostAddress());
                    resolved.accept(candidate.withAddress(ip.getHostAddress()));
                }, e -> log.debug("[{}] mDNS candidate {} dropped: {}", id, candidate.address(), e.toString()));
        return true;
    }

    /** The candidate as the peer sees it: a host candidate under its mDNS name when we publish names. */
    IceCandidate signalled(IceCandidate candidate) {
        if (responder == null || candidate.type() != CandidateType.HOST || !candidate.hasIpAddress()) {
            return candidate;
        }
        if (published == null) {
            published = new ConcurrentHashMap<>(2);
        }
        String name = published.computeIfAbsent(candidate.address(),
                a -> responder.publish(candidate.socketAddress().getAddress()));
        return candidate.withAddress(name);
    }

    /** Withdraws every name we published. */
    void unpublishAll() {
        Map<String, String> names = published;
        if (responder != null && names != null) {
            names.values().forEach(responder::unpublish);
        }
    }
}
