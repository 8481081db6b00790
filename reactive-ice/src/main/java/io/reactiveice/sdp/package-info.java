/**
 * The SDP form of ICE (RFC 8839 section 5): the {@code candidate} attribute
 * ({@link io.reactiveice.sdp.CandidateLine}), the {@code ice-ufrag}, {@code ice-pwd},
 * {@code ice-options} and {@code ice-lite} attributes ({@link io.reactiveice.sdp.IceParameters}),
 * {@code end-of-candidates} (RFC 8840, {@link io.reactiveice.sdp.EndOfCandidates}) and the JSON form
 * browsers give candidates, {@code RTCIceCandidateInit} ({@link io.reactiveice.sdp.IceCandidateInit}),
 * and a whole session description with one WebRTC data channel section, read and written for its
 * ICE parts ({@link io.reactiveice.sdp.DataChannelDescription}), which is what a service needs to
 * answer or offer to a browser.
 * Every malformed input is an {@link io.reactiveice.sdp.SdpParseException} naming the field and the
 * offending token.
 *
 * <p>This is text in, values out: no I/O, no clock, no state. Nothing here resolves a name: a host
 * name or mDNS name in a candidate stays a string, and IP literals are read without DNS. It depends
 * on {@code io.reactiveice.candidate} only, and has no JSON library: {@link io.reactiveice.sdp.JsonReader}
 * is a small strict JSON reader, for {@code RTCIceCandidateInit} and for users' own one-line messages.
 */
package io.reactiveice.sdp;
