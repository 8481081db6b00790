/**
 * Runnable programs on reactive-ice: the demos ({@link io.reactiveice.samples.IceDemo},
 * {@link io.reactiveice.samples.StunDemo}), which send packets to loopback only, and the peer
 * program of the interop protocol ({@link io.reactiveice.samples.IcePeer}, JSON lines on
 * stdin/stdout), which uses the addresses and STUN/TURN servers it is given, 127.0.0.1 and none by
 * default. It reads its JSON lines with the library's {@code io.reactiveice.sdp.JsonReader} and writes
 * them with its own small writer. Nothing here is API: the JSON writer and the option parser are
 * package-private.
 */
package io.reactiveice.samples;
