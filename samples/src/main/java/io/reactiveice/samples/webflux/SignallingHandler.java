package io.reactiveice.samples.webflux;

import io.reactiveice.IceAgent;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signalling WebSocket ({@code /signalling}): one {@link BrowserPeer}, and so at most one ICE
 * agent at a time, per connection; the agent is closed with the connection.
 */
final class SignallingHandler implements WebSocketHandler {
    private final IceAgent agents;
    private final JsonMapper json;

    SignallingHandler(IceAgent agents, JsonMapper json) {
        this.agents = agents;
        this.json = json;
    }

    @Override
    public Mono<Void> handle(WebSocketSession ws) {
        BrowserPeer peer = new BrowserPeer(agents, json);
        // When the page goes, closing the peer completes its outbound messages and so the whole exchange.
        Mono<Void> in = ws.receive()
                .map(WebSocketMessage::getPayloadAsText)
                .concatMap(peer::handle)
                .then()
                .doFinally(signal -> peer.close());
        Mono<Void> out = ws.send(peer.outbound().map(ws::textMessage));
        return Mono.when(in, out).doFinally(signal -> peer.close());
    }
}
