/**
 * Candidate gathering without I/O of its own: which local addresses become host candidates, in
 * which order (RFC 8421), and which foundations candidates get (RFC 8445 section 5.1). Interface
 * enumeration blocks and must run off the event loop.
 */
package io.reactiveice.gather;
