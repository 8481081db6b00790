package io.reactiveice.transport;

import io.reactiveice.stun.StunMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of a successful Binding transaction: the server-reflexive address the server saw
 * (<a href="https://www.rfc-editor.org/rfc/rfc8489#section-14.2">XOR-MAPPED-ADDRESS</a>) and the
 * round-trip time.
 *
 * @param server the server that answered
 * @param mappedAddress the address and port the server saw the request come from
 * @param rtt from the last send of the request to the response, on the client's scheduler
 * @param response the whole response
 */
public record BindingResult(InetSocketAddress server, InetSocketAddress mappedAddress, Duration rtt,
        StunMessage response) {
    /** Checks the fields. */
    public BindingResult {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(mappedAddress, "mappedAddress");
        Objects.requireNonNull(rtt, "rtt");
        Objects.requireNonNull(response, "response");
    }
}
