/**
 * The Spring WebFlux sample: a service whose page connects a browser's {@code RTCPeerConnection}
 * to a reactive-ice agent (full or lite) over signalling on a WebSocket, and shows the ICE state,
 * the selected pair and the browser's round-trip times. Session descriptions and candidates go
 * through the library's {@code io.reactiveice.sdp} types; the WebSocket's JSON is read once, by
 * Jackson, and a trickled candidate is made from the members Jackson read
 * ({@code IceCandidateInit.fromMembers}). With {@code reactive-ice.sample.recovery=restart} a full
 * agent restarts ICE on its own when its network changes under a live page, and {@link
 * io.reactiveice.samples.webflux.BrowserPeer} renegotiates with the page. The page also shows the
 * service's own statistics of the session and why it failed ({@link
 * io.reactiveice.samples.webflux.ServiceView}); Spring Boot Actuator has the library's meters on its
 * Prometheus endpoint and the shared ports' health ({@link io.reactiveice.samples.webflux.SampleActuator}).
 * Nothing here is API.
 */
package io.reactiveice.samples.webflux;
