package io.reactiveice.internal.gather;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Assigns foundations (<a href="https://www.rfc-editor.org/rfc/rfc8445#section-5.1.1.3">RFC 8445
 * section 5.1.1.3</a>): the same foundation for candidates of the same type, base IP address,
 * server and transport; a different one otherwise. A foundation is the CRC-32 of those four, as a
 * decimal string of at most 10 digits (as libwebrtc derives its own), so it needs no table per
 * agent: an idle session's heap counts, and a restart or a later gathering gets the same foundation
 * for the same candidate. Two different combinations share a foundation only if their CRC-32s
 * collide (about one in four billion), which only unfreezes a pair early (section 6.1.2.6).
 */
public final class Foundations {
    private Foundations() {
    }

    /**
     * The foundation for a candidate.
     *
     * @param type the candidate type token
     * @param baseAddress the base's IP address
     * @param server the STUN or TURN server it was learned from, or {@code null}
     * @param transport the transport token
     * @return the foundation: 1 to 10 decimal digits
     */
    public static String of(String type, InetAddress baseAddress, String server, String transport) {
        String key = type + "|" + baseAddress.getHostAddress() + "|" + server + "|" + transport;
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return Long.toString(crc.getValue());
    }
}
