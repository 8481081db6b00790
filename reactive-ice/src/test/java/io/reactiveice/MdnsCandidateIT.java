package io.reactiveice;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactiveice.agent.IceRole;
import io.reactiveice.candidate.CandidateType;
import io.reactiveice.candidate.IceCandidate;
import io.reactiveice.testing.DatagramTransfer;
import io.reactiveice.testing.ExternalProgram;
import io.reactiveice.testing.NetworkNamespace;
import io.reactiveice.transport.MdnsResolver;
import io.reactiveice.transport.MdnsResponder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mDNS candidates resolved with real multicast DNS, kept inside a network namespace made for the
 * test: the resolver's queries leave only through the veth end in the root namespace, and a small
 * responder inside the namespace answers for one {@code <uuid>.local} name.
 */
class MdnsCandidateIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String NAME = UUID.randomUUID() + ".local";
    private static NetworkNamespace ns;
    private static Process responder;

    @BeforeAll
    static void startResponder() throws IOException, URISyntaxException {
        Path debianPython = Path.of("/usr/bin/python3");
        Path python = Files.isExecutable(debianPython) ? debianPython
                : ExternalProgram.require("python3", "python3");
        Path script = Path.of(MdnsCandidateIT.class.getResource("/mdns_responder.py").toURI());
        ns = NetworkNamespace.create();
        responder = new ProcessBuilder(ns.exec(python.toString(), script.toString(), NAME,
                ns.hostAddress().getHostAddress(), ns.peerAddress().getHostAddress()))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(responder.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("the responder started in " + ns).isEqualTo("ready");
    }

    @AfterAll
    static void stop() {
        if (responder != null) {
            responder.destroyForcibly();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void aLocalNameIsResolvedAndAnUnknownOneEndsEmptyAfterTheTimeout() {
        MdnsResolver resolver = MdnsResolver.on(ns.hostAddress()).timeout(Duration.ofMillis(500));
        assertThat(resolver.resolve(NAME.toUpperCase(Locale.ROOT)).block(TIMEOUT))
                .isEqualTo(ns.hostAddress());
        assertThat(resolver.resolve(UUID.randomUUID() + ".local").blockOptional(TIMEOUT)).isEmpty();
    }

    // A lite agent sends no checks, so the full agent can only reach it through the resolved name
    @Test
    void aFullAgentReachesALiteAgentWhoseCandidateIsAnMdnsName() {
        IceSession lite = onVeth().lite(true).start().block(TIMEOUT);
        IceCandidate hidden = lite.localCandidates().blockFirst(TIMEOUT).withAddress(NAME); // as browsers hide it
        fullAgentReaches(lite, List.of(hidden));
    }

    // our own names: the lite agent signals <uuid>.local, answered by our responder on the veth end
    @Test
    void anAgentPublishingItsHostCandidateAsAnMdnsNameIsReachedThroughIt() {
        MdnsResponder responder = MdnsResponder.bind(ns.hostAddress()).block(TIMEOUT);
        try {
            IceSession lite = onVeth().lite(true).publishMdnsNames(responder).start().block(TIMEOUT);
            List<IceCandidate> signalled = lite.localCandidates().collectList().block(TIMEOUT);
            assertThat(signalled).singleElement().satisfies(c -> assertThat(c.address()).endsWith(".local")
                    .doesNotContain(ns.hostAddress().getHostAddress()));
            fullAgentReaches(lite, signalled);
        } finally {
            responder.dispose();
        }
    }

    private static IceAgent onVeth() {
        return IceAgent.create().hostAddresses(List.of(ns.hostAddress()));
    }

    /** A full agent that resolves mDNS names connects to the lite one through its signalled candidates. */
    private static void fullAgentReaches(IceSession lite, List<IceCandidate> signalled) {
        IceSession full = onVeth().role(IceRole.CONTROLLING)
                .mdnsResolver(MdnsResolver.on(ns.hostAddress()).timeout(Duration.ofSeconds(2)))
                .start().block(TIMEOUT);
        try {
            full.setRemoteParameters(lite.localParameters());
            lite.setRemoteParameters(full.localParameters());
            signalled.forEach(full::addRemoteCandidate);
            full.remoteEndOfCandidates();
            full.localCandidates().doOnComplete(lite::remoteEndOfCandidates).subscribe(lite::addRemoteCandidate);
            IceConnection cf = full.connect().block(TIMEOUT);
            IceConnection cl = lite.connect().block(TIMEOUT);
            assertThat(cf.selectedPair().remote().type()).isEqualTo(CandidateType.HOST);
            assertThat(cf.selectedPair().remoteAddress()).isEqualTo(cl.selectedPair().base());
            DatagramTransfer.transfer(cf, cl, "to-lite", 100, 100, TIMEOUT);
        } finally {
            full.dispose();
            lite.dispose();
        }
    }
}
