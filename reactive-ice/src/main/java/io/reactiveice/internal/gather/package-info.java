/**
 * Not API: candidate gathering helpers without I/O of their own: host address enumeration in RFC 8421
 * order, the difference between two enumerations ({@code AddressDiff}, for the network monitor),
 * foundations (RFC 8445 section 5.1.1.3), and the mDNS messages of
 * draft-ietf-mmusic-mdns-ice-candidates. Interface enumeration blocks and must run off the event loop.
 * Must not depend on Reactor, Netty, the agent core or the shell. May change in any release.
 */
package io.reactiveice.internal.gather;
