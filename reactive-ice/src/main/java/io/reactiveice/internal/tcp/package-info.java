/**
 * ICE-TCP (<a href="https://www.rfc-editor.org/rfc/rfc6544">RFC 6544</a>) without I/O (the sockets are the shell's): the RFC 4571
 * framing of STUN and application data on a TCP connection ({@link io.reactiveice.internal.tcp.FramedStream}),
 * the priorities of TCP candidates with their direction preference ({@link io.reactiveice.internal.tcp.TcpPriority}),
 * and which TCP candidates pair ({@link io.reactiveice.internal.tcp.TcpPairing}). Not API.
 */
package io.reactiveice.internal.tcp;
