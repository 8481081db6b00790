/**
 * The SDP form of ICE (RFC 8839 section 5): the {@code candidate} attribute
 * ({@link io.reactiveice.sdp.CandidateLine}), the {@code ice-ufrag}, {@code ice-pwd},
 * {@code ice-options} and {@code ice-lite} attributes ({@link io.reactiveice.sdp.IceParameters}),
 * {@code end-of-candidates} (RFC 8840, {@link io.reactiveice.sdp.EndOfCandidates}) and the JSON form
 * browsers give candidates, {@code RTCIceCandidateInit} ({@link io.reactiveice.sdp.IceCandidateInit}).
 * Every malformed input is an {@link io.reactiveice.sdp.SdpParseException} naming the field and the
 * offending token.
 *
 * <p>This is text in, values out: no I/O, no clock, no state. Nothing here resolves a name: a host
 * name or mDNS name in a candidate stays a string, and IP literals are read without DNS. It depends
 * on {@code io.reactiveice.candidate} only, and has no JSON library (a small reader lives here).
 */
package io.reactiveice.sdp;
