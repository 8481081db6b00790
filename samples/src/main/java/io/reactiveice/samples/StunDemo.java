package io.reactiveice.samples;

import io.reactiveice.transport.BindingResult;
import io.reactiveice.transport.StunClient;
import io.reactiveice.transport.StunClientConnection;
import io.reactiveice.transport.StunServer;
import io.reactiveice.transport.StunServerHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.publisher.Flux;

/**
 * The STUN demo: starts the embedded STUN server on loopback, asks it for our server-reflexive
 * address a few times with the reactive client, and prints the address and the round-trip time.
 * Needs no network beyond loopback.
 */
public final class StunDemo {
    private StunDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args optional: the number of Binding requests (default 5)
     */
    public static void main(String[] args) {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        StunServerHandle server = StunServer.create().bindNow();
        StunClientConnection client = StunClient.create().software("reactive-ice demo").bind().block(Duration.ofSeconds(10));
        try {
            System.out.printf("STUN server listening on %s%n", format(server.address()));
            System.out.printf("STUN client bound to     %s%n", format(client.localAddress()));
            Flux.range(1, requests)
                    .concatMap(i -> client.binding(server.address()).map(r -> print(i, r)))
                    .blockLast(Duration.ofSeconds(60));
            System.out.printf("server answered %d request(s), dropped %d datagram(s)%n",
                    server.received() - server.dropped(), server.dropped());
        } finally {
            client.dispose();
            server.dispose();
        }
    }

    private static BindingResult print(int i, BindingResult r) {
        System.out.printf("Binding #%d: reflexive address %s, round trip %.3f ms%n", i, format(r.mappedAddress()),
                r.rtt().toNanos() / 1e6);
        return r;
    }

    private static String format(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
